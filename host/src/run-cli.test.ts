import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { checkBoottorrentConfig } from '../../client/src/shared.ts';
import { runCli } from './run-cli.ts';

/** A console that keeps what it was told. */
function capture() {
  const said: string[] = [];
  const log = {
    log: (s: string) => said.push(s),
    error: (s: string) => said.push(s),
    warn: (s: string) => said.push(s),
  };
  return { log: log as unknown as Console, said };
}

describe('boottorrent init', () => {
  it('makes a skeleton env whose Boottorrent.yaml is a valid config, and says what to do next', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'bt-init-'));
    try {
      const dir = path.join(parent, 'mylab');
      const c = capture();
      assert.equal(await runCli(['init', dir], c.log), 0);
      assert.deepEqual(readdirSync(dir).sort(), ['Boottorrent.yaml', 'oss']);
      assert.ok(existsSync(path.join(dir, 'oss', 'README.md')));
      const checked = checkBoottorrentConfig(
        yaml.load(readFileSync(path.join(dir, 'Boottorrent.yaml'), 'utf8')),
        'Boottorrent.yaml',
      );
      assert.ok(checked.ok, JSON.stringify(checked));
      assert.deepEqual(checked.warnings, []);
      assert.match(
        c.said.join('\n'),
        new RegExp(`made ${dir}: edit Boottorrent\\.yaml, .*boottorrent build ${dir}`),
      );
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('refuses a folder that is not empty, and writes nothing into it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bt-init-'));
    try {
      await writeFile(path.join(dir, 'notes.txt'), 'mine\n');
      const c = capture();
      assert.equal(await runCli(['init', dir], c.log), 1);
      assert.deepEqual(readdirSync(dir), ['notes.txt']);
      assert.equal(c.said.join('\n'), `boottorrent init: ${dir} is not empty; nothing was written`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
