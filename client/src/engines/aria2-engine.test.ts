import assert from 'node:assert/strict';
import { it } from 'node:test';
import { verifiedBytes } from './aria2-engine.ts';

it("counts the pieces aria2's bitfield marks, the last one as long as the total leaves", () => {
  // 10 pieces of 100 bytes, the last one 40: total 940
  assert.equal(verifiedBytes('0000', 100, 10, 940), 0);
  assert.equal(verifiedBytes('8000', 100, 10, 940), 100, 'the first piece is the high bit');
  assert.equal(verifiedBytes('0040', 100, 10, 940), 40, 'the last piece');
  assert.equal(verifiedBytes('ffc0', 100, 10, 940), 940);
  assert.equal(verifiedBytes(undefined, 100, 10, 940), 0, 'no bitfield before the metadata');
});
