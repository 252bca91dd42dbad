import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { type BoottorrentConfig, type BtError, ipToInt } from '../../../client/src/shared.ts';

/**
 * Something that would make a component fail at start, said before anything starts, with the fix as its
 * hint: the same shape, and the same printer, as a client's errors.
 */
export type Blocker = BtError;

/** What would stop the host, and the path of each program it will run, as found. */
export interface Preflight {
  blockers: Blocker[];
  programs: Partial<Record<'dnsmasq' | 'aria2c' | 'opentracker', string>>;
}

const PROGRAMS: [
  'dnsmasq' | 'aria2c' | 'opentracker',
  string,
  (c: BoottorrentConfig, seeder: string) => boolean,
][] = [
  ['dnsmasq', 'apt-get install dnsmasq-base', (c) => c.dnsmasq.enable_dhcp || c.dnsmasq.enable_tftp],
  // the WebTorrent seeder runs on this Node; aria2c only when it is the seeder
  ['aria2c', 'apt-get install aria2', (_c, seeder) => seeder === 'aria2'],
  ['opentracker', 'apt-get install opentracker', (c) => c.opentracker.enable],
];

export async function preflight(
  c: BoottorrentConfig,
  o: {
    seederPort: number;
    /** which seeder start runs (aria2 needs its program) */
    seeder: 'aria2' | 'webtorrent';
    isRoot: boolean;
    sysDir?: string;
    /** how a program is found (tests hand in a machine without them) */
    find?: (prog: string) => Promise<string | undefined>;
  },
): Promise<Preflight> {
  const out: Blocker[] = [];
  const programs: Preflight['programs'] = {};
  for (const [prog, install, needed] of PROGRAMS) {
    if (!needed(c, o.seeder)) continue;
    const found = await (o.find ?? which)(prog);
    if (found) programs[prog] = found;
    else out.push({ message: `${prog} is not installed`, hint: `${install} (or: npm run setup)` });
  }
  const d = c.dnsmasq;
  if ((d.enable_dhcp || d.enable_tftp) && !o.isRoot)
    out.push({
      message: 'DHCP (port 67) and TFTP (port 69) need root rights',
      hint: 'run `sudo npx boottorrent start …`',
    });
  if (d.interface && !(await exists(`${o.sysDir ?? '/sys'}/class/net/${d.interface}`)))
    out.push({
      message: `network interface ${d.interface} does not exist here`,
      hint: 'set dnsmasq.interface in Boottorrent.yaml to one of `ip -br link`',
    });
  if ((d.enable_dhcp || d.enable_tftp) && !(await userExists(d.user)))
    out.push({
      message: `dnsmasq.user ${d.user} is not a user on this machine (dnsmasq would refuse to start)`,
      hint: 'set dnsmasq.user to an existing user (root, or one `getent passwd` lists)',
    });
  const mine = Object.values(networkInterfaces()).flatMap((l) => l ?? []);
  const own = mine.find((a) => a.family === 'IPv4' && a.address === c.boottorrent.host_ip);
  if (!own)
    out.push({
      message: `host_ip ${c.boottorrent.host_ip} is not an address of this machine`,
      hint: `set boottorrent.host_ip to this host's address on ${d.interface || 'the lab network'}`,
    });
  else {
    const wrong = d.enable_dhcp
      ? rangeOutside(d.dhcp_range, d.proxy_dhcp, own.address, own.netmask)
      : undefined;
    if (wrong)
      out.push({
        message: `dnsmasq.dhcp_range ${d.dhcp_range} ${wrong} (host_ip ${own.cidr ?? own.address})`,
        hint: d.proxy_dhcp
          ? `set dnsmasq.dhcp_range to "${intToIp(ipToInt(own.address) & maskBits(own.netmask))}"`
          : "set dnsmasq.dhcp_range to addresses of host_ip's network, outside host_ip",
      });
    const ports: [string, number, boolean][] = [
      ['tracker (opentracker.port)', c.opentracker.port, c.opentracker.enable],
      ['HTTP (http.port)', c.http.port, c.http.enable],
      ['seeder', o.seederPort, true],
    ];
    // the seeder's port is start's option, not the env's: the env's own clashes were refused at build
    const clash = ports.find(([what, port, used]) => used && what !== 'seeder' && port === o.seederPort);
    if (clash)
      out.push({
        message: `the seeder's port ${o.seederPort} is the ${clash[0]}'s too`,
        hint: 'choose another with --seeder-port',
      });
    for (const [what, port, used] of ports) {
      if (used && !(await portFree(c.boottorrent.host_ip, port)))
        out.push({
          message: `port ${port} for the ${what} is in use on ${c.boottorrent.host_ip}`,
          hint: 'stop what uses it (`ss -ltnp`) or choose another port',
        });
    }
  }
  return { blockers: out, programs };
}

const maskBits = (mask: string) => ipToInt(mask) >>> 0;
const intToIp = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');

/** Why a DHCP range does not belong to host_ip's network, or undefined when it does. Pure. */
export function rangeOutside(
  range: string,
  proxy: boolean,
  hostIp: string,
  netmask: string,
): string | undefined {
  const mask = maskBits(netmask);
  const net = (ip: string) => (ipToInt(ip) & mask) >>> 0;
  const parts = range.split(',').map((x) => x.trim());
  if (proxy)
    return ipToInt(parts[0]!) >>> 0 === net(hostIp) ? undefined : "is not the address of host_ip's network";
  const outside = parts.slice(0, 2).filter((ip) => net(ip) !== net(hostIp));
  return outside.length ? `reaches outside host_ip's network (${outside.join(', ')})` : undefined;
}

function userExists(user: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('getent', ['passwd', user], (err) => resolve(!err));
  });
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
