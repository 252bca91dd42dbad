#!/usr/bin/env node
// `npm run phase1`: the Phase-1 base from Debian packages, without root file system changes:
// dist/phase1/vmlinuz (a Debian kernel) and dist/phase1/rootfs.gz (busybox, NIC drivers, and aria2c and
// kexec linked statically from Debian's sources, so no shared library travels in the base).
import { execFileSync } from 'node:child_process';
import { chmod, copyFile, cp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CHAR, cpioNewc, DIR } from '../../client/src/shared.ts';
import { DRIVERS_ALL } from '../../host/src/shared.ts';
import { COMPRESSIONS, type Compression, compressInitrd } from '../lib/compress-initrd.ts';
import { copyWithLibs } from '../lib/copy-into.ts';
import { dist } from '../lib/paths.ts';
import { printPhase1Sizes } from '../lib/phase1-sizes.ts';
import { runScript } from '../lib/run-script.ts';
import { stageTree } from '../lib/stage-tree.ts';
import { stageDrivers, writeNicAliases } from './drivers.ts';
import { buildDriversAll } from './drivers-all.ts';
import { EFI_RELEASE, fetchEfiLoaders } from './efi-loaders.ts';
import { ALL_FIRMWARE_PACKAGES, FIRMWARE_PACKAGES, fetchFirmware, stageFirmware } from './firmware.ts';
import { fetchKernel } from './kernel-package.ts';
import { buildQemuProfile } from './qemu-profile.ts';
import { staticTool } from './static-tools.ts';

export interface Phase1Options {
  /** where vmlinuz, rootfs.gz and the staged root go */
  out: string;
  compress: Compression;
  /**
   * `static`: aria2c and kexec built from Debian's sources (the default, 8 minutes once, then cached);
   * `debian`: this machine's own packages with their shared libraries, 20 MiB more per client.
   */
  tools: 'static' | 'debian';
  /** also build the qemu profile (Xorg + qemu), which clients fetch as a torrent for the qemu methods */
  qemuProfile: boolean;
}

export const PHASE1_DEFAULTS: Phase1Options = {
  out: dist('phase1'),
  compress: 'zstd',
  tools: 'static',
  qemuProfile: true,
};

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

