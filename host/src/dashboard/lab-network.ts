import type { NetworkInterfaceInfo } from 'node:os';

/** An IPv4 network: the address as a number and its prefix length. */
export interface Ipv4Net {
  base: number;
  bits: number;
}

function toNumber(ip: string): number | undefined {
  const m = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

function mask(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/**
 * The network the host serves: that of the interface holding host_ip, from the machine's own interface
 * list (so a /16 lab works as well as a /24). An address no interface holds yet gives that address alone.
 */
export function labNetwork(hostIp: string, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): Ipv4Net {
  const own = Object.values(interfaces)
    .flat()
    .find((a) => a?.family === 'IPv4' && a.address === hostIp);
  const bits = own?.cidr ? Number(own.cidr.split('/')[1]) : 32;
  return { base: (toNumber(hostIp) ?? 0) & mask(bits), bits };
}

/** Whether `ip` (as a socket reports it, maybe IPv4-mapped IPv6) is in `net`. */
export function inNetwork(ip: string | undefined, net: Ipv4Net): boolean {
  const n = ip === undefined ? undefined : toNumber(ip);
  return n !== undefined && (n & mask(net.bits)) >>> 0 === net.base >>> 0;
}

export function formatNet(net: Ipv4Net): string {
  const b = net.base >>> 0;
  return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${net.bits}`;
}
