import { createHash } from 'node:crypto';

/**
 * Where a client starts its walk through the pieces, as a fraction of the torrent. WebTorrent fetches
 * sequentially (its rarest-first costs too much CPU: see webtorrent-engine.ts), so clients that all
 * start at piece 0 all want the same next piece and have little to trade; each starting at its own
 * place, taken from its MAC, gives every client pieces the others lack from the first seconds. Pure.
 */
export function startFractionOf(mac: string): number {
  // a hash, not the MAC's last byte: a room's MACs are often consecutive, and their places should not be
  return createHash('sha256').update(mac.toLowerCase()).digest().readUInt32BE(0) / 2 ** 32;
}

/** The first piece of the walk for a torrent of `pieces` pieces. */
export function startPiece(fraction: number, pieces: number): number {
  if (pieces <= 0) return 0;
  return Math.min(pieces - 1, Math.max(0, Math.floor(fraction * pieces)));
}
