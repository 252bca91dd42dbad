import { access } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

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
export function phase1Files(envDir: string): Phase1File[] {
  const own = (n: string) => path.join(envDir, 'ph1', n);
  const dist = (n: string) => path.join(PROJECT_ROOT, 'dist', n);
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
  ];
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
