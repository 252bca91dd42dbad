import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type DeathRun, formatDeathRuns } from './seeder-death-report.ts';

const run = (o: Partial<DeathRun>): DeathRun => ({
  seeder: 'aria2',
  engine: 'aria2',
  clients: 4,
  sizeMib: 96,
  rateMbit: 100,
  pieces: 384,
  killAt: 1.02,
  finished: 4,
  lastFinished: 30.25,
  ...o,
});

describe('the seeder-death table', () => {
  it('says what the room held when the seeder died, who finished, and where the others stuck', () => {
    const text = formatDeathRuns([
      run({
        death: { at: 9.5, sentCopies: 1.034, wireCopies: 1.07, held: 349, perClient: [300, 310, 320, 330] },
        finished: 0,
        lastFinished: 0,
        stuckAt: [0.91, 0.905, 0.9, 0.9],
      }),
      run({
        seeder: 'webtorrent',
        engine: 'webtorrent',
        death: { at: 9, sentCopies: 1.02, wireCopies: 1.06, held: 384, perClient: [1, 2, 3, 4] },
      }),
    ]);
    const lines = text.split('\n');
    assert.match(lines[0]!, /once it had sent 1\.02 copies of 96 MiB \(384 pieces\), 100 Mbit\/s/);
    assert.match(
      lines[2]!,
      /^aria2 +4 × aria2 +1\.03 copies \(9\.5 s\) +90\.9 % +0 of 4 +- +91\/90\/90\/90 %$/,
    );
    assert.match(
      lines[3]!,
      /^webtorrent +4 × webtorrent +1\.02 copies \(9\.0 s\) +100\.0 % +4 of 4 +30\.3 s +-$/,
    );
  });
});
