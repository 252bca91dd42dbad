import { CoverFirst, type Show } from './cover-first.ts';

/** The slice of a bittorrent-protocol wire the seeder's policy touches. */
export interface SeedWire {
  type?: string;
  /** the remote's peer id (hex), known from its handshake */
  peerId?: string | null;
  destroy(): void;
  destroyed?: boolean;
  peerPieces: { get(i: number): boolean };
  on(e: string, cb: (...a: never[]) => void): void;
  once(e: string, cb: () => void): void;
  bitfield(b: Uint8Array): void;
  haveAll(): void;
  have(i: number): void;
}

/** The slice of a WebTorrent torrent it needs: its pieces, and each new wire. */
export interface SeedTorrent {
  pieces: unknown[];
  pieceLength: number;
  on(e: 'wire', cb: (wire: SeedWire) => void): void;
}

/** What a peer may fetch from the host at once while the room holds no whole copy: 4 MiB, ≥ 4 pieces. */
export const COVER_WINDOW_BYTES = 4 << 20;
export const COVER_STALE_MS = 15_000;

/** A bitfield message's payload: one bit per piece, most significant first. */
export function bitfieldOf(pieces: number[], count: number): Uint8Array {
  const b = new Uint8Array(Math.ceil(count / 8));
  for (const i of pieces) b[i >> 3]! |= 0x80 >> (i & 7);
  return b;
}

/**
 * Makes a WebTorrent seeder send every piece once before any twice (CoverFirst): each wire's first
 * message, which WebTorrent makes a full bitfield or have-all, becomes a bitfield of the pieces given to
 * that peer, and later gifts go out as HAVE messages; a wire to the seeder itself is closed. `onCovered`
 * is told once the room holds a copy.
 * Returns a stop function for its timer.
 */
export function seedCoverFirst(torrent: SeedTorrent, ownPeerId: string, onCovered: () => void): () => void {
  let cover: CoverFirst<SeedWire> | undefined;
  // a wire's first message goes out later than its peer's may come in: gifts wait here until then
  const pending = new Map<SeedWire, number[]>();
  const apply = (shows: Show<SeedWire>[]) => {
    for (const s of shows) {
      const waiting = pending.get(s.peer);
      if (waiting) waiting.push(...s.pieces);
      else if (!s.peer.destroyed) for (const i of s.pieces) s.peer.have(i);
    }
    if (cover?.covered && !reported) {
      reported = true;
      onCovered();
    }
  };
  let reported = false;
  const timer = setInterval(() => cover && apply(cover.tick(Date.now())), 1000);
  timer.unref();
  torrent.on('wire', (wire) => {
    if (wire.type === 'webSeed') return;
    // the tracker hands the seeder its own address, and a wire to itself would echo every piece it
    // shows as held by a peer: the room would look covered before a byte left. Nothing to trade there.
    if (wire.peerId && wire.peerId === ownPeerId) return wire.destroy();
    const count = torrent.pieces?.length ?? 0;
    // no metadata yet (never so for a seeder that was given the torrent file): WebTorrent's own way
    if (!count) return;
    cover ??= new CoverFirst({
      pieces: count,
      window: Math.max(4, Math.ceil(COVER_WINDOW_BYTES / torrent.pieceLength)),
      staleMs: COVER_STALE_MS,
    });
    const c = cover;
    pending.set(wire, c.join(wire, Date.now()));
    const first = () => {
      const pieces = pending.get(wire) ?? [];
      pending.delete(wire);
      Object.getPrototypeOf(wire).bitfield.call(wire, bitfieldOf(pieces, count));
    };
    wire.bitfield = first;
    wire.haveAll = first;
    const all = () => Array.from({ length: count }, (_, i) => i);
    const set = () => all().filter((i) => wire.peerPieces.get(i));
    wire.on('bitfield', () => apply(c.peerHas(wire, set(), Date.now())));
    wire.on('have', (i: number) => apply(c.peerHas(wire, [i], Date.now())));
    wire.on('have-all', () => apply(c.peerHas(wire, all(), Date.now())));
    wire.on('upload', () => c.sent(wire, Date.now()));
    wire.once('close', () => {
      pending.delete(wire);
      apply(c.leave(wire));
    });
  });
  return () => clearInterval(timer);
}
