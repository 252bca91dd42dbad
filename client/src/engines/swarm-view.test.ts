import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hexHas, nowhere, pieceRuns, toHex } from './swarm-view.ts';

describe('a swarm as a client sees it', () => {
  it('reads and writes bitfields as aria2 does (most significant bit first, hex)', () => {
    // pieces 0, 3, 4 and 9 of 10
    const hex = toHex(10, (i) => [0, 3, 4, 9].includes(i));
    assert.equal(hex, '984');
    assert.deepEqual(
      Array.from({ length: 10 }, (_, i) => i).filter((i) => hexHas(hex, i)),
      [0, 3, 4, 9],
    );
  });

  it('the pieces nobody connected has: what this client lacks and no peer holds', () => {
    const have = (i: number) => i < 3;
    const a = (i: number) => i === 4 || i === 5;
    const b = (i: number) => i === 7;
    assert.deepEqual(nowhere(10, have, [a, b]), [3, 6, 8, 9]);
    assert.deepEqual(nowhere(10, have, []), [3, 4, 5, 6, 7, 8, 9]);
  });

  it('says pieces in runs, and how many more when there are many', () => {
    assert.equal(pieceRuns([3, 4, 5, 9]), '3–5 and 9');
    assert.equal(pieceRuns([7]), '7');
    assert.equal(pieceRuns([1, 3, 5, 7, 9, 11]), '1, 3, 5, 7 and 2 more run(s)');
  });
});
