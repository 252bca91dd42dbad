import type { BoottorrentConfig } from '../config/boottorrent-config.ts';

/**
 * How peers find each other and whether aria2 re-checks what it has: the env's `aria2:` section (the
 * original BootTorrent's name for it, kept in the YAML), which every engine on both sides honours. This
 * module is the one place it becomes an engine's flags or options.
 */
export type SwarmSettings = BoottorrentConfig['aria2'];

/** What the skeleton env and the original's recipe use: the tracker and peer exchange, no DHT or LPD. */
export const LAB_SWARM: SwarmSettings = {
  bt_enable_lpd: false,
  enable_dht: false,
  check_integrity: false,
  enable_peer_exchange: true,
};

/** aria2c's peer-discovery flags (IPv6 DHT is never wanted on a lab network). */
export function aria2DiscoveryArgs(s: SwarmSettings): string[] {
  return [
    `--enable-dht=${s.enable_dht}`,
    '--enable-dht6=false',
    `--bt-enable-lpd=${s.bt_enable_lpd}`,
    `--enable-peer-exchange=${s.enable_peer_exchange}`,
  ];
}

/**
 * WebTorrent's client options for the same switches. TCP only: with uTP on (its default) every
 * TCP-only peer such as aria2 costs a ~42 s wait before the TCP fallback.
 */
export function webtorrentSwarmOptions(s: SwarmSettings) {
  return { utp: false, dht: s.enable_dht, lsd: s.bt_enable_lpd, utPex: s.enable_peer_exchange } as const;
}
