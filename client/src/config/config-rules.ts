import type { BoottorrentConfig } from './boottorrent-config.ts';
import { ipToInt, isIpv4 } from './ipv4.ts';

/** x86 Linux's COMMAND_LINE_SIZE, less what pxelinux adds (initrd=… BOOT_IMAGE=…) */
export const MAX_CMDLINE = 1900;

export interface RuleProblem {
  field: string;
  message: string;
}

/**
 * A rule between the fields of Boottorrent.yaml, run once each field has been read: it names the field
 * it faults, or nothing. `failed(field)` says a field was refused while reading (a rule stays silent on
 * it: one problem per cause).
 */
export interface ConfigRule {
  name: string;
  check(c: BoottorrentConfig, failed: (field: string) => boolean): RuleProblem | undefined;
}

const inMenu = (c: BoottorrentConfig, os: string) =>
  c.boottorrent.display_oss === undefined || c.boottorrent.display_oss.includes(os);

export const CONFIG_RULES: ConfigRule[] = [
  {
    name: 'the default OS is a menu entry',
    check: (c) => {
      const os = c.boottorrent.default_os;
      return os !== undefined && !inMenu(c, os)
        ? {
            field: 'boottorrent.default_os',
            message: `"${os}" is not in display_oss (${c.boottorrent.display_oss!.join(', ')})`,
          }
        : undefined;
    },
  },
  {
    name: 'an autoboot names its OS',
    check: (c, failed) =>
      c.boottorrent.default_os === undefined &&
      c.boottorrent.timeout >= 0 &&
      !failed('boottorrent.default_os')
        ? {
            field: 'boottorrent.default_os',
            message: `is required when timeout is ${c.boottorrent.timeout} (0 or more means autoboot)`,
          }
        : undefined,
  },
  {
    name: 'DHCP is served only on an interface named',
    check: (c, failed) =>
      c.dnsmasq.enable_dhcp && !c.dnsmasq.interface && !failed('dnsmasq.interface')
        ? {
            field: 'dnsmasq.interface',
            message:
              'is required when enable_dhcp is true (DHCP is never served on an interface you did not name)',
          }
        : undefined,
  },
  {
    name: 'the DHCP range leaves the host out',
    check: (c) => {
      const d = c.dnsmasq;
      const ip = c.boottorrent.host_ip;
      if (!d.enable_dhcp || d.proxy_dhcp || !isIpv4(ip) || !d.dhcp_range) return undefined;
      const [first, last] = d.dhcp_range.split(',').map((x) => x.trim());
      if (!isIpv4(first ?? '') || !isIpv4(last ?? '')) return undefined;
      const h = ipToInt(ip);
      return h >= ipToInt(first!) && h <= ipToInt(last!)
        ? {
            field: 'dnsmasq.dhcp_range',
            message: `includes host_ip ${ip}: a client could be given the host's own address; start the range after it`,
          }
        : undefined;
    },
  },
  {
    name: 'the Phase-1 command line fits a kernel',
    check: (c) =>
      c.phase1.cmdline.length > MAX_CMDLINE
        ? {
            field: 'phase1.cmdline',
            message: `is ${c.phase1.cmdline.length} characters; a kernel takes ${MAX_CMDLINE} at most`,
          }
        : undefined,
  },
  {
    name: 'web seeds are served over HTTP',
    check: (c) =>
      c.http.web_seeds && !c.http.enable
        ? { field: 'http.web_seeds', message: 'needs http.enable: true' }
        : undefined,
  },
  // two services on one port would pass here and die at start
  { name: 'each of the host’s services has a port of its own', check: (c) => portClash(c) },
  {
    // DHT alone finds nothing on a closed lab network: it has no node to start from
    name: 'clients can find the host and each other',
    check: (c) =>
      !c.opentracker.enable && !c.aria2.bt_enable_lpd && !c.http.web_seeds
        ? {
            field: 'opentracker.enable',
            message:
              'is false, and clients would have no other way to find the host or each other: ' +
              'keep the tracker, or set aria2.bt_enable_lpd (local discovery) or http.web_seeds',
          }
        : undefined,
  },
];

/**
 * The first port two of the host's services would share: the tracker (TCP and UDP on opentracker.port),
 * HTTP (TCP on http.port), and dnsmasq's DHCP (UDP 67) and TFTP (UDP 69). Pure.
 */
export function portClash(c: BoottorrentConfig): RuleProblem | undefined {
  const taken: { port: number; proto: 'tcp' | 'udp'; what: string }[] = [];
  if (c.dnsmasq.enable_dhcp) taken.push({ port: 67, proto: 'udp', what: 'DHCP (dnsmasq)' });
  if (c.dnsmasq.enable_tftp) taken.push({ port: 69, proto: 'udp', what: 'TFTP (dnsmasq)' });
  const wants: { field: string; port: number; protos: ('tcp' | 'udp')[]; what: string; on: boolean }[] = [
    {
      field: 'opentracker.port',
      port: c.opentracker.port,
      protos: ['tcp', 'udp'],
      what: 'the tracker',
      on: c.opentracker.enable,
    },
    { field: 'http.port', port: c.http.port, protos: ['tcp'], what: 'HTTP', on: c.http.enable },
  ];
  for (const w of wants.filter((x) => x.on)) {
    const other = taken.find((t) => t.port === w.port && w.protos.includes(t.proto));
    if (other)
      return {
        field: w.field,
        message: `is ${w.port}, which ${other.what} uses too: each of the host's services needs a port of its own`,
      };
    for (const proto of w.protos) taken.push({ port: w.port, proto, what: `${w.what} (${w.field})` });
  }
  return undefined;
}
