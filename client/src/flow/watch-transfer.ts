import { type BtError, btError, isBtError } from '../core/bt-error.ts';
import type { Transfer, TransferStats } from '../engines/engine.ts';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

/**
 * Waits for a transfer to complete, reporting stats every `tickMs`. No new *verified* byte for `stallMs`
 * is an error, not a wait without end: `onStall` says why from what the client sees (stall-cause.ts).
 * Progress is a new high of verified bytes, so a peer feeding corrupt pieces (received, then dropped
 * when their hash fails) cannot keep a download alive forever.
 */
export async function watchTransfer(
  t: Transfer,
  o: {
    stallMs: number;
    tickMs: number;
    clock: Clock;
    onTick: (s: TransferStats) => void;
    /** what happened since the last verified byte: pieces that failed their hash, bytes that arrived */
    onStall: (s: TransferStats, since: { failed: number; received: number }) => Promise<BtError>;
  },
): Promise<BtError | undefined> {
  let outcome: 'done' | BtError | undefined;
  t.complete.then(
    () => {
      outcome = 'done';
    },
    (e: unknown) => {
      outcome = isBtError(e) ? e : btError('The download failed.', 'try again.', String(e));
    },
  );
  // before the first verified byte, "since" counts from the start: a corrupt piece that failed before
  // the first tick is what the stall is about, not a baseline
  let best = 0;
  let lastChange = o.clock.now();
  let failedBefore = 0;
  let receivedBefore = 0;
  for (;;) {
    await Promise.race([t.complete.catch(() => {}), o.clock.sleep(o.tickMs)]);
    const s = t.stats();
    o.onTick(s);
    if (outcome === 'done') return undefined;
    if (outcome) return outcome;
    if (s.done > best) {
      best = s.done;
      lastChange = o.clock.now();
      failedBefore = s.failedPieces ?? 0;
      receivedBefore = s.received ?? 0;
    } else if (o.clock.now() - lastChange >= o.stallMs) {
      return o.onStall(s, {
        failed: (s.failedPieces ?? 0) - failedBefore,
        received: (s.received ?? 0) - receivedBefore,
      });
    }
  }
}
