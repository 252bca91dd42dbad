import { createCipheriv } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import yaml from 'js-yaml';
import type { OsConfig } from '../../client/src/config/os-config.ts';
import { PROFILES_FILE, type Profiles } from '../../client/src/config/profiles-config.ts';
import { CHAR, cpioNewc, DIR, FILE, SYMLINK } from '../../client/src/shared.ts';
import { certificateTable } from '../../host/src/shared.ts';
import { dist } from '../lib/paths.ts';
import { bootSectorFloppy } from './boot-sector.ts';
import type { LabNet } from './netns.ts';
import type { LabDhcp } from './site-dhcp.ts';

/** What the qemu demo OS's guest prints on the client's console. */
export const QEMU_GUEST_UP = 'QEMU-GUEST-UP';

/** Incompressible but reproducible bytes (AES-CTR keystream), so the demo's infohash is stable. */
function padding(bytes: number, seed: string): Buffer {
  const key = Buffer.alloc(16);
  key.write(seed);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(bytes));
}

/**
 * The target OS of the demo: an initramfs whose /init prints `TARGET-OS-UP <name>` on the console and
 * powers off, followed by an uncompressed archive of `padMib` MiB so the download is of a realistic size.
 */
export async function targetInitrd(name: string, padMib: number): Promise<Buffer> {
  const init = [
    '#!/bin/busybox sh',
    '/bin/busybox mount -t proc proc /proc',
    `/bin/busybox echo "TARGET-OS-UP ${name} (kexec'd by BootTorrent; $(/bin/busybox wc -c < /pad.bin) bytes of padding)"`,
    '/bin/busybox poweroff -f',
  ].join('\n');
  const head = cpioNewc([
    { path: 'bin', mode: DIR | 0o755 },
    { path: 'bin/busybox', mode: FILE | 0o755, data: await readFile('/bin/busybox') },
    { path: 'bin/sh', mode: SYMLINK | 0o777, link: 'busybox' },
    { path: 'dev', mode: DIR | 0o755 },
    { path: 'dev/console', mode: CHAR | 0o600, rdev: [5, 1] },
    { path: 'proc', mode: DIR | 0o755 },
    { path: 'init', mode: FILE | 0o755, data: Buffer.from(`${init}\n`) },
  ]);
  const parts: Buffer[] = [gzipSync(head)];
  // a second, uncompressed archive after the compressed one must start on a 4-byte boundary
  parts.push(Buffer.alloc((4 - (parts[0]!.length % 4)) % 4));
  if (padMib > 0)
    parts.push(cpioNewc([{ path: 'pad.bin', mode: FILE | 0o644, data: padding(padMib << 20, name) }]));
  return Buffer.concat(parts);
}

/**
 * The same kernel without its Secure Boot signature (certificate table cut off and its entry zeroed):
 * an OS a Secure Boot client must refuse.
 */
export function unsignedCopy(kernel: Buffer): Buffer {
  const t = certificateTable(kernel.subarray(0, 4096));
  if (!t?.length) throw new Error('the demo kernel is not signed, so there is no signature to remove');
  const out = Buffer.from(kernel.subarray(0, t.offset));
  out.writeBigUInt64LE(0n, t.entryAt);
  return out;
}

export interface DemoEnvOptions {
  dir: string;
  /** the lab network the host serves: its address, bridge and subnet go into Boottorrent.yaml */
  net: Pick<LabNet, 'hostIp' | 'bridge' | 'prefix'>;
  timeout: number;
  seedTime: number;
  padMib: number;
  engine?: 'aria2' | 'webtorrent';
  /** who answers DHCP (site-dhcp.ts): the host (default), the host as a PXE proxy, or a site server alone */
  dhcp?: LabDhcp;
  /** what clients autoboot (default demo-linux, by kexec; bootsector runs in qemu) */
  defaultOs?: string;
  /** MAC → OS for clients that boot something else than defaultOs */
  byMac?: Record<string, string>;
}

