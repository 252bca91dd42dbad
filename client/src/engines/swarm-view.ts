/**
 * One torrent's swarm as a client sees it: the pieces it has (hex, one bit per piece, most significant
 * first, as aria2 writes a bitfield), the peers it is connected to, and the pieces it lacks that none of
 * them has either. A stall with pieces "nowhere" is not the network's fault: nobody this client reaches
 * holds them, so only the host's seeder (or a peer not reached) could send them.
 */
export interface SwarmView {
  /** the torrent's name */
  torrent: string;
  pieces: number;
  have: string;
  /** addresses of the connected peers */
  peers: string[];
  /** pieces this client lacks that no connected peer has */
  nowhere: number[];
}

/** Whether piece i is set in a hex bitfield. */
export function hexHas(hex: string, i: number): boolean {
  return ((Number.parseInt(hex[i >> 2] ?? '0', 16) || 0) & (8 >> (i & 3))) !== 0;
}

/** A hex bitfield of `pieces` pieces from a test of each. */
export function toHex(pieces: number, has: (i: number) => boolean): string {
  let s = '';
  for (let i = 0; i < pieces; i += 4) {
    let nibble = 0;
    for (let b = 0; b < 4 && i + b < pieces; b++) if (has(i + b)) nibble |= 8 >> b;
    s += nibble.toString(16);
  }
  return s;
}

/** The pieces this client lacks that none of `peers` has. */
export function nowhere(
  pieces: number,
  have: (i: number) => boolean,
  peers: ((i: number) => boolean)[],
): number[] {
  const out: number[] = [];
  for (let i = 0; i < pieces; i++) if (!have(i) && !peers.some((p) => p(i))) out.push(i);
  return out;
}

/** Pieces as a person reads them: "3–40, 77 and 90" (first pieces first, at most `max` runs). */
export function pieceRuns(list: number[], max = 4): string {
  const runs: string[] = [];
  for (let k = 0; k < list.length; ) {
    let j = k;
    while (j + 1 < list.length && list[j + 1] === list[j]! + 1) j++;
    runs.push(j > k ? `${list[k]}–${list[j]}` : `${list[k]}`);
    k = j + 1;
  }
  const shown = runs.slice(0, max);
  const more = runs.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more run(s)`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : (shown[0] ?? '');
}
