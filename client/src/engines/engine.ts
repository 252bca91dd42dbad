import type { BtError } from '../core/bt-error.ts';

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
