import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { checkBoottorrentConfig } from '../../client/src/shared.ts';
import { captureConsole } from '../../test/helpers/capture-console.ts';
import { runCli } from './run-cli.ts';

describe('boottorrent init', () => {
  it('makes a skeleton env whose Boottorrent.yaml is a valid config, and says what to do next', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'bt-init-'));
    try {
      const dir = path.join(parent, 'mylab');
      const c = captureConsole();
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
      const c = captureConsole();
      assert.equal(await runCli(['init', dir], c.log), 1);
      assert.deepEqual(readdirSync(dir), ['notes.txt']);
      assert.equal(c.said.join('\n'), `boottorrent init: ${dir} is not empty; nothing was written`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the command line, as a newcomer types it', () => {
  it('--help on every command prints its usage, exits 0 and makes nothing, wherever it stands', async () => {
    const cwd = process.cwd();
    const dir = await mkdtemp(path.join(tmpdir(), 'bt-help-'));
    process.chdir(dir);
    try {
      for (const cmd of ['init', 'build', 'start', 'status'])
        for (const argv of [
          [cmd, '--help'],
          [cmd, '-h'],
          [cmd, 'mylab', '--help'],
        ]) {
          const c = captureConsole();
          assert.equal(await runCli(argv, c.log), 0, argv.join(' '));
          assert.match(c.said.join('\n'), new RegExp(`^usage: boottorrent ${cmd}\\b`), argv.join(' '));
          assert.deepEqual(readdirSync(dir), [], `${argv.join(' ')} made nothing`);
        }
    } finally {
      process.chdir(cwd);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--version prints the package’s version', async () => {
    const version = JSON.parse(
      readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8'),
    ).version;
    for (const v of ['--version', '-V']) {
      const c = captureConsole();
      assert.equal(await runCli([v], c.log), 0);
      assert.equal(c.said.join('\n'), `boottorrent ${version} (node ${process.version})`);
    }
  });

  it('an unknown option is one line, then the command’s usage, exit 2, for every command', async () => {
    for (const cmd of ['init', 'build', 'start', 'status']) {
      const c = captureConsole();
      assert.equal(await runCli([cmd, 'mylab', '--frobnicate'], c.log), 2, cmd);
      const [first, blank, usage] = c.said.join('\n').split('\n');
      assert.equal(first, `boottorrent ${cmd}: unknown option '--frobnicate'`);
      assert.equal(blank, '');
      assert.match(usage!, new RegExp(`^usage: boottorrent ${cmd}\\b`));
    }
    const c = captureConsole();
    assert.equal(await runCli(['frobnicate'], c.log), 2);
    assert.match(c.said.join('\n'), /^boottorrent: unknown command "frobnicate"/);
  });
});
