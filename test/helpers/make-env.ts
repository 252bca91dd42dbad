import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zstdCompressSync } from 'node:zlib';
import { cpioNewc, DIR, FILE, formatProblem } from '../../client/src/shared.ts';
import { buildEnv } from '../../host/src/shared.ts';

/** Deterministic pseudo-random bytes, so fixtures are the same on every machine and run. */
export function fixtureBytes(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

export const ORIGINAL_BOOTTORRENT_YAML = `boottorrent:
    version: 0
    display_oss: [debian, freedos, alpine]
    timeout: 30
    default_os: debian
    seed_time: 30
    host_ip: 10.77.0.1

dnsmasq:
    enable_dhcp: True
    interface: btbr0
    bind_interfaces: True
    dhcp_range: "10.77.0.50,10.77.0.150,12h"
    enable_tftp: True

opentracker:
    enable: True
    port: 6969

transmission:
    rpc_port: 9091

aria2:
    bt_enable_lpd: False
    enable_dht: False
    check_integrity: False
    enable_peer_exchange: True
`;

/**
 * A stand-in for the qemu profile (a zstd newc cpio, as `npm run phase1` builds it), small and the same
 * on every machine: an env's own ph1/ copy wins over dist/, so builds in tests do not depend on what
 * dist/ holds. Its one file says it is the fixture; it has no modules to load and no programs.
 */
export function tinyQemuProfile(): Buffer {
  return zstdCompressSync(
    cpioNewc([
      { path: 'usr', mode: DIR | 0o755 },
      { path: 'usr/share', mode: DIR | 0o755 },
      { path: 'usr/share/bt-qemu-profile', mode: FILE | 0o644, data: Buffer.from('test fixture\n') },
    ]),
  );
}

/** An env in the original BootTorrent's format with one OS of each method; files are small fixtures. */
export async function makeOriginalEnv(
  opts: { boottorrentYaml?: string; sizes?: Record<string, number>; qemuProfile?: boolean } = {},
): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bt-env-'));
  if (opts.qemuProfile !== false) {
    await mkdir(path.join(dir, 'ph1'));
    await writeFile(path.join(dir, 'ph1', 'qemu-profile.cpio.zst'), tinyQemuProfile());
  }
  await writeFile(path.join(dir, 'Boottorrent.yaml'), opts.boottorrentYaml ?? ORIGINAL_BOOTTORRENT_YAML);
  const os = (name: string, config: string, files: Record<string, number>) =>
    addOs(dir, name, config, files, opts.sizes);
  await os(
    'debian',
    'dispname: Debian 12\nmethod: kexec\nkernel: vmlinuz\ninitrd: initrd.img\ncmdline: "console=ttyS0 quiet"\n',
    {
      vmlinuz: 300_000,
      'initrd.img': 700_001,
    },
  );
  await os('freedos', 'dispname: FreeDOS\nmethod: bin-qemu-x86_64\nargs: "-fda odin1440.img"\n', {
    'odin1440.img': 1_474_560,
  });
  await os('alpine', 'dispname: Alpine 3.8.0\nmethod: qemu-iso\nisofile: alpine-virt-3.8.0-x86.iso\n', {
    'alpine-virt-3.8.0-x86.iso': 2_000_000,
    'extra/readme.txt': 1000,
  });
  return dir;
}

/** oss/NAME/ with its config.yaml and fixture files of the given sizes (`sizes` overrides by "name/file"). */
export async function addOs(
  dir: string,
  name: string,
  config: string,
  files: Record<string, number>,
  sizes?: Record<string, number>,
): Promise<void> {
  await mkdir(path.join(dir, 'oss', name), { recursive: true });
  await writeFile(path.join(dir, 'oss', name, 'config.yaml'), config);
  let seed = name.length;
  for (const [f, size] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, 'oss', name, f)), { recursive: true });
    await writeFile(path.join(dir, 'oss', name, f), fixtureBytes(sizes?.[`${name}/${f}`] ?? size, seed++));
  }
}

/**
 * An env the size of a room's, in the original format: `kexec` Linux OSes (linux1, linux2, …) and then
 * a floppy and an ISO that run in qemu, listed in that order, so the qemu OSes and the qemu profile are
 * the last torrents of the env. The fixture's Boottorrent.yaml with its display_oss replaced.
 */
export async function makeRoomEnv(o: { kexec: number; boottorrentYaml?: string }): Promise<{
  dir: string;
  names: string[];
}> {
  const linux = Array.from({ length: o.kexec }, (_, i) => `linux${i + 1}`);
  const names = [...linux, 'floppy', 'cdrom'];
  const dir = await makeOriginalEnv({
    boottorrentYaml: (o.boottorrentYaml ?? ORIGINAL_BOOTTORRENT_YAML)
      .replace('display_oss: [debian, freedos, alpine]', `display_oss: [${names.join(', ')}]`)
      .replace('default_os: debian', 'default_os: linux1'),
  });
  for (const n of ['debian', 'freedos', 'alpine']) await rm(path.join(dir, 'oss', n), { recursive: true });
  for (const [i, n] of linux.entries())
    await addOs(
      dir,
      n,
      `dispname: Linux ${i + 1}\nmethod: kexec\nkernel: vmlinuz\ninitrd: initrd.img\ncmdline: quiet\n`,
      { vmlinuz: 100_000 + i, 'initrd.img': 200_000 + i },
    );
  await addOs(dir, 'floppy', 'dispname: A floppy\nmethod: bin-qemu-x86_64\nargs: "-fda disk.img"\n', {
    'disk.img': 1_474_560,
  });
  await addOs(dir, 'cdrom', 'dispname: A CD\nmethod: qemu-iso\nisofile: cd.iso\n', { 'cd.iso': 1_000_000 });
  return { dir, names };
}

/** An original-format env (see makeOriginalEnv) that is removed when the test `t` ends, pass or fail. */
export async function envForTest(
  t: { after(fn: () => Promise<void>): void },
  opts: Parameters<typeof makeOriginalEnv>[0] = {},
): Promise<string> {
  const env = await makeOriginalEnv(opts);
  t.after(() => rm(env, { recursive: true, force: true }));
  return env;
}

/** envForTest, built: fails the test with the build's own problems when the build refuses the env. */
export async function builtEnvForTest(
  t: { after(fn: () => Promise<void>): void },
  opts: Parameters<typeof makeOriginalEnv>[0] = {},
): Promise<{ env: string; out: string; conf: string }> {
  const env = await envForTest(t, opts);
  const r = await buildEnv(env);
  assert.ok(r.ok, r.ok ? '' : r.problems.map(formatProblem).join('\n'));
  return { env, out: r.value.out, conf: path.join(r.value.out, 'dnsmasq', 'dnsmasq.conf') };
}
