#!/usr/bin/env node
// The qemu profile: Xorg + qemu-system-x86_64 (SDL display) + the kernel modules they need, for the OSes
// that run in a VM on the client (qemu-iso, bin-qemu-x86_64). It is not part of Phase 1's initrds, which
// every client fetches from the host as a star: `boottorrent build` publishes it as one more torrent,
// and bttui fetches it over BitTorrent only when a qemu OS is chosen.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, cp, lstat, mkdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cpioNewc, DIR } from '../../client/src/shared.ts';
import { QEMU_PROFILE } from '../../host/src/shared.ts';
import { compressInitrd } from '../lib/compress-initrd.ts';
import { lddClosure } from '../lib/ldd-closure.ts';
import { dist, PROJECT_ROOT } from '../lib/paths.ts';
import { stageTree } from '../lib/stage-tree.ts';
import { BASE_NODE } from '../overlay/build-bttui.ts';
import { downloadAlone, downloadClosure, extractDebs, resolveClosure } from './debian-packages.ts';
import { moduleFiles } from './kernel-modules.ts';
import { fetchKernel } from './kernel-package.ts';

/** Installed with everything they depend on (on an empty system, as apt resolves it). */
const PACKAGES = [
  'xserver-xorg-core',
  'xserver-xorg-input-evdev',
  'xserver-xorg-video-fbdev',
  // a display without hardware: headless clients and the profile's own test
  'xserver-xorg-video-dummy',
  'xkb-data',
  'x11-xkb-utils',
  'qemu-system-x86',
  'seabios',
  'ipxe-qemu',
  'libsdl2-2.0-0',
  // SDL opens these with dlopen, so no ldd sees them
  'libxcursor1',
  'libxinerama1',
  'libxi6',
  'libxrandr2',
  'libxss1',
  'libxxf86vm1',
  'libxfixes3',
];
/** Only its SDL module is used; its other dependencies (GTK, VTE, …: ~500 MB) are not fetched. */
const ALONE = ['qemu-system-gui'];

/** Programs and plugins whose libraries are followed. */
const ENTRY_POINTS = [
  'usr/lib/xorg/Xorg',
  'usr/bin/xkbcomp',
  'usr/bin/qemu-system-x86_64',
  'usr/lib/xorg/modules/drivers/modesetting_drv.so',
  'usr/lib/xorg/modules/drivers/fbdev_drv.so',
  'usr/lib/xorg/modules/drivers/dummy_drv.so',
  'usr/lib/xorg/modules/input/evdev_drv.so',
  'usr/lib/xorg/modules/libfbdevhw.so',
  'usr/lib/xorg/modules/libshadow.so',
  'usr/lib/xorg/modules/libshadowfb.so',
  'usr/lib/x86_64-linux-gnu/qemu/ui-sdl.so',
  // ui-sdl declares it as a module dependency: without it qemu says "Display 'sdl' is not available"
  'usr/lib/x86_64-linux-gnu/qemu/ui-opengl.so',
  'usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so',
  ...['libX11.so.6', 'libXext.so.6', 'libXcursor.so.1', 'libXinerama.so.1', 'libXi.so.6']
    .concat(['libXrandr.so.2', 'libXss.so.1', 'libXxf86vm.so.1', 'libXfixes.so.3'])
    .map((l) => `usr/lib/x86_64-linux-gnu/${l}`),
];

/** Data the programs read: keyboard maps, and the firmware a PC VM boots (Debian's qemu looks in all three). */
const DATA = [
  'usr/share/X11/xkb',
  'usr/share/seabios',
  'usr/lib/ipxe/qemu',
  ...[
    'kvmvapic.bin',
    'linuxboot.bin',
    'linuxboot_dma.bin',
    'multiboot.bin',
    'multiboot_dma.bin',
    'pvh.bin',
  ].map((f) => `usr/share/qemu/${f}`),
];

/**
 * Modules for the Phase-1 kernel: KMS drivers for QEMU's and common PCs' graphics (others fall back to
 * the firmware's framebuffer through Xorg's fbdev driver), input (evdev; USB keyboards and mice), KVM.
 * amdgpu and nouveau are left out: they need megabytes of firmware to light a screen.
 */
export const PROFILE_MODULES = [
  'bochs',
  'virtio_gpu',
  'i915',
  'ast',
  'mgag200',
  'evdev',
  // USB host controllers and HID are Phase 1's (tools/phase1/drivers.ts): loaded at boot for the menu
  'psmouse',
  'kvm_intel',
  'kvm_amd',
];

const OUT = dist('qemu-profile');
const PROFILE_ARCHIVE = QEMU_PROFILE.archive;
const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

export interface ProfileFacts {
  /** bytes of the archive's files once unpacked into the client's RAM */
  unpackedBytes: number;
  files: number;
  archiveBytes: number;
  kernel: string;
}

/** The libraries diff.gz already carries for bttui: the profile never brings a second copy. */
function overlayLibraries(): Set<string> {
  return new Set(lddClosure(BASE_NODE).map((l) => path.basename(l)));
}

/** glibc's own libraries must match the libc.so.6 they run with: those come from this machine, like diff.gz's. */
const GLIBC =
  /^(ld-linux-x86-64\.so\.2|lib(c|m|dl|pthread|rt|resolv|util|anl|nsl|mvec|BrokenLocale)\.so\.\d+)$/;

