import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../client/src/engines/free-port.ts';
import { buildEnv } from '../../host/src/shared.ts';
import { loopbackYaml, startLoopbackHost } from '../helpers/loopback-host.ts';
import { makeOriginalEnv } from '../helpers/make-env.ts';
import { phase1Root } from '../helpers/phase1-root.ts';

const DIST = path.resolve('dist');
const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });

function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** PIDs of processes whose root is `dir`: what our chroot still runs. */
function processesIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readlinkSync(`/proc/${p}/root`) === dir;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * The single-file bttui as Phase 1 runs it: in a root made of rootfs + overlay (no terminfo on disk,
 * TERM=linux), on a terminal that tmux provides, so keys can be sent and the screen read.
 */
describe('bttui full-screen menu, single executable, Phase-1 root, TERM=linux', { timeout: 180_000 }, () => {
  const session = `bt-tui-${process.pid}`;
  let env: string;
  let root: string;
  let host: Awaited<ReturnType<typeof startLoopbackHost>>;
  const mounted: string[] = [];
  const screen = () => sh('tmux', ['capture-pane', '-p', '-t', session]);
  const waitScreen = async (re: RegExp, ms = 30_000) => {
    for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
      const s = screen();
      if (re.test(s)) return s;
    }
    throw new Error(`screen never showed ${re}:\n${screen()}`);
  };

  before(async () => {
    const port = await freePort();
    env = await makeOriginalEnv({ boottorrentYaml: loopbackYaml(port) });
    assert.ok((await buildEnv(env)).ok);
    host = await startLoopbackHost(env);
    root = await phase1Root('bt-chroot-', DIST);
    await cp(path.join(env, 'out', 'torrents'), path.join(root, 'torrents'), { recursive: true });
    await mkdir(path.join(root, 'fake', 'proc'), { recursive: true });
    await writeFile(path.join(root, 'fake', 'proc', 'cmdline'), 'quiet\n');
    await writeFile(path.join(root, 'fake', 'proc', 'meminfo'), 'MemAvailable: 2000000 kB\n');
    // /dev for child processes' stdio; the chroot shares this machine's network, so 127.0.0.1 is the host
    // and /proc, which Phase 1's rcS mounts: aria2c's --stop-with-process watches bttui through it
    sh('mount', ['--bind', '/dev', path.join(root, 'dev')]);
    mounted.push(path.join(root, 'dev'));
    sh('mount', ['-t', 'proc', 'proc', path.join(root, 'proc')]);
    mounted.push(path.join(root, 'proc'));
    // a first session that ends after one boot, then sessions respawned as init's inittab entry does; all
    // --dry-run, so nothing is ever loaded into this machine's kernel
    const bttui = '/sbin/bttui --tui --dry-run --proc /fake/proc --sys /fake/sys';
    const cmd = `chroot ${root} /usr/bin/env -i TERM=linux PATH=/sbin:/usr/sbin:/bin:/usr/bin HOME=/ /bin/sh -c '${bttui} --once; while :; do ${bttui}; done'; sleep 60`;
    sh('tmux', ['new-session', '-d', '-s', session, '-x', '100', '-y', '30', cmd]);
  });
  after(async () => {
    try {
      try {
        sh('tmux', ['kill-session', '-t', session]);
      } catch {
        // already gone
      }
      // the session's processes take a moment to die; until then the mounts are busy
      for (const until = Date.now() + 10_000; Date.now() < until && processesIn(root).length; )
        await new Promise((r) => setTimeout(r, 100));
      for (const m of mounted.reverse()) sh('umount', [m]);
    } finally {
      await host?.stop();
      await rm(env, { recursive: true, force: true });
    }
    await rm(root, { recursive: true, force: true });
  });

  it('shows the menu with every OS and a countdown to default_os, without terminfo on disk', async () => {
    const s = await waitScreen(/Booting Debian 12 in \d+ s/, 60_000);
    for (const label of ['Operating systems', 'Debian 12', 'FreeDOS', 'Alpine 3.8.0', 'Ctrl+S shell'])
      assert.ok(s.includes(label), label);
    assert.equal(
      sh('sh', ['-c', `ls ${root}/usr/share/terminfo ${root}/lib/terminfo 2>/dev/null | wc -l`]).trim(),
      '0',
    );
  });

  it('the countdown runs', async () => {
    const first = Number(/Booting Debian 12 in (\d+) s/.exec(screen())![1]);
    const later = Number(
      /Booting Debian 12 in (\d+) s/.exec(
        await waitScreen(new RegExp(`Booting Debian 12 in (?!${first} )\\d+ s`)),
      )![1],
    );
    assert.ok(later < first, `${later} < ${first}`);
  });

  it('Ctrl+C stops the countdown', async () => {
    sh('tmux', ['send-keys', '-t', session, 'C-c']);
    await new Promise((r) => setTimeout(r, 1500));
    assert.doesNotMatch(screen(), /Booting Debian 12 in/);
    assert.match(screen(), /Operating systems/);
  });

  it('Down and Enter pick FreeDOS, which is downloaded with the qemu profile and would run in qemu', async () => {
    sh('tmux', ['send-keys', '-t', session, 'Down']);
    sh('tmux', ['send-keys', '-t', session, 'Enter']);
    await waitScreen(/FreeDOS/);
    const log = async () => readFile(path.join(root, 'tmp', 'bttui.log'), 'utf8').catch(() => '');
    for (
      const until = Date.now() + 60_000;
      Date.now() < until && !/dry run, would run: DISPLAY/.test(await log());
    )
      await new Promise((r) => setTimeout(r, 300));
    const text = await log();
    // the OS and the qemu profile, fetched in the same session and checked alike
    assert.match(text, /FreeDOS: all 2 file\(s\) verified/);
    assert.match(
      text,
      /dry run, would run: unpack \/torrents\/downloads\/\.qemu-profile\/qemu-profile\/qemu-profile\.cpio\.zst into \//,
    );
    assert.match(
      text,
      /dry run, would run: DISPLAY=:0 qemu-system-x86_64 -accel kvm -accel tcg -fda odin1440\.img {3}\(in \/torrents\/downloads\/freedos\/freedos\)/,
    );
  });

  it('Ctrl+S leaves to a shell on the same console; exiting it ends the session, and the respawned one shows the menu', async () => {
    // the second session: its menu first
    await waitScreen(/Booting Debian 12 in \d+ s/, 30_000);
    sh('tmux', ['send-keys', '-t', session, 'C-s']);
    await waitScreen(/bttui: leaving to a shell; exit it to come back to the menu\./);
    await waitScreen(/BootTorrent Phase 1\. bttui's log: \/tmp\/bttui\.log/);
    sh('tmux', ['send-keys', '-t', session, 'echo shell-$((6*7))', 'Enter']);
    await waitScreen(/^shell-42$/m);
    // bttui itself, not the shell whose command line respawns it
    const bttuis = () => processesIn(root).filter((p) => commOf(p).startsWith('/sbin/bttui\0'));
    const before = bttuis();
    assert.ok(before.length > 0, 'bttui waits for its shell');
    sh('tmux', ['send-keys', '-t', session, 'clear', 'Enter']);
    for (const until = Date.now() + 10_000; Date.now() < until && /shell-42/.test(screen()); )
      await new Promise((r) => setTimeout(r, 200));
    assert.doesNotMatch(screen(), /shell-42|Booting Debian 12 in/, 'the screen was cleared');
    sh('tmux', ['send-keys', '-t', session, 'exit', 'Enter']);
    for (const until = Date.now() + 10_000; Date.now() < until && bttuis().some((p) => before.includes(p)); )
      await new Promise((r) => setTimeout(r, 200));
    assert.ok(!bttuis().some((p) => before.includes(p)), 'that bttui ended after the shell');
    // the screen was cleared in the shell: a menu now is the new session's
    await waitScreen(/Booting Debian 12 in \d+ s/, 30_000);
    assert.match(screen(), /Operating systems/);
    assert.ok(bttuis().length > 0, 'a new bttui runs');
  });
});
