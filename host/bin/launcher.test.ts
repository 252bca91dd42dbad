import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { makeOriginalEnv } from '../../test/helpers/make-env.ts';

const LAUNCHER = path.join(import.meta.dirname, 'boottorrent');
const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('boottorrent as an admin installs it', () => {
  it('the package’s bin is the launcher, and through a link elsewhere (as npm link makes) it runs from any directory on the project’s Node, not the machine’s', async () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.equal(pkg.bin.boottorrent, 'host/bin/boottorrent');
    const away = await mkdtemp(path.join(tmpdir(), 'bt-away-'));
    const env = await makeOriginalEnv();
    try {
      const link = path.join(away, 'boottorrent');
      await symlink(LAUNCHER, link);
      // the machine's PATH only: its Node (20 here) cannot run the CLI's TypeScript
      const run = (...args: string[]) =>
        spawnSync(link, args, {
          cwd: away,
          encoding: 'utf8',
          env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
        });
      const v = run('--version');
      assert.equal(v.status, 0, v.stderr);
      assert.match(v.stdout, /^boottorrent \d+\.\d+\.\d+ \(node v2[4-9]\./);
      const help = run('start', '--help');
      assert.equal(help.status, 0);
      assert.match(help.stdout, /^usage: boottorrent start DIR/);
      const b = run('build', env);
      assert.equal(b.status, 0, b.stderr);
      assert.ok(existsSync(path.join(env, 'out', 'torrents', 'configs.yaml')));
    } finally {
      await rm(away, { recursive: true, force: true });
      await rm(env, { recursive: true, force: true });
    }
  });

  it('says what to run when the project’s Node is not installed', async () => {
    const fake = await mkdtemp(path.join(tmpdir(), 'bt-nonode-'));
    try {
      // a checkout without node_modules: the launcher's own layout, host/bin under the root
      execFileSync('mkdir', ['-p', path.join(fake, 'host', 'bin')]);
      await writeFile(path.join(fake, 'host', 'bin', 'boottorrent'), readFileSync(LAUNCHER));
      const r = spawnSync('sh', [path.join(fake, 'host', 'bin', 'boottorrent'), '--version'], {
        encoding: 'utf8',
      });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /^boottorrent: the project's Node is not installed .*: run `npm ci` in /);
    } finally {
      await rm(fake, { recursive: true, force: true });
    }
  });

  it('the systemd unit passes systemd-analyze verify with the launcher as its command', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bt-unit-'));
    try {
      const unit = readFileSync(path.join(ROOT, 'assets', 'boottorrent.service'), 'utf8');
      assert.match(unit, /^ExecStart=\/usr\/local\/bin\/boottorrent start /m);
      const file = path.join(dir, 'boottorrent.service');
      // where npm link puts the launcher on an admin's machine, here the checkout's own
      await writeFile(file, unit.replace('/usr/local/bin/boottorrent', LAUNCHER));
      const r = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr.trim(), '', 'no warning');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
