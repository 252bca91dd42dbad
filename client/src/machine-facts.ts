import { readdir, readFile, statfs } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { type BtError, btError } from './core/bt-error.ts';
import { parseKernelCmdline } from './core/kernel-cmdline.ts';
import { lockedDown } from './core/lockdown.ts';
import { availableBytes } from './core/meminfo.ts';

/** Facts bttui reads from the running kernel; the folders are flags so tests can hand in their own. */
export async function readCmdline(procDir: string): Promise<Map<string, string>> {
  return parseKernelCmdline(await readFile(path.join(procDir, 'cmdline'), 'utf8').catch(() => ''));
}

export async function readMemAvailable(procDir: string): Promise<number | undefined> {
  const text = await readFile(path.join(procDir, 'meminfo'), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : availableBytes(text);
}

/** Whether the kernel is locked down (Secure Boot): kexec then needs a signed kernel and `kexec -s`. */
export async function readLockdown(sysDir: string): Promise<boolean> {
  return lockedDown(
    await readFile(path.join(sysDir, 'kernel', 'security', 'lockdown'), 'utf8').catch(() => undefined),
  );
}

/** Free bytes for an unprivileged writer on the file system that holds `dir` (or its nearest parent). */
export async function readDiskFree(dir: string): Promise<number | undefined> {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const s = await statfs(d).catch(() => undefined);
    if (s) return s.bavail * s.bsize;
    if (d === path.dirname(d)) return undefined;
  }
}

/** MACs of the machine's network interfaces (not loopback), lower case. */
export async function readMacs(sysDir: string): Promise<string[]> {
  const dir = path.join(sysDir, 'class', 'net');
  const names = await readdir(dir).catch(() => [] as string[]);
  const macs: string[] = [];
  for (const n of names.sort()) {
    const mac = (await readFile(path.join(dir, n, 'address'), 'utf8').catch(() => '')).trim().toLowerCase();
    if (mac && mac !== '00:00:00:00:00:00') macs.push(mac);
  }
  return macs;
}

/** An IPv4 address on something other than loopback, or why not: DHCP in rcS found no answer. */
export async function checkNetwork(): Promise<BtError | undefined> {
  const up = Object.values(networkInterfaces()).some((list) =>
    list?.some((a) => a.family === 'IPv4' && !a.internal),
  );
  return up
    ? undefined
    : btError(
        'This machine has no network address, so no peer can be reached.',
        'check the cable and that the host runs `boottorrent start` (its DHCP answers Phase 1), then reboot.',
      );
}
