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
