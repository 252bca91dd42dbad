/** Pieces to show one peer (as a bitfield when it joins, as HAVE messages after). */
export interface Show<P> {
  peer: P;
  pieces: number[];
}

export interface CoverOptions {
  pieces: number;
  /** pieces each peer may be fetching from the host at once, while the room holds no whole copy */
  window: number;
  /** a peer the host sent nothing for this long gives its pieces back to the others */
  staleMs: number;
}

interface PeerState {
  has: Uint8Array;
  /** what the host has told this peer it has */
  shown: Uint8Array;
  /** pieces given to this peer alone, which no peer in the room holds yet */
  open: Set<number>;
  lastSent: number;
}

/**
 * The host's seeder sends every piece once before it sends any piece twice (the aim of BEP 16's
 * super-seeding, with a window per peer so no peer waits on a round trip). Until the peers connected to
 * it hold a whole copy between them, each peer is shown only pieces nobody holds, and a piece is shown
 * to one peer at a time; the peers trade the rest among themselves. So the room holds the OS after about
 * one copy from the host, and a seeder that dies then costs the room nothing. Once the room holds a copy,
 * every peer is shown everything and the host seeds as usual. Pure: the seeder's glue turns each Show
 * into a bitfield or HAVE messages.
 */
export class CoverFirst<P> {
  readonly #o: CoverOptions;
  /** connected peers holding each piece */
  readonly #holders: Uint32Array;
  readonly #givenTo: (P | undefined)[];
  readonly #peers = new Map<P, PeerState>();
  #unheld: number;
  #covered = false;
  #cursor = 0;

  constructor(o: CoverOptions) {
    this.#o = o;
    this.#holders = new Uint32Array(o.pieces);
    this.#givenTo = new Array(o.pieces).fill(undefined);
    this.#unheld = o.pieces;
    if (o.pieces === 0) this.#covered = true;
  }

  /** Whether the connected peers hold every piece between them (from then on, the host shows all). */
  get covered(): boolean {
    return this.#covered;
  }

  /** Pieces no connected peer holds. */
  get unheld(): number {
    return this.#unheld;
  }

  /** A peer connected: what to show it first. */
  join(peer: P, now: number): number[] {
    const s: PeerState = {
      has: new Uint8Array(this.#o.pieces),
      shown: new Uint8Array(this.#o.pieces),
      open: new Set(),
      lastSent: now,
    };
    this.#peers.set(peer, s);
    return this.#covered ? this.#showAll(s) : this.#refill(peer, s);
  }

  /** The peer announced pieces (its bitfield, a HAVE, a have-all). */
  peerHas(peer: P, pieces: Iterable<number>, now: number): Show<P>[] {
    const s = this.#peers.get(peer);
    if (!s) return [];
    const owners = new Set<P>([peer]);
    for (const i of pieces) {
      if (i < 0 || i >= this.#o.pieces || s.has[i]) continue;
      s.has[i] = 1;
      const held = this.#holders[i]!;
      this.#holders[i] = held + 1;
      if (held === 0) this.#unheld--;
      const owner = this.#givenTo[i];
      if (owner !== undefined) {
        this.#peers.get(owner)?.open.delete(i);
        this.#givenTo[i] = undefined;
        owners.add(owner);
      }
    }
    s.lastSent = now;
    if (this.#covered) return [];
    if (this.#unheld === 0) return this.#cover();
    return this.#refillAll(owners);
  }

  /** The host sent this peer data: it is still fetching what it was given. */
  sent(peer: P, now: number): void {
    const s = this.#peers.get(peer);
    if (s) s.lastSent = now;
  }

  /** The peer left: what only it held is nobody's again, and what it was given goes to the others. */
  leave(peer: P): Show<P>[] {
    const s = this.#peers.get(peer);
    if (!s) return [];
    this.#peers.delete(peer);
    for (const i of s.open) this.#givenTo[i] = undefined;
    if (this.#covered) return [];
    for (let i = 0; i < this.#o.pieces; i++) if (s.has[i] && --this.#holders[i]! === 0) this.#unheld++;
    return this.#refillAll(this.#peers.keys());
  }

  /** Gives back what stale peers were given, and gives it to peers with room in their window. */
  tick(now: number): Show<P>[] {
    if (this.#covered) return [];
    for (const s of this.#peers.values()) {
      if (s.open.size === 0 || now - s.lastSent < this.#o.staleMs) continue;
      for (const i of s.open) this.#givenTo[i] = undefined;
      s.open.clear();
      // it may still fetch them: they stay shown, but it is not given more until it shows life
      s.lastSent = Number.POSITIVE_INFINITY;
    }
    return this.#refillAll(this.#peers.keys());
  }

  #refillAll(peers: Iterable<P>): Show<P>[] {
    const shows: Show<P>[] = [];
    for (const p of peers) {
      const s = this.#peers.get(p);
      if (!s) continue;
      const pieces = this.#refill(p, s);
      if (pieces.length) shows.push({ peer: p, pieces });
    }
    return shows;
  }

  /** Gives the peer pieces nobody holds or was given, from a cursor shared by all, up to its window. */
  #refill(peer: P, s: PeerState): number[] {
    const n = this.#o.pieces;
    const shown: number[] = [];
    if (s.lastSent === Number.POSITIVE_INFINITY) return shown;
    for (let seen = 0; s.open.size < this.#o.window && seen < n; seen++) {
      const i = this.#cursor;
      this.#cursor = (this.#cursor + 1) % n;
      if (this.#holders[i] !== 0 || this.#givenTo[i] !== undefined || s.has[i]) continue;
      this.#givenTo[i] = peer;
      s.open.add(i);
      if (!s.shown[i]) {
        s.shown[i] = 1;
        shown.push(i);
      }
    }
    return shown;
  }

  #cover(): Show<P>[] {
    this.#covered = true;
    this.#givenTo.fill(undefined);
    const shows: Show<P>[] = [];
    for (const [peer, s] of this.#peers) {
      s.open.clear();
      const pieces = this.#showAll(s);
      if (pieces.length) shows.push({ peer, pieces });
    }
    return shows;
  }

  #showAll(s: PeerState): number[] {
    const pieces: number[] = [];
    for (let i = 0; i < this.#o.pieces; i++)
      if (!s.shown[i] && !s.has[i]) {
        s.shown[i] = 1;
        pieces.push(i);
      }
    return pieces;
  }
}
