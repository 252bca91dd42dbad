const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const MAC = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i;

export function isIpv4(s: string): boolean {
  return IPV4.test(s);
}

/** A dotted IPv4 address as a number (for ranges and masks). */
export function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

/** aa:bb:cc:dd:ee:ff, lower case, from either separator; undefined for anything else. */
export function normalizeMac(s: string): string | undefined {
  return MAC.test(s) ? s.toLowerCase().replaceAll('-', ':') : undefined;
}
