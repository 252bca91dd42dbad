/**
 * The links' own ceiling, for the swarm bench: every client pushes plain TCP to the next `fan` clients
 * round the ring and takes from the previous `fan`, so each link carries the same number of flows a
 * BitTorrent client's unchoke slots give it (aria2: 3 regular + 1 optimistic), with no protocol on top.
 */
export const MESH_FAN = 4;

/** The 1-based clients that client `i` of `n` sends to. */
export function meshTargets(i: number, n: number, fan: number): number[] {
  const k = Math.min(fan, n - 1);
  return Array.from({ length: k }, (_, j) => ((i - 1 + j + 1) % n) + 1);
}

/** How long one client would take to receive the image at the rate the mesh gave it. */
export function secondsAtRate(fileBytes: number, receivedBytes: number, windowSeconds: number): number {
  return receivedBytes > 0 ? fileBytes / (receivedBytes / windowSeconds) : Number.POSITIVE_INFINITY;
}