export async function buildPhase1(o: Phase1Options = PHASE1_DEFAULTS): Promise<void> {
  const OUT = o.out;
  const kernel = fetchKernel(dist('cache'));
  const stage = path.join(OUT, 'root');
  await rm(stage, { recursive: true, force: true });
  await mkdir(stage, { recursive: true });
  await cp(path.join(import.meta.dirname, 'base'), stage, { recursive: true });
  for (const d of ['proc', 'sys', 'dev', 'tmp', 'root', 'run', 'var/log', 'torrents', 'etc/bt'])
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

  // drivers that the machine's devices choose at boot (rcS, mdev and busybox's modprobe)
  const drivers = await stageDrivers(kernel, stage);
  await writeNicAliases(kernel, stage);
  const firmwareTree = fetchFirmware(dist('cache', 'firmware'), ALL_FIRMWARE_PACKAGES);
  const fw = await stageFirmware(firmwareTree, stage, drivers.firmware);

  // the download engine and the loader
  const tools: string[] = [];
  if (o.tools === 'static') {
    for (const [name, at] of [
      ['aria2c', '/usr/bin/aria2c'],
      ['kexec', '/usr/sbin/kexec'],
    ] as const) {
      const t = await staticTool(name);
      await mkdir(path.dirname(path.join(stage, at)), { recursive: true });
      await copyFile(t.path, path.join(stage, at));
      await chmod(path.join(stage, at), 0o755);
      tools.push(`${name} ${t.version} (static)`);
    }
  } else {
    for (const p of ['/usr/bin/aria2c', '/usr/sbin/kexec']) {
      const libs = await copyWithLibs(stage, p);
      tools.push(`${path.basename(p)} (Debian's, with ${libs.length - 1} libraries)`);
    }
  }

  const entries = await stageTree(stage);
  // the kernel opens /dev/console for init before devtmpfs exists: the node must be in the archive
  entries.push(
    { path: 'dev/console', mode: CHAR | 0o600, rdev: [5, 1] },
    { path: 'dev/null', mode: CHAR | 0o666, rdev: [1, 3] },
  );
  for (const e of entries) if (e.path === 'tmp') e.mode = DIR | 0o1777;
  await writeFile(path.join(OUT, 'rootfs.gz'), await compressInitrd(cpioNewc(entries), o.compress, 'rootfs'));
  await copyFile(path.join(kernel.root, 'boot', `vmlinuz-${kernel.version}`), path.join(OUT, 'vmlinuz'));
  // rooms with server NICs: every wired NIC driver, served only to envs that set phase1.drivers: all
  const all = await buildDriversAll({
    kernel,
    carried: drivers.modules,
    carriedFirmware: fw.found,
    firmwareTree,
    out: OUT,
    compress: o.compress,
  });

  // UEFI clients (Secure Boot on or off) start Phase 1 through shim and GRUB, both signed by Debian's chain
  const efi = await fetchEfiLoaders(dist('cache', `efi-${EFI_RELEASE}`), path.join(OUT, 'efi'));

  console.log(`kernel ${kernel.version}`);
  console.log(`UEFI loaders: ${efi}`);
  console.log(
    `drivers: ${drivers.modules.length} modules, ${mib(drivers.bytes)} before compression (tools/phase1/drivers.ts)`,
  );
  console.log(
    `firmware: ${fw.found.length} of the ${fw.found.length + fw.missing.length} files the drivers name, ${mib(fw.bytes)} before compression (Debian's ${FIRMWARE_PACKAGES.join(', ')})`,
  );
  console.log(
    `${DRIVERS_ALL} (phase1.drivers: all): ${all.modules} more modules and ${all.firmware.found} firmware files (${all.firmware.missing} named are in none of Debian's ${ALL_FIRMWARE_PACKAGES.join(', ')}), ${mib(all.bytes)}, ${mib(all.unpackedBytes)} unpacked`,
  );
  console.log(`tools: ${tools.join(', ')}`);
  await printPhase1Sizes({ vmlinuz: path.join(OUT, 'vmlinuz'), rootfs: path.join(OUT, 'rootfs.gz') });
  if (o.qemuProfile) await buildQemuProfile();
}

const USAGE = `usage: npm run phase1 -- [--compress zstd|xz|gzip] [--tools static|debian] [--no-qemu-profile]

  --compress  rootfs.gz's compression (default zstd; gzip for kernels older than 5.9)
  --tools     static: aria2c and kexec built from Debian's source packages, once, cached in dist/cache
              (default); debian: this machine's own, with their shared libraries (about 20 MiB more)
  --no-qemu-profile  skip the qemu profile (Xorg + qemu, published as a torrent for OSes run in qemu)`;

export function parsePhase1Args(argv: string[]): Phase1Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      compress: { type: 'string', default: PHASE1_DEFAULTS.compress },
      tools: { type: 'string', default: PHASE1_DEFAULTS.tools },
      'no-qemu-profile': { type: 'boolean', default: false },
    },
  });
  if (!COMPRESSIONS.includes(values.compress as Compression))
    throw new Error(`--compress ${values.compress}: use one of ${COMPRESSIONS.join(', ')}`);
  if (values.tools !== 'static' && values.tools !== 'debian')
    throw new Error(`--tools ${values.tools}: use static or debian`);
  return {
    ...PHASE1_DEFAULTS,
    compress: values.compress as Compression,
    tools: values.tools,
    qemuProfile: !values['no-qemu-profile'],
  };
}

if (import.meta.main) await runScript('npm run phase1', USAGE, parsePhase1Args, buildPhase1);
