import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PeerBytes } from './peer-bytes.ts';

it("integrates each peer's speed over the time between readings; a late, older reading adds nothing", () => {
  const b = new PeerBytes(0);
  b.add([{ ip: 'a', downloadSpeed: '1000' }], 1000);
  b.add(
    [
      { ip: 'a', downloadSpeed: '2000' },
      { ip: 'b', downloadSpeed: '500' },
    ],
    1500,
  );
  assert.deepEqual(b.totals(), { a: 2000, b: 250 });
  // a poll that started at 1200 and came back after the one of 1500
  b.add([{ ip: 'a', downloadSpeed: '9999' }], 1200);
  b.add([{ ip: 'a', downloadSpeed: '-5' }], 2000);
  assert.deepEqual(b.totals(), { a: 2000, b: 250 });
});
