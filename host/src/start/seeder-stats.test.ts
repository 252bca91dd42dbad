import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeederTotal, watchSeeder } from './seeder-stats.ts';

describe("the seeder's count", () => {
  it('is read often (for the dashboard) but logged at most every logEveryMs, and the last count always', async () => {
    let sent = 0;
    const reads: number[] = [];
    const lines: string[] = [];
    const w = watchSeeder(
      async () => {
        sent += 1000;
        reads.push(sent);
        return sent;
      },
      (l) => lines.push(l),
      10,
      200,
    );
    await new Promise((r) => setTimeout(r, 330));
    await w.stop();
    assert.ok(reads.length >= 10, `read ${reads.length} times`);
    assert.ok(lines.length >= 2 && lines.length <= 4, lines.join('\n'));
    assert.equal(lines.at(-1), `uploaded ${reads.at(-1)} bytes in all (0.0 MiB)`);
  });
});

describe("the seeder's count over its lives", () => {
  it('a seeder started again counts from 0: the total keeps what the earlier life sent', () => {
    const t = new SeederTotal();
    assert.deepEqual(
      [100, 250, 250, 10, 40, 5].map((n) => t.add(n)),
      [100, 250, 250, 260, 290, 295],
    );
  });
});
