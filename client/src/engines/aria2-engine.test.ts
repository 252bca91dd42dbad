import assert from 'node:assert/strict';
import { it } from 'node:test';
import { handshaken, swarmView, verifiedBytes } from './aria2-engine.ts';

it("counts the pieces aria2's bitfield marks, the last one as long as the total leaves", () => {
  // 10 pieces of 100 bytes, the last one 40: total 940
  assert.equal(verifiedBytes('0000', 100, 10, 940), 0);
  assert.equal(verifiedBytes('8000', 100, 10, 940), 100, 'the first piece is the high bit');
  assert.equal(verifiedBytes('0040', 100, 10, 940), 40, 'the last piece');
  assert.equal(verifiedBytes('ffc0', 100, 10, 940), 940);
  assert.equal(verifiedBytes(undefined, 100, 10, 940), 0, 'no bitfield before the metadata');
});

it('counts a peer as connected once aria2 has its handshake: a peer id of zero bytes is a connection still being made', () => {
  const zero = '%00'.repeat(20);
  assert.equal(handshaken(zero), false);
  assert.equal(handshaken(undefined), false);
  assert.equal(handshaken('-WW0300-%8a%1f%00%00%00%00%00%00%00%00%00%00'), true, 'a WebTorrent peer');
  assert.equal(handshaken('A2-1-37-0-%d3%10%0b%a8%e8%b8%fe%9b%d7%ac'), true, 'an aria2 peer');
  // 8 pieces; the client has 0-3; the seeder being dialled again after its death has nothing, and is nobody
  const v = swarmView('debian', { bitfield: 'f0', numPieces: '8' }, [
    { ip: '10.81.0.1', bitfield: '00', peerId: zero },
    { ip: '10.81.0.21', bitfield: 'f8', peerId: 'A2-1-37-0-%d3%10%0b%a8%e8%b8%fe%9b%d7%ac' },
  ]);
  assert.deepEqual(v.peers, ['10.81.0.21']);
  assert.deepEqual(v.nowhere, [5, 6, 7]);
});
