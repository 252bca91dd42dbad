import { access } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Where `npm run phase1` and `npm run overlay` leave what they build. */
export const PROJECT_DIST = path.join(PROJECT_ROOT, 'dist');

/**
 * What one client may fetch from the host before bttui runs (kernel + rootfs.gz + diff.gz + torrents.gz),
 * for the project's own Phase 1: every byte of it is served as a star, one copy per client.
 */
export const PHASE1_BUDGET_BYTES = 36 * 1048576;

/** The extra initrd of `phase1.drivers: all` (every wired NIC driver), built by `npm run phase1`. */
export const DRIVERS_ALL = 'drivers-all.gz';

/**
 * The parts a client fetches in Phase 1, in the order the kernel unpacks them: drivers-all.gz after
 * rootfs.gz, so that its module index (the whole set's) replaces the default's.
 */
export const PHASE1_PARTS = ['vmlinuz', 'rootfs.gz', DRIVERS_ALL, 'diff.gz', 'torrents.gz'] as const;

/** The initrds of Phase 1 in the order the kernel must unpack them, for pxelinux's and GRUB's lines. */
export function phase1Initrds(drivers: 'default' | 'all'): string[] {
  return PHASE1_PARTS.filter((n) => n !== 'vmlinuz' && (n !== DRIVERS_ALL || drivers === 'all'));
}

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

/**
 * "Phase 1 per client: vmlinuz 7.9 MiB + … = 34.2 MiB (budget 36.0 MiB)", from the sizes found. The
 * budget is the default drivers'; `phase1.drivers: all` is a room's choice to spend more, said so.
 */
export function phase1Line(bytes: Partial<Record<string, number>>): string {
  const parts = PHASE1_PARTS.filter((n) => bytes[n] !== undefined);
  const total = parts.reduce((t, n) => t + bytes[n]!, 0);
  const all = bytes[DRIVERS_ALL];
  const over =
    total - (all ?? 0) > PHASE1_BUDGET_BYTES
      ? ', OVER'
      : all !== undefined
        ? ` for the default drivers; phase1.drivers: all adds ${mib(all)}`
        : '';
  return (
    `Phase 1 per client: ${parts.map((n) => `${n} ${mib(bytes[n]!)}`).join(' + ')} = ${mib(total)} ` +
    `(${total} bytes; budget ${mib(PHASE1_BUDGET_BYTES)}${over})`
  );
}

/** A file the Phase-1 boot needs in the TFTP/HTTP root, and where it may come from, first found wins. */
export interface Phase1File {
  /** name in out/dnsmasq/ph1/ */
  name: string;
  candidates: string[];
  /** the command that produces it when none exists */
  makeWith: string;
}

/**
 * An env may bring its own Phase-1 files in `ph1/` (e.g. a SliTaz kernel and rootfs); otherwise the
 * project's built ones (dist/) and the system's pxelinux/syslinux packages are used.
 */
export function phase1Files(envDir: string, distDir = PROJECT_DIST): Phase1File[] {
  const own = (n: string) => path.join(envDir, 'ph1', n);
  const dist = (n: string) => path.join(distDir, n);
  return [
    {
      name: 'pxelinux.0',
      candidates: [own('pxelinux.0'), '/usr/lib/PXELINUX/pxelinux.0'],
      makeWith: 'apt-get install pxelinux',
    },
    {
      name: 'lpxelinux.0',
      candidates: [own('lpxelinux.0'), '/usr/lib/PXELINUX/lpxelinux.0'],
      makeWith: 'apt-get install pxelinux',
    },
    {
      name: 'ldlinux.c32',
      candidates: [own('ldlinux.c32'), '/usr/lib/syslinux/modules/bios/ldlinux.c32'],
      makeWith: 'apt-get install syslinux-common',
    },
    {
      name: 'vmlinuz',
      candidates: [own('vmlinuz'), own('bzImage'), dist('phase1/vmlinuz')],
      makeWith: 'npm run phase1',
    },
    {
      name: 'rootfs.gz',
      candidates: [own('rootfs.gz'), dist('phase1/rootfs.gz')],
      makeWith: 'npm run phase1',
    },
    { name: 'diff.gz', candidates: [own('diff.gz'), dist('overlay/diff.gz')], makeWith: 'npm run overlay' },
    // UEFI clients: Debian's signed shim, which loads grubx64.efi from the same folder (Secure Boot on or off)
    {
      name: 'shimx64.efi',
      candidates: [own('shimx64.efi'), dist('phase1/efi/shimx64.efi')],
      makeWith: 'npm run phase1',
    },
    {
      name: 'grubx64.efi',
      candidates: [own('grubx64.efi'), dist('phase1/efi/grubx64.efi')],
      makeWith: 'npm run phase1',
    },
  ];
}

/** `phase1.drivers: all`'s initrd: the env's own (made for its own kernel), else the project's. */
export function driversAllFile(envDir: string, distDir = PROJECT_DIST): Phase1File {
  return {
    name: DRIVERS_ALL,
    candidates: [path.join(envDir, 'ph1', DRIVERS_ALL), path.join(distDir, 'phase1', DRIVERS_ALL)],
    makeWith: 'npm run phase1',
  };
}

export async function locate(f: Phase1File): Promise<string | undefined> {
  for (const c of f.candidates) {
    if (
      await access(c).then(
        () => true,
        () => false,
      )
    )
      return c;
  }
  return undefined;
}
