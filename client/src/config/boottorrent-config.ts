// Over 250 lines: Boottorrent.yaml's type, its known keys and the reading of every field, which the rules then use.
import { CONFIG_RULES } from './config-rules.ts';
import { FieldReader, isObject } from './field-reader.ts';
import { ipToInt, isIpv4, normalizeMac } from './ipv4.ts';
import { osNameProblem } from './names.ts';
import type { Checked } from './problem.ts';

export const ENGINES = ['aria2', 'webtorrent'] as const;
export type EngineName = (typeof ENGINES)[number];

/** Boottorrent.yaml, normalised: every optional field has its default filled in. */
export interface BoottorrentConfig {
  boottorrent: {
    version: number;
    /** undefined = every folder under oss/ (the host resolves it; the client gets it filled in) */
    display_oss: string[] | undefined;
    /** seconds; 0 boots default_os at once, < 0 never autoboots */
    timeout: number;
    default_os: string | undefined;
    /** seconds to keep seeding after download, before kexec (the original meant seconds too) */
    seed_time: number;
    host_ip: string;
    engine: EngineName;
    /** seconds without a byte before a download is reported as stalled */
    stall_timeout: number;
    /** MiB of RAM left free after the OS files are in memory */
    ram_reserve_mb: number;
    /** lower-case MAC (aa:bb:cc:dd:ee:ff) → OS name: the OS this machine boots unattended */
    by_mac: Record<string, string>;
  };
  dnsmasq: {
    enable_dhcp: boolean;
    /** answer PXE only and leave addresses to the network's own DHCP server */
    proxy_dhcp: boolean;
    user: string;
    interface: string;
    bind_interfaces: boolean;
    /** "first,last,lease" — or, with proxy_dhcp, the network address "192.168.1.0" */
    dhcp_range: string;
    enable_tftp: boolean;
    /** send IPv6 router advertisements (no default route): iPXE then skips a ~13 s IPv6 wait */
    ipv6_ra: boolean;
  };
  opentracker: { enable: boolean; port: number };
  aria2: {
    bt_enable_lpd: boolean;
    enable_dht: boolean;
    check_integrity: boolean;
    enable_peer_exchange: boolean;
  };
  http: {
    /** serve Phase-1 files and OS folders over HTTP (pxelinux under iPXE fetches http:// ~3x faster than TFTP) */
    enable: boolean;
    port: number;
    /** add the HTTP OS folders to each torrent as BEP 19 web seeds */
    web_seeds: boolean;
  };
  phase1: {
    /** extra kernel command line for the Phase-1 kernel, e.g. "console=ttyS0,115200" to run bttui on serial */
    cmdline: string;
    /**
     * `default`: the drivers rootfs.gz carries (lab PCs, VMs, USB adapters); `all`: also every other wired
     * NIC driver of the kernel and its firmware (server NICs), as one more initrd of ~11 MiB per client
     */
    drivers: Phase1Drivers;
  };
}

export const PHASE1_DRIVERS = ['default', 'all'] as const;
export type Phase1Drivers = (typeof PHASE1_DRIVERS)[number];

const KNOWN = {
  top: ['boottorrent', 'dnsmasq', 'opentracker', 'aria2', 'http', 'phase1'],
  legacy: ['transmission', 'hefur'],
  boottorrent: [
    'version',
    'display_oss',
    'timeout',
    'default_os',
    'seed_time',
    'host_ip',
    'engine',
    'stall_timeout',
    'ram_reserve_mb',
    'by_mac',
  ],
  dnsmasq: [
    'enable_dhcp',
    'proxy_dhcp',
    'user',
    'interface',
    'bind_interfaces',
    'dhcp_range',
    'enable_tftp',
    'ipv6_ra',
  ],
  opentracker: ['enable', 'port'],
  aria2: ['bt_enable_lpd', 'enable_dht', 'check_integrity', 'enable_peer_exchange'],
  http: ['enable', 'port', 'web_seeds'],
  phase1: ['cmdline', 'drivers'],
} as const;

/** Linux interface names: 1–15 bytes; dnsmasq also takes a trailing * as a wildcard */
const IFNAME = /^[A-Za-z0-9_.@-]{1,15}\*?$/;
/** what useradd accepts (Debian's is stricter), a trailing $ for machine accounts */
const USER = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/;
const LEASE = /^(\d+[smhdw]?|infinite)$/;

