#!/usr/bin/env node
// `npm run phase1`: the Phase-1 base from Debian packages, offline and without root file system changes:
// dist/phase1/vmlinuz (a Debian kernel) and dist/phase1/rootfs.gz (busybox, NIC drivers, aria2c, kexec).
import { execFileSync } from 'node:child_process';
import {
  chmod,
  copyFile,
  cp,
  mkdir,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CHAR, cpioNewc, DIR } from '../../host/src/build/cpio-newc.ts';
import { PROJECT_ROOT } from '../../host/src/build/phase1-files.ts';
import { copyWithLibs } from '../lib/copy-into.ts';
import { stageTree } from '../lib/stage-tree.ts';
import { fetchKernel } from './kernel-package.ts';
import { loadOrder, modinfoDepends } from './module-order.ts';

/** NIC drivers of common lab machines and of QEMU; their dependencies are added from .modinfo. */
export const NIC_MODULES = ['virtio_pci', 'virtio_net', 'e1000', 'e1000e', 'igb', 'r8169', 'realtek', 'tg3'];

const OUT = path.join(PROJECT_ROOT, 'dist', 'phase1');
const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

async function findModules(dir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.ko')) found.set(e.name.slice(0, -3).replaceAll('-', '_'), p);
    }
  };
  await walk(dir);
  return found;
}

export async function buildPhase1(): Promise<void> {
  const kernel = fetchKernel(path.join(PROJECT_ROOT, 'dist', 'cache'));
  const stage = path.join(OUT, 'root');
  await rm(stage, { recursive: true, force: true });
  await mkdir(stage, { recursive: true });
  await cp(path.join(import.meta.dirname, 'base'), stage, { recursive: true });
  for (const d of [
    'proc',
    'sys',
    'dev',
    'tmp',
    'root',
    'run',
    'var/log',
    'torrents',
    'lib/modules/phase1',
    'etc/bt',
  ])
    await mkdir(path.join(stage, d), { recursive: true });

  // busybox, with a link per applet at the path busybox itself names
  await mkdir(path.join(stage, 'bin'), { recursive: true });
  await copyFile('/bin/busybox', path.join(stage, 'bin', 'busybox'));
  await chmod(path.join(stage, 'bin', 'busybox'), 0o755);
  const applets = execFileSync('/bin/busybox', ['--list-full'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  for (const a of applets) {
    if (a === 'bin/busybox') continue;
    await mkdir(path.dirname(path.join(stage, a)), { recursive: true });
    await symlink(path.relative(path.dirname(`/${a}`), '/bin/busybox'), path.join(stage, a)).catch(() => {});
  }
  await symlink('bin/busybox', path.join(stage, 'init'));

  // NIC drivers in dependency order (no modprobe, no modules.dep in Phase 1)
  const mods = await findModules(path.join(kernel.root, 'lib', 'modules', kernel.version, 'kernel'));
  const builtin = (
    await readFile(path.join(kernel.root, 'lib', 'modules', kernel.version, 'modules.builtin'), 'utf8')
  )
    .split('\n')
    .map((l) => path.basename(l, '.ko').replaceAll('-', '_'));
  const depsCache = new Map<string, string[]>();
  const deps = (n: string) => depsCache.get(n) ?? [];
  const want = NIC_MODULES.filter((n) => !builtin.includes(n));
  const pending = [...want];
  while (pending.length) {
    const n = pending.pop()!;
    if (depsCache.has(n)) continue;
    const file = mods.get(n);
    if (!file) throw new Error(`kernel ${kernel.version} has no module ${n}`);
    const d = modinfoDepends(await readFile(file))
      .map((x) => x.replaceAll('-', '_'))
      .filter((x) => !builtin.includes(x));
    depsCache.set(n, d);
    pending.push(...d);
  }
  const order = loadOrder(want, deps);
  for (const n of order)
    await copyFile(mods.get(n)!, path.join(stage, 'lib', 'modules', 'phase1', `${n}.ko`));
  await writeFile(path.join(stage, 'etc', 'bt', 'modules'), `${order.join('\n')}\n`);

  // the download engine and the loader, with their libraries
  await copyWithLibs(stage, '/usr/bin/aria2c');
  await copyWithLibs(stage, '/usr/sbin/kexec');

  const entries = await stageTree(stage);
  // the kernel opens /dev/console for init before devtmpfs exists: the node must be in the archive
  entries.push(
    { path: 'dev/console', mode: CHAR | 0o600, rdev: [5, 1] },
    { path: 'dev/null', mode: CHAR | 0o666, rdev: [1, 3] },
  );
  for (const e of entries) if (e.path === 'tmp') e.mode = DIR | 0o1777;
  await writeFile(path.join(OUT, 'rootfs.gz'), gzipSync(cpioNewc(entries), { level: 6 }));
  await copyFile(path.join(kernel.root, 'boot', `vmlinuz-${kernel.version}`), path.join(OUT, 'vmlinuz'));

  const size = async (f: string) => (await stat(path.join(OUT, f))).size;
  console.log(`kernel ${kernel.version}: ${mib(await size('vmlinuz'))}`);
  console.log(`NIC modules: ${order.join(' ')}`);
  console.log(`rootfs.gz: ${mib(await size('rootfs.gz'))}  ->  ${path.join(OUT, 'rootfs.gz')}`);
}

if (import.meta.main) await buildPhase1();
