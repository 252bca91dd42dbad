import assert from 'node:assert/strict';
import { it } from 'node:test';
import { meshTargets, secondsAtRate } from './mesh-plan.ts';

it('every client sends to the next ones round the ring, so each also receives from exactly as many', () => {
  const n = 6;
  const sends = Array.from({ length: n }, (_, i) => meshTargets(i + 1, n, 4));
  assert.deepEqual(sends[0], [2, 3, 4, 5]);
  assert.deepEqual(sends[4], [6, 1, 2, 3]);
  for (let c = 1; c <= n; c++) {
    assert.equal(sends.filter((t) => t.includes(c)).length, 4, `client ${c} receives from 4`);
    assert.ok(!sends[c - 1]!.includes(c), `client ${c} does not send to itself`);
  }
});

it('a small swarm sends to everyone else once', () => {
  assert.deepEqual(meshTargets(1, 3, 4), [2, 3]);
  assert.deepEqual(meshTargets(2, 2, 4), [1]);
});

it("a client's time is the image at the rate it received", () => {
  // 10 MiB in 2 s = 5 MiB/s; a 256 MiB image then takes 51.2 s
  assert.equal(secondsAtRate(256 << 20, 10 << 20, 2), 51.2);
  assert.equal(secondsAtRate(256 << 20, 0, 2), Number.POSITIVE_INFINITY);
});
