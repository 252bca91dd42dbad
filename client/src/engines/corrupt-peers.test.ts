import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CorruptPeerJudge, peerIp } from './corrupt-peers.ts';

const b = (s: string) => Buffer.from(s);

it('a failed piece from one peer convicts it at once', () => {
  const j = new CorruptPeerJudge();
  j.block(3, 0, b('junk'), '10.0.0.9');
  j.block(3, 16384, b('junk'), '10.0.0.9');
  assert.deepEqual(j.failed(3), ['10.0.0.9']);
});

it('a failed piece from several convicts only the sender whose blocks the verified piece contradicts', () => {
  const j = new CorruptPeerJudge();
  j.block(7, 0, b('good-0'), '10.0.0.1');
  j.block(7, 16384, b('evil-1'), '10.0.0.9');
  assert.deepEqual(j.failed(7), [], 'no way to tell yet');
  j.block(7, 0, b('good-0'), '10.0.0.1');
  j.block(7, 16384, b('good-1'), '10.0.0.1');
  assert.deepEqual(j.verified(7), ['10.0.0.9']);
  assert.deepEqual(j.verified(7), [], 'settled once');
});

it('an honest mix passes without anyone blamed', () => {
  const j = new CorruptPeerJudge();
  j.block(1, 0, b('a'), '10.0.0.1');
  j.block(1, 16384, b('b'), '10.0.0.2');
  assert.deepEqual(j.verified(1), []);
});

it('reads an IPv4 peer behind a dual-stack socket as that IPv4 address', () => {
  assert.equal(peerIp('::ffff:127.0.0.2'), '127.0.0.2');
  assert.equal(peerIp('fd77::5'), 'fd77::5');
  assert.equal(peerIp('10.0.0.5'), '10.0.0.5');
});