/** Validates a parsed Boottorrent.yaml. Pure: env-level facts (which folders exist) are checked elsewhere. */
export function checkBoottorrentConfig(raw: unknown, file: string): Checked<BoottorrentConfig> {
  const r = new FieldReader(file);
  const doc = isObject(raw) ? raw : {};
  if (!isObject(raw))
    r.fail('', 'must be a mapping with the sections boottorrent, dnsmasq, opentracker, aria2');
  for (const k of Object.keys(doc)) {
    if ((KNOWN.legacy as readonly string[]).includes(k))
      r.warn(k, 'section of an older BootTorrent, ignored');
  }
  r.unknownKeys(doc, [...KNOWN.top, ...KNOWN.legacy], '');

  const b = r.section(doc, 'boottorrent');
  if (doc.boottorrent === undefined) r.fail('boottorrent', 'section is required');
  r.unknownKeys(b, KNOWN.boottorrent, 'boottorrent');
  const display_oss = r.strList(b, 'display_oss', 'boottorrent.display_oss');
  if (display_oss) {
    const seen = new Set<string>();
    display_oss.forEach((name, i) => {
      const bad = osNameProblem(name);
      if (bad) r.fail(`boottorrent.display_oss[${i}]`, `"${name}" ${bad}`);
      if (seen.has(name)) r.fail(`boottorrent.display_oss[${i}]`, `"${name}" is listed twice`);
      seen.add(name);
    });
  }
  const timeout = r.int(b, 'timeout', 'boottorrent.timeout', 30);
  const default_os = r.str(b, 'default_os', 'boottorrent.default_os');
  const host_ip = r.requiredStr(b, 'host_ip', 'boottorrent.host_ip') ?? '';
  if (host_ip && !isIpv4(host_ip)) r.fail('boottorrent.host_ip', `"${host_ip}" is not an IPv4 address`);
  const engine = r.str(b, 'engine', 'boottorrent.engine', 'aria2');
  if (engine !== undefined && !(ENGINES as readonly string[]).includes(engine))
    r.fail('boottorrent.engine', `"${engine}" is not one of ${ENGINES.join(', ')}`);
  const by_mac: Record<string, string> = {};
  const rawMacs = r.section(b, 'by_mac', 'boottorrent.by_mac');
  for (const [mac, os] of Object.entries(rawMacs)) {
    const m = normalizeMac(mac);
    if (!m) r.fail(`boottorrent.by_mac.${mac}`, 'is not a MAC address like 52:54:00:12:34:56');
    else if (typeof os !== 'string') r.fail(`boottorrent.by_mac.${mac}`, 'must name an OS folder');
    // said here, not as a rule: the field is the MAC as the file writes it
    else if (display_oss && !display_oss.includes(os))
      r.fail(`boottorrent.by_mac.${mac}`, `"${os}" is not in display_oss`);
    else by_mac[m] = os;
  }

  const d = r.section(doc, 'dnsmasq');
  r.unknownKeys(d, KNOWN.dnsmasq, 'dnsmasq');
  const enable_dhcp = r.bool(d, 'enable_dhcp', 'dnsmasq.enable_dhcp', true);
  const proxy_dhcp = r.bool(d, 'proxy_dhcp', 'dnsmasq.proxy_dhcp', false);
  const dhcp_range = r.str(d, 'dhcp_range', 'dnsmasq.dhcp_range', '') ?? '';
  if (enable_dhcp) checkDhcpRange(r, dhcp_range, proxy_dhcp);
  const iface = r.str(d, 'interface', 'dnsmasq.interface', '') ?? '';
  if (iface && !IFNAME.test(iface))
    r.fail(
      'dnsmasq.interface',
      `"${iface}" is not a network interface name (up to 15 letters, digits and . _ - @, e.g. eth0 or enp3s0)`,
    );
  const user = r.str(d, 'user', 'dnsmasq.user', 'root') ?? 'root';
  if (!USER.test(user))
    r.fail('dnsmasq.user', `"${user}" is not a user name (letters, digits, _ . -, e.g. root or dnsmasq)`);

  const o = r.section(doc, 'opentracker');
  r.unknownKeys(o, KNOWN.opentracker, 'opentracker');
  const a = r.section(doc, 'aria2');
  r.unknownKeys(a, KNOWN.aria2, 'aria2');
  const h = r.section(doc, 'http');
  r.unknownKeys(h, KNOWN.http, 'http');
  const p1 = r.section(doc, 'phase1');
  const drivers = r.str(p1, 'drivers', 'phase1.drivers', 'default');
  if (drivers !== undefined && !(PHASE1_DRIVERS as readonly string[]).includes(drivers))
    r.fail(
      'phase1.drivers',
      `"${drivers}" is not one of ${PHASE1_DRIVERS.join(', ')} (all: every wired NIC driver of Phase 1's kernel)`,
    );
  r.unknownKeys(p1, KNOWN.phase1, 'phase1');

  const value: BoottorrentConfig = {
    boottorrent: {
      version: r.int(b, 'version', 'boottorrent.version', 0),
      display_oss,
      timeout,
      default_os,
      seed_time: r.int(b, 'seed_time', 'boottorrent.seed_time', 30, { min: 0 }),
      host_ip,
      engine: (engine as EngineName) ?? 'aria2',
      stall_timeout: r.int(b, 'stall_timeout', 'boottorrent.stall_timeout', 60, { min: 1 }),
      ram_reserve_mb: r.int(b, 'ram_reserve_mb', 'boottorrent.ram_reserve_mb', 128, { min: 0 }),
      by_mac,
    },
    dnsmasq: {
      enable_dhcp,
      proxy_dhcp,
      user,
      interface: iface,
      bind_interfaces: r.bool(d, 'bind_interfaces', 'dnsmasq.bind_interfaces', true),
      dhcp_range,
      enable_tftp: r.bool(d, 'enable_tftp', 'dnsmasq.enable_tftp', true),
      ipv6_ra: r.bool(d, 'ipv6_ra', 'dnsmasq.ipv6_ra', false),
    },
    opentracker: {
      enable: r.bool(o, 'enable', 'opentracker.enable', true),
      port: r.int(o, 'port', 'opentracker.port', 6969, { min: 1, max: 65535 }),
    },
    aria2: {
      bt_enable_lpd: r.bool(a, 'bt_enable_lpd', 'aria2.bt_enable_lpd', false),
      enable_dht: r.bool(a, 'enable_dht', 'aria2.enable_dht', false),
      check_integrity: r.bool(a, 'check_integrity', 'aria2.check_integrity', false),
      enable_peer_exchange: r.bool(a, 'enable_peer_exchange', 'aria2.enable_peer_exchange', true),
    },
    http: {
      enable: r.bool(h, 'enable', 'http.enable', false),
      port: r.int(h, 'port', 'http.port', 8000, { min: 1, max: 65535 }),
      web_seeds: r.bool(h, 'web_seeds', 'http.web_seeds', false),
    },
    phase1: {
      cmdline: r.str(p1, 'cmdline', 'phase1.cmdline', '') ?? '',
      drivers: (drivers as Phase1Drivers) ?? 'default',
    },
  };
  // what no single field shows: the rules between them, each named (config-rules.ts)
  for (const rule of CONFIG_RULES) {
    const p = rule.check(value, (f) => r.failed(f));
    if (p) r.fail(p.field, p.message);
  }
  // in the file's order of sections, as a person reads it (a rule's problem after the fields' own)
  const at = (p: { field: string }) =>
    KNOWN.top.indexOf(p.field.split(/[.[]/)[0] as (typeof KNOWN.top)[number]);
  const problems = r.problems.map((p, i) => ({ p, i })).sort((x, y) => at(x.p) - at(y.p) || x.i - y.i);
  return r.problems.length
    ? { ok: false, problems: problems.map((x) => x.p), warnings: r.warnings }
    : { ok: true, value, warnings: r.warnings };
}

function checkDhcpRange(r: FieldReader, range: string, proxy: boolean): void {
  const f = 'dnsmasq.dhcp_range';
  if (!range) {
    r.fail(
      f,
      proxy
        ? 'is required: the network address, e.g. "192.168.1.0"'
        : 'is required, e.g. "192.168.1.50,192.168.1.150,12h"',
    );
    return;
  }
  const parts = range.split(',').map((s) => s.trim());
  if (proxy) {
    if (parts.length !== 1 || !isIpv4(parts[0]!))
      r.fail(f, `"${range}" must be the network address alone in proxy mode, e.g. "192.168.1.0"`);
    return;
  }
  const [first, last, lease] = parts;
  if (parts.length !== 3 || !isIpv4(first!) || !isIpv4(last!) || !LEASE.test(lease!))
    r.fail(f, `"${range}" must be "first,last,lease", e.g. "192.168.1.50,192.168.1.150,12h"`);
  else if (ipToInt(first!) > ipToInt(last!))
    r.fail(f, `first address ${first} comes after last address ${last}`);
}

export { MAX_CMDLINE, portClash } from './config-rules.ts';
export { ipToInt, isIpv4, normalizeMac } from './ipv4.ts';