export async function buildQemuProfile(log: (l: string) => void = console.log): Promise<ProfileFacts> {
  const cache = dist('cache', 'qemu-profile');
  const archives = path.join(cache, 'debs');
  await mkdir(cache, { recursive: true });
  const debs = resolveClosure(PACKAGES, cache);
  const kernel = fetchKernel(dist('cache'));
  const key = createHash('sha256')
    .update(JSON.stringify({ debs, ALONE, ENTRY_POINTS, DATA, PROFILE_MODULES, kernel: kernel.version }))
    .update(await readFile(new URL(import.meta.url)))
    .update(await readFile(new URL('./kernel-modules.ts', import.meta.url)))
    .update([...overlayLibraries()].sort().join(','))
    .digest('hex')
    .slice(0, 16);
  const built = path.join(cache, key);
  if (!existsSync(path.join(built, PROFILE_ARCHIVE))) {
    log(
      `qemu profile: fetching ${debs.length} Debian packages (once; cached in dist/cache/qemu-profile/debs)`,
    );
    downloadClosure(PACKAGES, cache, archives);
    downloadAlone(ALONE, archives);
    const alone = ALONE.map((p) => {
      const f = readdirSync(archives)
        .filter((n) => n.startsWith(`${p}_`) && n.endsWith('.deb'))
        .sort()
        .at(-1);
      if (!f) throw new Error(`apt-get download ${p} left no .deb in ${archives}`);
      return f;
    });
    const stage = path.join(cache, 'stage');
    await rm(stage, { recursive: true, force: true });
    extractDebs(
      [...debs, ...alone].map((d) => path.join(archives, d)),
      stage,
    );
    const root = path.join(cache, 'root');
    await rm(root, { recursive: true, force: true });
    await assemble(stage, root, kernel);
    const entries = await stageTree(root);
    // Xorg's compiled keymaps and its socket folder, writable in RAM
    entries.push({ path: 'var/lib/xkb', mode: DIR | 0o755 }, { path: 'tmp/.X11-unix', mode: DIR | 0o1777 });
    const cpio = cpioNewc(entries);
    const tmp = `${built}.tmp`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    await writeFile(path.join(tmp, PROFILE_ARCHIVE), await compressInitrd(cpio, 'zstd', 'qemu-profile'));
    const unpackedBytes = entries.reduce((n, e) => n + (e.data?.length ?? 0), 0);
    const facts: ProfileFacts = {
      unpackedBytes,
      files: entries.filter((e) => e.data).length,
      archiveBytes: (await stat(path.join(tmp, PROFILE_ARCHIVE))).size,
      kernel: kernel.version,
    };
    await writeFile(path.join(tmp, 'profile.json'), `${JSON.stringify(facts, null, 2)}\n`);
    await rm(built, { recursive: true, force: true });
    await rename(tmp, built);
  }
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  for (const f of [PROFILE_ARCHIVE, 'profile.json']) await copyFile(path.join(built, f), path.join(OUT, f));
  const facts = JSON.parse(await readFile(path.join(OUT, 'profile.json'), 'utf8')) as ProfileFacts;
  log(
    `qemu profile: ${facts.files} files, ${mib(facts.unpackedBytes)} unpacked, ` +
      `${mib(facts.archiveBytes)} as ${PROFILE_ARCHIVE}  ->  ${path.relative(PROJECT_ROOT, OUT)}/`,
  );
  return facts;
}

/** Copies the profile's files from the unpacked packages into `root`, at the paths they run from. */
async function assemble(
  stage: string,
  root: string,
  kernel: { root: string; version: string },
): Promise<void> {
  const libPath = [
    'lib/x86_64-linux-gnu',
    'usr/lib/x86_64-linux-gnu',
    'usr/lib/x86_64-linux-gnu/pulseaudio',
  ].map((d) => path.join(stage, d));
  const skip = overlayLibraries();
  const files = new Map<string, string>(); // path in root → source file
  for (const e of ENTRY_POINTS) {
    const from = path.join(stage, e);
    if (!existsSync(from)) throw new Error(`the qemu profile needs ${e}, which no fetched package has`);
    files.set(e, from);
    for (const lib of lddClosure(from, libPath)) {
      const name = path.basename(lib);
      if (skip.has(name)) continue;
      if (GLIBC.test(name)) files.set(`lib/x86_64-linux-gnu/${name}`, `/lib/x86_64-linux-gnu/${name}`);
      else if (lib.startsWith(stage + path.sep)) files.set(path.relative(stage, lib), lib);
      else throw new Error(`${e} needs ${lib}, which is not in the fetched packages`);
    }
  }
  for (const [to, from] of files) {
    await mkdir(path.dirname(path.join(root, to)), { recursive: true });
    // libraries are links to versioned files: the profile holds the file under the name that is asked for
    await copyFile(from, path.join(root, to));
  }
  for (const d of DATA) {
    const from = path.join(stage, d);
    if (!existsSync(from)) throw new Error(`the qemu profile needs ${d}, which no fetched package has`);
    await mkdir(path.dirname(path.join(root, d)), { recursive: true });
    await cp(from, path.join(root, d), { recursive: true, dereference: true });
  }
  // PATH finds Xorg; Debian's /usr/bin/Xorg is a wrapper for desktop logins, not needed here
  await mkdir(path.join(root, 'usr', 'bin'), { recursive: true });
  if (!(await lstat(path.join(root, 'usr/bin/Xorg')).catch(() => null)))
    await symlink('../lib/xorg/Xorg', path.join(root, 'usr/bin/Xorg'));
  const mods = await moduleFiles(kernel, PROFILE_MODULES);
  await mkdir(path.join(root, 'lib/modules/qemu-profile'), { recursive: true });
  for (const m of mods) await copyFile(m.file, path.join(root, 'lib/modules/qemu-profile', `${m.name}.ko`));
  await mkdir(path.join(root, 'etc/bt'), { recursive: true });
  await writeFile(path.join(root, 'etc/bt/qemu-modules'), `${mods.map((m) => m.name).join('\n')}\n`);
}

if (import.meta.main) await buildQemuProfile();
