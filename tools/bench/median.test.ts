import assert from 'node:assert/strict';
import { it } from 'node:test';
import { median } from './median.ts';

it("the benches' median: the middle figure, the mean of the two middle ones, NaN for none", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.ok(Number.isNaN(median([])));
});
