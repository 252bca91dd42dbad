// The boot files of x86-64 UEFI clients, Secure Boot on or off: Debian's Microsoft-signed shim and its
// Debian-signed network GRUB. One chain for every UEFI client, because DHCP cannot tell whether a
// client's Secure Boot is on (both ask with client-arch 7); with it off, shim simply starts GRUB.
// From Debian 13 whatever the machine runs: its GRUB 2.12 takes the boot server from a proxy DHCP offer
// (12's 2.06 took the site server's and stopped at its prompt) and reads Phase 1 over HTTP.
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { extractDebs } from './debian-packages.ts';
import { aptDownload, releaseList } from './debian-source.ts';

/** The Debian release the loaders come from (its name, as apt's sources say it). */
export const EFI_RELEASE = 'trixie';

/** Where each boot file comes from: package, file inside it, name in the TFTP root. */
export const EFI_LOADERS = [
  // shim loads `grubx64.efi` from its own folder, whatever its own name
  { pkg: 'shim-signed', from: 'usr/lib/shim/shimx64.efi.signed', name: 'shimx64.efi' },
  // the "net" build has efinet, tftp and (in 2.12) http inside, and reads $prefix/grub.cfg, prefix /grub
  {
    pkg: 'grub-efi-amd64-signed',
    from: 'usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed',
    name: 'grubx64.efi',
  },
] as const;

/**
 * Downloads the signed loaders (once, into `cache`; the packages are never installed on this machine:
 * their maintainer scripts would write to its own EFI partition) and copies them into `out`.
 * Returns "shim-signed 1.51…, grub-efi-amd64-signed 1+2.12…" for the build's summary.
 */
export async function fetchEfiLoaders(cache: string, out: string): Promise<string> {
  await mkdir(cache, { recursive: true });
  const debOf = (pkg: string) =>
    readdirSync(cache).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
  const wanted = EFI_LOADERS.map((l) => l.pkg).filter((p) => !debOf(p));
  if (wanted.length) aptDownload(cache, releaseList(EFI_RELEASE), wanted);
  const root = path.join(cache, 'root');
  await rm(root, { recursive: true, force: true });
  const debs = EFI_LOADERS.map((l) => {
    const d = debOf(l.pkg);
    if (!d) throw new Error(`apt-get download ${l.pkg} left no .deb in ${cache}`);
    return d;
  });
  extractDebs(
    debs.map((d) => path.join(cache, d)),
    root,
  );
  await mkdir(out, { recursive: true });
  for (const l of EFI_LOADERS) {
    const from = path.join(root, l.from);
    if (!existsSync(from)) throw new Error(`${l.pkg} no longer ships ${l.from}`);
    await copyFile(from, path.join(out, l.name));
  }
  await rm(root, { recursive: true, force: true });
  return debs.map((d) => d.replace(/_amd64\.deb$|_all\.deb$/, '').replace('_', ' ')).join(', ');
}
