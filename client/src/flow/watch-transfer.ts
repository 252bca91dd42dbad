import { type BtError, btError, isBtError } from '../core/bt-error.ts';
import type { Transfer, TransferStats } from '../engines/engine.ts';
import { bytes } from '../ui/format.ts';

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
 * is an error, not a wait without end: the person at the client learns the host or network is gone.
 * Progress is a new high of verified bytes, so a peer feeding corrupt pieces (received, then dropped
 * when their hash fails) cannot keep a download alive forever.
 */
export async function watchTransfer(
  t: Transfer,
  o: { stallMs: number; tickMs: number; clock: Clock; onTick: (s: TransferStats) => void },
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
  let best = -1;
  let lastChange = o.clock.now();
  for (;;) {
    await Promise.race([t.complete.catch(() => {}), o.clock.sleep(o.tickMs)]);
    const s = t.stats();
    o.onTick(s);
    if (outcome === 'done') return undefined;
    if (outcome) return outcome;
    if (s.done > best) {
      best = s.done;
      lastChange = o.clock.now();
    } else if (o.clock.now() - lastChange >= o.stallMs) {
      return btError(
        `No verified data arrived for ${Math.round(o.stallMs / 1000)} s (${bytes(s.done)} of ${bytes(s.total)}, ${s.peers} peers).`,
        s.downSpeed > 0
          ? 'data still arrives but fails its checks: a peer sends corrupt pieces; check the host’s OS files, then choose the OS again.'
          : 'check the network cable and that the host is running `boottorrent start`, then choose the OS again.',
      );
    }
  }
}
