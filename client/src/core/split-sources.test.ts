import assert from 'node:assert/strict';
import { it } from 'node:test';
import { splitSources } from './split-sources.ts';

it('splits what was received between the host (and web seeds) and the other clients', () => {
  assert.deepEqual(splitSources({ '10.0.0.1': 300, '10.0.0.7': 100 }, '10.0.0.1', 400), {
    fromHost: 300,
    fromPeers: 100,
  });
  assert.deepEqual(
    splitSources({ '::ffff:10.0.0.1': 50, 'web seed': 50, '10.0.0.9': 100 }, '10.0.0.1', 200),
    { fromHost: 100, fromPeers: 100 },
  );
  // estimates are scaled to the real total
  assert.deepEqual(splitSources({ '10.0.0.1': 310, '10.0.0.7': 90 }, '10.0.0.1', 1000), {
    fromHost: 775,
    fromPeers: 225,
  });
  assert.deepEqual(splitSources({}, '10.0.0.1', 1000), { fromHost: 1000, fromPeers: 0 });
});

it('never says a source gave less than nothing, whatever an estimate says', () => {
  // an estimate gone below zero (aria2's speeds integrated over a poll that came back out of order)
  const got = splitSources({ '10.0.0.1': 500, '10.0.0.7': -9000 }, '10.0.0.1', 400);
  assert.deepEqual(got, { fromHost: 400, fromPeers: 0 });
  const all = splitSources({ '10.0.0.1': -1, '10.0.0.7': -2 }, '10.0.0.1', 400);
  assert.deepEqual(all, { fromHost: 400, fromPeers: 0 });
});
