import assert from 'node:assert/strict';
import { it } from 'node:test';
import { availableBytes } from './meminfo.ts';

it('reads MemAvailable, or MemFree + Cached on kernels without it', () => {
  assert.equal(
    availableBytes('MemTotal:  4000 kB\nMemFree:  1000 kB\nMemAvailable:   3000 kB\n'),
    3000 * 1024,
  );
  assert.equal(availableBytes('MemTotal:  4000 kB\nMemFree:  1000 kB\nCached:  500 kB\n'), 1500 * 1024);
  assert.equal(availableBytes('nonsense'), undefined);
});
