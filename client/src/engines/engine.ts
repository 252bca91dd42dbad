import type { BtError } from '../core/bt-error.ts';
import type { SwarmView } from './swarm-view.ts';

export interface TransferStats {
  /** bytes of the OS verified so far (piece-checked by the engine) */
  done: number;
  total: number;
  downSpeed: number;
  upSpeed: number;
  /** bytes this client has sent to others: a client in a swarm serves as well as takes */
  uploaded: number;
  peers: number;
  /** per file, in torrent order */
  files?: { path: string; done: number; total: number }[];
  /** bytes received per peer address (aria2: integrated from its per-peer speeds, so approximate) */
  bySource?: Record<string, number>;
  /** each torrent's pieces and peers as this client sees them (what a stall is blamed on) */
  swarms?: SwarmView[];
  /** pieces that arrived and failed their hash, so far (data that comes but is corrupt) */
  failedPieces?: number;
  /** bytes of piece data that arrived so far, verified or not (aria2: the rises of its completed count) */
  received?: number;
}

/** One torrent being fetched into RAM, then seeded until stop(). */
export interface Transfer {
  /** resolves when every piece is in and checked; rejects with a BtError */
  readonly complete: Promise<void>;
  stats(): TransferStats;
  /** stops seeding and releases the engine (ports, processes); safe to call twice */
  stop(): Promise<void>;
}

/** aria2 (a child process over JSON-RPC) and WebTorrent (in-process) look the same to the flow. */
export interface DownloadEngine {
  readonly name: string;
  start(job: { torrentFile: string; dataDir: string }): Promise<Transfer>;
}

export const ZERO_STATS: TransferStats = {
  done: 0,
  total: 0,
  downSpeed: 0,
  upSpeed: 0,
  uploaded: 0,
  peers: 0,
};

/** Settles a promise from outside: engines learn of completion from events or polls. */
export function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: BtError) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // a rejection nobody awaited yet (e.g. failure after stop) must not crash the process
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/**
 * Several transfers seen as one (an OS and the qemu profile, fetched in the same session): complete when
 * all are, the figures summed; stop() stops them all. Each keeps seeding until then.
 */
export function combineTransfers(ts: Transfer[]): Transfer {
  if (ts.length === 1) return ts[0]!;
  return {
    complete: Promise.all(ts.map((t) => t.complete)).then(() => undefined),
    stats(): TransferStats {
      const all = ts.map((t) => t.stats());
      const sum = (k: 'done' | 'total' | 'downSpeed' | 'upSpeed' | 'uploaded' | 'peers') =>
        all.reduce((n, s) => n + s[k], 0);
      const bySource: Record<string, number> = {};
      for (const s of all)
        for (const [ip, n] of Object.entries(s.bySource ?? {})) bySource[ip] = (bySource[ip] ?? 0) + n;
      return {
        done: sum('done'),
        total: sum('total'),
        downSpeed: sum('downSpeed'),
        upSpeed: sum('upSpeed'),
        uploaded: sum('uploaded'),
        // the same peers usually serve both torrents: the larger count says more than the sum
        peers: Math.max(...all.map((s) => s.peers)),
        files: all.flatMap((s) => s.files ?? []),
        bySource,
        swarms: all.flatMap((s) => s.swarms ?? []),
        failedPieces: all.reduce((n, s) => n + (s.failedPieces ?? 0), 0),
        received: all.reduce((n, s) => n + (s.received ?? 0), 0),
      };
    },
    async stop() {
      await Promise.all(ts.map((t) => t.stop()));
    },
  };
}
