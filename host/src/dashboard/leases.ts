import { normalizeMac } from '../../../client/src/shared.ts';

export interface Lease {
  mac: string;
  ip: string;
  hostname?: string;
}

/**
 * dnsmasq's lease file, one lease a line: `<expiry> <mac> <ip> <hostname or *> <client-id or *>`.
 * Lines that do not read as a lease (an IPv6 "duid" line, a half-written file) are skipped.
 */
export function parseLeases(text: string): Lease[] {
  const leases: Lease[] = [];
  for (const line of text.split('\n')) {
    const [expiry, mac, ip, hostname] = line.trim().split(/\s+/);
    const m = mac ? normalizeMac(mac) : undefined;
    if (!expiry || !/^\d+$/.test(expiry) || !m || !ip || !/^[\d.]+$/.test(ip)) continue;
    leases.push({ mac: m, ip, ...(hostname && hostname !== '*' ? { hostname } : {}) });
  }
  return leases;
}
