import { createHash } from 'node:crypto';

/**
 * Who sent the bad bytes of a piece that failed its hash. A piece often comes from several peers, so a
 * failure alone does not say which one lied: each block is kept with its sender until the piece is
 * judged (nothing is hashed while all goes well), and when a failed piece later passes, every block of
 * the failed attempt that differs from the verified one convicts its sender. A failed piece with a
 * single sender convicts it at once (it may be the only peer there is).
 * Pure bookkeeping: the engine feeds it events and drops the peers it names.
 */
export class CorruptPeerJudge {
  /** piece → offset → [sender, bytes], for the attempt in progress; hashed only if it comes to a verdict */
  #current = new Map<number, Map<number, [string, Uint8Array]>>();
  /** piece → [offset, sender, digest] of the blocks of attempts that failed */
  #failed = new Map<number, [number, string, string][]>();

  block(piece: number, offset: number, data: Uint8Array, peer: string): void {
    const blocks = this.#current.get(piece) ?? new Map<number, [string, Uint8Array]>();
    blocks.set(offset, [peer, data]);
    this.#current.set(piece, blocks);
  }

  /** The piece failed its hash: returns the peers proven corrupt now. */
  failed(piece: number): string[] {
    const blocks = this.#current.get(piece);
    this.#current.delete(piece);
    if (!blocks) return [];
    const senders = new Set([...blocks.values()].map(([p]) => p));
    if (senders.size === 1) return [...senders];
    const kept = this.#failed.get(piece) ?? [];
    for (const [offset, [peer, data]] of blocks) kept.push([offset, peer, digest(data)]);
    this.#failed.set(piece, kept);
    return [];
  }

  /** The piece passed: returns the senders whose earlier blocks of it were not these bytes. */
  verified(piece: number): string[] {
    const good = this.#current.get(piece);
    const suspects = this.#failed.get(piece) ?? [];
    this.#current.delete(piece);
    this.#failed.delete(piece);
    const liars = new Set<string>();
    for (const [offset, peer, d] of suspects) {
      const right = good?.get(offset)?.[1];
      if (right !== undefined && digest(right) !== d) liars.add(peer);
    }
    return [...liars];
  }
}

const digest = (data: Uint8Array) => createHash('sha1').update(data).digest('hex');

/** `::ffff:10.0.0.5` (an IPv4 peer on a dual-stack socket) and `10.0.0.5` are one peer. */
export function peerIp(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
