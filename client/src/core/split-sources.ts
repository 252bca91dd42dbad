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
    if (src === hostIp || src === `::ffff:${hostIp}` || src === 'web seed') host += n;
    else peers += n;
  }
  if (host + peers === 0) return { fromHost: total, fromPeers: 0 };
  const fromPeers = Math.round((total * peers) / (host + peers));
  return { fromHost: total - fromPeers, fromPeers };
}
