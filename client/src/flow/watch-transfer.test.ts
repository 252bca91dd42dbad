import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { btError } from '../core/bt-error.ts';
import { type Transfer, type TransferStats, ZERO_STATS } from '../engines/engine.ts';
import { type Clock, watchTransfer } from './watch-transfer.ts';

/** A clock that moves only when slept on, and a transfer whose stats follow a script by tick. */
function scripted(script: (tick: number) => Partial<TransferStats>) {
  let now = 0;
  let tick = 0;
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
      tick++;
    },
  };
  const t: Transfer = {
    complete: new Promise(() => {}),
    stats: () => ({ ...ZERO_STATS, total: 100, ...script(tick) }),
    stop: async () => {},
  };
  return { clock, t };
}

/** watchTransfer over a scripted transfer: what it returned, and what onStall was told, and when. */
async function stallOf(script: (tick: number) => Partial<TransferStats>) {
  const { clock, t } = scripted(script);
  let since: { failed: number; received: number } | undefined;
  let at = -1;
  const err = await watchTransfer(t, {
    stallMs: 1000,
    tickMs: 250,
    clock,
    onTick: () => {},
    onStall: async (_s, s) => {
      since = s;
      at = clock.now();
      return btError('stalled', 'hint');
    },
  });
  return { err, since, at };
}

describe('watchTransfer: no verified byte for stallMs is a stall, with what happened since', () => {
  it('a piece that failed before the first tick, and no verified byte since, is counted', async () => {
    const { err, since } = await stallOf(() => ({ failedPieces: 1, received: 64 }));
    assert.equal(err?.message, 'stalled');
    assert.deepEqual(since, { failed: 1, received: 64 });
  });

  it('counts from the last verified byte: failures before it are not the stall', async () => {
    // tick 1: 10 verified, 2 failed; later: 3 failed, nothing more verified
    const { since } = await stallOf((k) =>
      k <= 1 ? { done: 10, failedPieces: 2, received: 30 } : { done: 10, failedPieces: 3, received: 50 },
    );
    assert.deepEqual(since, { failed: 1, received: 20 });
  });

  it('a stall is declared stallMs after the start when nothing was ever verified', async () => {
    const { at } = await stallOf(() => ({}));
    assert.equal(at, 1000);
  });
});
