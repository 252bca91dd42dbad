import { closeSync, constants, openSync, readSync } from 'node:fs';
import { readdir, readFile, readlink, statfs } from 'node:fs/promises';
import { networkInterfaces, release } from 'node:os';
import path from 'node:path';
import { type MissingFirmware, missingFirmware } from './core/firmware-log.ts';
import { parseKernelCmdline } from './core/kernel-cmdline.ts';
import { lockedDown } from './core/lockdown.ts';
import { availableBytes } from './core/meminfo.ts';
import { type ModuleAlias, modulesFor, parseAliases } from './core/modalias.ts';
import type { NetFacts, NicController } from './core/network-cause.ts';

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

/** The network card a client boots over: the first interface with an IPv4 address, as /sys tells it. */
export interface BootLink {
  iface: string;
  mac: string;
  driver?: string;
  /** link speed in Mb/s, when the driver says it (virtio and many USB adapters do not) */
  mbps?: number;
}

/**
 * The interface with the machine's address, its driver and link speed; undefined without an address.
 * `addresses` is os.networkInterfaces()'s answer, handed in so a test can give its own.
 */
export async function readBootLink(
  sysDir: string,
  addresses: ReturnType<typeof networkInterfaces> = networkInterfaces(),
): Promise<BootLink | undefined> {
  const withIp = Object.entries(addresses)
    .filter(([, l]) => l?.some((a) => a.family === 'IPv4' && !a.internal))
    .sort(([a], [b]) => a.localeCompare(b));
  const [iface, list] = withIp[0] ?? [];
  if (!iface || !list) return undefined;
  const dir = path.join(sysDir, 'class', 'net', iface);
  const driver = await readlink(path.join(dir, 'device', 'driver')).then(
    (l) => path.basename(l),
    () => undefined,
  );
  const speed = Number((await readFile(path.join(dir, 'speed'), 'utf8').catch(() => '')).trim());
  return {
    iface,
    mac: list[0]!.mac.toLowerCase(),
    ...(driver ? { driver } : {}),
    ...(Number.isSafeInteger(speed) && speed > 0 ? { mbps: speed } : {}),
  };
}

/**
 * The PCI network controllers (class 02) and what drives them: the driver bound, and the modules whose
 * aliases match, in Phase 1 (`/lib/modules/<release>/modules.alias`) and in the kernel's whole set of
 * wired NIC drivers (`/etc/bt/nic-aliases`, written by `npm run phase1`).
 */
export async function readControllers(
  sysDir: string,
  systemDir: string,
  kernel = release(),
): Promise<NicController[]> {
  const aliases = async (f: string): Promise<ModuleAlias[]> =>
    parseAliases(await readFile(f, 'utf8').catch(() => ''));
  const phase1 = await aliases(path.join(systemDir, 'lib', 'modules', kernel, 'modules.alias'));
  const all = await aliases(path.join(systemDir, 'etc', 'bt', 'nic-aliases'));
  const dir = path.join(sysDir, 'bus', 'pci', 'devices');
  const out: NicController[] = [];
  for (const slot of (await readdir(dir).catch(() => [] as string[])).sort()) {
    const read = (f: string) =>
      readFile(path.join(dir, slot, f), 'utf8').then(
        (t) => t.trim(),
        () => '',
      );
    if (!(await read('class')).startsWith('0x02')) continue;
    const modalias = await read('modalias');
    const driver = await readlink(path.join(dir, slot, 'driver')).then(
      (l) => path.basename(l),
      () => undefined,
    );
    out.push({
      slot,
      id: `${(await read('vendor')).replace(/^0x/, '')}:${(await read('device')).replace(/^0x/, '')}`,
      ...(driver ? { driver } : {}),
      inPhase1: modulesFor(modalias, phase1),
      inKernel: modulesFor(modalias, all),
    });
  }
  return out;
}

/**
 * What the kernel's log holds now, from /dev/kmsg (a record per read; EAGAIN once the last is read, as
 * the file is opened non-blocking), or from a plain file a test hands in; '' when it cannot be read.
 */
export function readKernelLog(kmsg: string): string {
  let fd: number;
  try {
    fd = openSync(kmsg, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return '';
  }
  const records: string[] = [];
  const buf = Buffer.alloc(8192);
  try {
    // bounded: the kernel's ring holds at most a few thousand records
    for (let i = 0; i < 100_000; i++) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        // EPIPE: a record was overwritten while reading; the next read goes on from the oldest one left
        if ((e as NodeJS.ErrnoException).code === 'EPIPE') continue;
        break;
      }
      if (n === 0) break;
      records.push(buf.toString('utf8', 0, n));
    }
  } finally {
    closeSync(fd);
  }
  return records.join('');
}

/** Firmware the kernel could not load, from its log (see firmware-log.ts). */
export function readMissingFirmware(kmsg: string): MissingFirmware[] {
  return missingFirmware(readKernelLog(kmsg));
}

/** The machine's network as /sys and the kernel's addresses show it (see network-cause.ts). */
export async function readNetFacts(sysDir: string, systemDir?: string, kmsg?: string): Promise<NetFacts> {
  const dir = path.join(sysDir, 'class', 'net');
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n !== 'lo').sort();
  const interfaces = await Promise.all(
    names.map(async (name) => {
      // reading carrier fails on an interface that is down: its link is not known then
      const c = (await readFile(path.join(dir, name, 'carrier'), 'utf8').catch(() => '')).trim();
      const device = await readlink(path.join(dir, name, 'device')).then(
        (l) => path.basename(l),
        () => undefined,
      );
      return {
        name,
        carrier: c === '1' ? true : c === '0' ? false : undefined,
        ...(device ? { device } : {}),
      };
    }),
  );
  const ipv4 = Object.values(networkInterfaces())
    .flatMap((l) => l ?? [])
    .filter((a) => a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
  // the cards are looked at only when no interface came up: what stands between them and a driver
  const controllers =
    interfaces.length === 0 && systemDir !== undefined ? await readControllers(sysDir, systemDir) : undefined;
  // looked at only without an address too: then it may be why
  const firmware = ipv4.length === 0 && kmsg !== undefined ? readMissingFirmware(kmsg) : [];
  return {
    interfaces,
    ipv4,
    ...(controllers ? { controllers } : {}),
    ...(firmware.length ? { firmware } : {}),
  };
}
