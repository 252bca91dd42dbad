import { access } from 'node:fs/promises';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { BoottorrentConfig } from '../../../client/src/config/boottorrent-config.ts';

/** Something that would make a component fail at start, said before anything starts, with the fix. */
export interface Blocker {
  message: string;
  fix: string;
}

const PROGRAMS: [string, string, (c: BoottorrentConfig) => boolean][] = [
  ['dnsmasq', 'apt-get install dnsmasq-base', (c) => c.dnsmasq.enable_dhcp || c.dnsmasq.enable_tftp],
  ['aria2c', 'apt-get install aria2', () => true],
  ['opentracker', 'apt-get install opentracker', (c) => c.opentracker.enable],
];

export async function preflight(
  c: BoottorrentConfig,
  o: { seederPort: number; isRoot: boolean; sysDir?: string },
): Promise<Blocker[]> {
  const out: Blocker[] = [];
  for (const [prog, install, needed] of PROGRAMS) {
    if (needed(c) && !(await which(prog)))
      out.push({ message: `${prog} is not installed`, fix: `${install} (or: npm run setup)` });
  }
  const d = c.dnsmasq;
  if ((d.enable_dhcp || d.enable_tftp) && !o.isRoot)
    out.push({
      message: 'DHCP (port 67) and TFTP (port 69) need root rights',
      fix: 'run `sudo npx boottorrent start …`',
    });
  if (d.interface && !(await exists(`${o.sysDir ?? '/sys'}/class/net/${d.interface}`)))
    out.push({
      message: `network interface ${d.interface} does not exist here`,
      fix: 'set dnsmasq.interface in Boottorrent.yaml to one of `ip -br link`',
    });
  const mine = Object.values(networkInterfaces()).flatMap((l) => l?.map((a) => a.address) ?? []);
  if (!mine.includes(c.boottorrent.host_ip))
    out.push({
      message: `host_ip ${c.boottorrent.host_ip} is not an address of this machine`,
      fix: `set boottorrent.host_ip to this host's address on ${d.interface || 'the lab network'}`,
    });
  else {
    const ports: [string, number, boolean][] = [
      ['tracker (opentracker.port)', c.opentracker.port, c.opentracker.enable],
      ['HTTP (http.port)', c.http.port, c.http.enable],
      ['seeder', o.seederPort, true],
    ];
    for (const [what, port, used] of ports) {
      if (used && !(await portFree(c.boottorrent.host_ip, port)))
        out.push({
          message: `port ${port} for the ${what} is in use on ${c.boottorrent.host_ip}`,
          fix: 'stop what uses it (`ss -ltnp`) or choose another port',
        });
    }
  }
  return out;
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

/** A program's path: PATH first, then the sbin folders a non-root PATH often lacks. */
export async function which(prog: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin'])) {
    if (dir && (await exists(`${dir}/${prog}`))) return `${dir}/${prog}`;
  }
  return undefined;
}

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}
