import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

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

/** An env in the original BootTorrent's format with one OS of each method; files are small fixtures. */
export async function makeOriginalEnv(
  opts: { boottorrentYaml?: string; sizes?: Record<string, number> } = {},
): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bt-env-'));
  await writeFile(path.join(dir, 'Boottorrent.yaml'), opts.boottorrentYaml ?? ORIGINAL_BOOTTORRENT_YAML);
  const os = async (name: string, config: string, files: Record<string, number>) => {
    await mkdir(path.join(dir, 'oss', name), { recursive: true });
    await writeFile(path.join(dir, 'oss', name, 'config.yaml'), config);
    let seed = name.length;
    for (const [f, size] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, 'oss', name, f)), { recursive: true });
      await writeFile(
        path.join(dir, 'oss', name, f),
        fixtureBytes(opts.sizes?.[`${name}/${f}`] ?? size, seed++),
      );
    }
  };
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
