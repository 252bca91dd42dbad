import { rm } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { fakeMachine } from './fake-tools.ts';
import { tempDir } from './temp-dir.ts';

const BTTUI = path.resolve('client/src/bttui.ts');

/**
 * bttui from source, as the Phase-1 system runs it, against `root` (a built env's out/torrents), with a
 * fake /proc and /sys and its RAM disk and system in fresh folders; `netns` runs it in a client's
 * namespace. Bounded by a kill timeout. The caller removes `data` and `system`.
 */
export async function runBttui(
  root: string,
  args: string[],
  o: {
    path: string;
    cmdline?: string;
    mem?: number;
    noDisplay?: boolean;
    lockdown?: boolean;
    mac?: string;
    netns?: string;
    /** the namespace's own /sys (its interfaces, their links) instead of the fake machine's */
    realSys?: boolean;
    timeoutMs?: number;
  },
) {
  const m = await fakeMachine({
    mac: o.mac,
    cmdline: o.cmdline,
    memAvailableKb: o.mem,
    noDisplay: o.noDisplay,
    lockdown: o.lockdown,
  });
  const data = await tempDir('bt-ram-');
  // never this machine's own /: the qemu profile is unpacked under --system
  const system = await tempDir('bt-system-');
  const argv = [
    BTTUI,
    ...['--root', root, '--data', data, '--proc', m.proc, '--sys', o.realSys ? '/sys' : m.sys],
    ...['--system', system],
    ...['--plain', '--once', ...args],
  ];
  const [cmd, ...rest] = o.netns
    ? ['ip', 'netns', 'exec', o.netns, 'env', `PATH=${o.path}`, process.execPath, ...argv]
    : [process.execPath, ...argv];
  const r = await execa(cmd!, rest, {
    reject: false,
    env: { PATH: o.path },
    stdin: 'ignore',
    all: true,
    timeout: o.timeoutMs ?? 90_000,
  });
  await rm(m.dir, { recursive: true, force: true });
  return { ...r, data, system, output: r.all ?? '' };
}
