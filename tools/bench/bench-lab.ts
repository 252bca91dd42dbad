import { execFileSync } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildEnv } from '../../host/src/shared.ts';
import type { LabNet } from '../lab/netns.ts';

/**
 * The benches' env: one OS, `image`, of incompressible bytes (AES-CTR of zeros: the same on every run),
 * built for the host at `hostIp` with its tracker on 6969 and HTTP on 8000, no DHCP or TFTP.
 */
export async function makeBenchEnv(
  work: string,
  o: { sizeMib: number; hostIp: string; pieceKib?: number },
): Promise<{ env: string; torrent: string }> {
  const env = path.join(work, 'env');
  await mkdir(path.join(env, 'oss', 'bench'), { recursive: true });
  const key = Buffer.alloc(16, 7);
  await writeFile(
    path.join(env, 'oss', 'bench', 'image'),
    createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(o.sizeMib << 20)),
  );
  await writeFile(
    path.join(env, 'oss', 'bench', 'config.yaml'),
    'dispname: Bench image\nmethod: kexec\nkernel: image\n',
  );
  await writeFile(
    path.join(env, 'Boottorrent.yaml'),
    `boottorrent: {timeout: -1, seed_time: 0, host_ip: ${o.hostIp}}\ndnsmasq: {enable_dhcp: false, enable_tftp: false}\nopentracker: {enable: true, port: 6969}\nhttp: {enable: true, port: 8000}\n`,
  );
  const built = await buildEnv(env, o.pieceKib ? { pieceLength: o.pieceKib * 1024 } : {});
  if (!built.ok) throw new Error('the bench env did not build');
  return { env, torrent: path.join(env, 'out', 'torrents', 'bench.torrent') };
}

/**
 * N client namespaces on the lab's bridge at .11, .12, …, every link shaped to `rateMbit` both ways
 * (the client's upload on its eth0, its download on the bridge's port towards it), and the host's
 * bridge to the same rate.
 */
export function addShapedClients(net: LabNet, n: number, rateMbit: number): string[] {
  const clientNs: string[] = [];
  for (let i = 1; i <= n; i++) {
    const cns = net.addClient(`c${i}`);
    execFileSync('ip', ['-n', cns, 'addr', 'add', `${net.prefix}.${10 + i}/24`, 'dev', 'eth0']);
    net.shape('eth0', `${rateMbit}mbit`, { ns: cns, latency: '100ms' });
    net.shape(`vc${i}`, `${rateMbit}mbit`);
    clientNs.push(cns);
  }
  net.shape(net.bridge, `${rateMbit}mbit`);
  return clientNs;
}

/** Bytes the host's own stack sent through the bridge (its qdisc shapes exactly the host's upload). */
export function hostSent(net: LabNet): number {
  const out = execFileSync('ip', ['netns', 'exec', net.ns, 'tc', '-s', 'qdisc', 'show', 'dev', net.bridge], {
    encoding: 'utf8',
  });
  return Number(/Sent (\d+) bytes/.exec(out)?.[1] ?? 0);
}

/** A RAM file system for a bench's work (every client's copy and the host's): nothing measures a disk. */
export function mountTmpfs(work: string, mib: number): () => void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mib}m`, 'bench', work]);
  return () => execFileSync('sh', ['-c', `umount ${work} 2>/dev/null; rmdir ${work}`]);
}
