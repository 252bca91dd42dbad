/** Whether a peer's address (as an engine writes it, IPv4 or IPv4-mapped IPv6) is the host's, or its web seed. */
export function isHost(addr: string, hostIp: string): boolean {
  return addr === hostIp || addr === `::ffff:${hostIp}` || addr === 'web seed';
}

/**
 * Of `total` bytes received, how many came from the host and how many from other clients. The
 * per-peer figures may be estimates (aria2 reports speeds, not totals), so the total is split in
 * their proportion; web seeds are the host too.
 */
export function splitSources(
  bySource: Record<string, number>,
  hostIp: string,
  total: number,
): { fromHost: number; fromPeers: number } {
  let host = 0;
  let peers = 0;
  for (const [src, n] of Object.entries(bySource)) {
    // an estimate is never below zero: no source takes bytes back
    const b = Number.isFinite(n) && n > 0 ? n : 0;
    if (isHost(src, hostIp)) host += b;
    else peers += b;
  }
  const all = Math.max(0, total);
  if (host + peers === 0) return { fromHost: all, fromPeers: 0 };
  const fromPeers = Math.round((all * peers) / (host + peers));
  return { fromHost: all - fromPeers, fromPeers };
}
