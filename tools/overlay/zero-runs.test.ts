import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatZeroRuns, parseZeroRuns, zeroRuns } from './zero-runs.ts';

const filled = (n: number) => new Uint8Array(n).fill(0xab);

describe('zero runs a hole can replace', () => {
  it('a run is trimmed inward to whole pages', () => {
    const b = filled(64);
    b.fill(0, 5, 45); // zeros from 5 to 45: pages of 8 give 8..40
    assert.deepEqual(zeroRuns(b, 8, 8), [{ offset: 8, length: 32 }]);
  });
  it('runs shorter than the minimum, once trimmed, are left as they are', () => {
    const b = filled(64);
    b.fill(0, 1, 16); // 15 zeros, one whole page of 8 inside
    assert.deepEqual(zeroRuns(b, 16, 8), []);
    assert.deepEqual(zeroRuns(b, 8, 8), [{ offset: 8, length: 8 }]);
  });
  it('several runs, one reaching the end of the file', () => {
    const b = filled(96);
    b.fill(0, 8, 24);
    b.fill(0, 64);
    assert.deepEqual(zeroRuns(b, 8, 8), [
      { offset: 8, length: 16 },
      { offset: 64, length: 32 },
    ]);
  });
  it('a single non-zero byte splits a run', () => {
    const b = new Uint8Array(64);
    b[30] = 1;
    assert.deepEqual(zeroRuns(b, 8, 8), [
      { offset: 0, length: 24 },
      { offset: 32, length: 32 },
    ]);
  });
  it('the list bttui-session reads holds the runs as written', () => {
    const runs = [
      { offset: 46415872, length: 1818624 },
      { offset: 74141696, length: 28946432 },
    ];
    assert.equal(formatZeroRuns(runs), '46415872 1818624\n74141696 28946432\n');
    assert.deepEqual(parseZeroRuns(formatZeroRuns(runs)), runs);
    assert.deepEqual(parseZeroRuns(''), []);
  });
});