/** Writes a complete env (original format plus our optional keys) for the QEMU lab. */
export async function makeDemoEnv(o: DemoEnvOptions): Promise<string> {
  const kernel = dist('phase1', 'vmlinuz');
  await rm(path.join(o.dir, 'oss'), { recursive: true, force: true });
  const os = async (name: string, dispname: string, padMib: number) => {
    const d = path.join(o.dir, 'oss', name);
    await mkdir(d, { recursive: true });
    await copyFile(kernel, path.join(d, 'vmlinuz'));
    await writeFile(path.join(d, 'initrd.img'), await targetInitrd(name, padMib));
    await writeFile(
      path.join(d, 'config.yaml'),
      `dispname: ${dispname}\nmethod: kexec\nkernel: vmlinuz\ninitrd: initrd.img\ncmdline: "console=ttyS0,115200 quiet panic=-1"\n`,
    );
  };
  await os('demo-linux', `Demo Linux (Debian kernel + ${o.padMib} MiB)`, o.padMib);
  await os('tiny-linux', 'Tiny Linux (Debian kernel only)', 0);
  // what a Secure Boot client refuses before downloading: the same kernel, its signature cut off
  await os('unsigned-linux', 'Unsigned Linux (Debian kernel, signature removed)', 0);
  const unsigned = path.join(o.dir, 'oss', 'unsigned-linux', 'vmlinuz');
  await writeFile(unsigned, unsignedCopy(await readFile(unsigned)));
  // an OS that runs in qemu on the client: real Xorg and qemu come with the qemu profile; the guest's
  // serial port is the client's console, so its marker reaches the lab's log
  const bs = path.join(o.dir, 'oss', 'bootsector');
  await mkdir(bs, { recursive: true });
  await writeFile(
    path.join(bs, 'boot.img'),
    bootSectorFloppy(`${QEMU_GUEST_UP} bootsector (run by BootTorrent in qemu)`),
  );
  await writeFile(
    path.join(bs, 'config.yaml'),
    'dispname: Boot sector (a 512-byte guest, run in qemu)\nmethod: bin-qemu-x86_64\n' +
      'args: "-drive file=boot.img,format=raw,if=floppy -serial file:/dev/ttyS0 -nic none -m 16"\n',
  );
  await writeFile(
    path.join(o.dir, 'Boottorrent.yaml'),
    `# The QEMU lab's env, written by tools/lab/make-demo-env.ts: an env in the original format.
boottorrent:
    version: 0
    display_oss: [demo-linux, tiny-linux, bootsector, unsigned-linux]
    timeout: ${o.timeout}
    default_os: ${o.defaultOs ?? 'demo-linux'}
    seed_time: ${o.seedTime}
    host_ip: ${o.net.hostIp}
    engine: ${o.engine ?? 'aria2'}
    stall_timeout: 60
${
  o.byMac
    ? `    by_mac:\n${Object.entries(o.byMac)
        .map(([m, n]) => `        "${m}": ${n}\n`)
        .join('')}`
    : ''
}
dnsmasq:
    enable_dhcp: ${o.dhcp === 'site' ? 'False' : 'True'}
    interface: ${o.net.bridge}
    bind_interfaces: True
    dhcp_range: "${o.dhcp === 'proxy' ? `${o.net.prefix}.0` : `${o.net.prefix}.50,${o.net.prefix}.150,1h`}"
    proxy_dhcp: ${o.dhcp === 'proxy' ? 'True' : 'False'}
    enable_tftp: True
    ipv6_ra: True

opentracker:
    enable: True
    port: 6969

aria2:
    bt_enable_lpd: False
    enable_dht: False
    check_integrity: False
    enable_peer_exchange: True

http:
    enable: True
    port: 8000

phase1:
    cmdline: "console=ttyS0,115200 quiet"
`,
  );
  return o.dir;
}

/**
 * Bytes a client downloads to boot `os` (what the lab's summary divides by): its files as the last build
 * recorded them, plus the qemu profile's archive for an OS that runs in qemu.
 */
export async function demoOsBytes(env: string, os = 'demo-linux'): Promise<number> {
  const torrents = path.join(env, 'out', 'torrents');
  const configs = yaml.load(await readFile(path.join(torrents, 'configs.yaml'), 'utf8')) as Record<
    string,
    OsConfig
  >;
  const c = configs[os];
  if (!c?.files) throw new Error(`${os} is not an OS of ${env}`);
  let n = Object.values(c.files).reduce((t, f) => t + f.size, 0);
  if (c.method !== 'kexec') {
    const profiles = yaml.load(await readFile(path.join(torrents, PROFILES_FILE), 'utf8')) as Profiles;
    n += Object.values(profiles.qemu?.files ?? {}).reduce((t, f) => t + f.size, 0);
  }
  return n;
}
