import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { aptDownload, firmwareList } from './debian-source.ts';

/**
 * Debian's firmware packages for the NICs of Phase 1's default drivers: Realtek (rtl_nic/, r8169 and
 * r8152), Broadcom NetXtreme II (bnx2/), and the rest (tigon/ for some tg3 chips, e100/). From the
 * non-free-firmware component, which the machine's own sources do not name: a private apt state fetches
 * them with `apt-get download`, and they are unpacked with dpkg -x, never installed.
 */
export const FIRMWARE_PACKAGES = ['firmware-realtek', 'firmware-bnx2', 'firmware-misc-nonfree'];

/**
 * What `phase1.drivers: all` adds for server NICs: Broadcom NetXtreme II 10G (bnx2x/), QLogic (qed/),
 * Myricom, NetXen (phanfw.bin) and Netronome. Chelsio (cxgb3/, cxgb4/) and Intel ice's DDP package
 * are in firmware-misc-nonfree already.
 */
export const ALL_FIRMWARE_PACKAGES = [
  ...FIRMWARE_PACKAGES,
  'firmware-bnx2x',
  'firmware-qlogic',
  'firmware-myricom',
  'firmware-netxen',
  'firmware-netronome',
];

/** The packages' files unpacked once under `cache` (kept while the .debs are there); returns the tree. */
export function fetchFirmware(cache: string, packages: readonly string[] = FIRMWARE_PACKAGES): string {
  const tree = path.join(cache, 'tree');
  const debs = () => (existsSync(cache) ? readdirSync(cache).filter((f) => f.endsWith('.deb')) : []);
  const have = (p: string) => debs().some((f) => f.startsWith(`${p}_`));
  if (packages.every(have) && existsSync(path.join(tree, 'lib', 'firmware'))) return tree;
  aptDownload(
    cache,
    firmwareList,
    packages.filter((p) => !have(p)),
  );
  for (const p of packages) if (!have(p)) throw new Error(`apt-get download ${p} left no .deb in ${cache}`);
  for (const d of debs()) execFileSync('dpkg-deb', ['-x', path.join(cache, d), tree]);
  return tree;
}

/**
 * Copies the firmware files `names` (as modules name them in `firmware=`) that the packages have into
 * `stage`/lib/firmware, where the kernel loads them from directly; returns what was found and not.
 */
export async function stageFirmware(
  tree: string,
  stage: string,
  names: string[],
): Promise<{ found: string[]; missing: string[]; bytes: number }> {
  const found: string[] = [];
  const missing: string[] = [];
  let bytes = 0;
  for (const n of [...new Set(names)].sort()) {
    const from = path.join(tree, 'lib', 'firmware', n);
    const s = await stat(from).catch(() => undefined);
    if (!s?.isFile()) {
      missing.push(n);
      continue;
    }
    const to = path.join(stage, 'lib', 'firmware', n);
    await mkdir(path.dirname(to), { recursive: true });
    // a package's link is copied as the file it names: the kernel asks by the module's name
    await copyFile(from, to);
    found.push(n);
    bytes += s.size;
  }
  return { found, missing, bytes };
}
