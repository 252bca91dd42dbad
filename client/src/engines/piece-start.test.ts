import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startFractionOf, startPiece } from './piece-start.ts';

describe('where a WebTorrent client starts its walk through the pieces', () => {
  it('is stable per MAC and spread over a room of consecutive MACs', () => {
    assert.equal(startFractionOf('52:54:00:12:34:01'), startFractionOf('52:54:00:12:34:01'));
    assert.equal(startFractionOf('52:54:00:12:34:01'), startFractionOf('52:54:00:12:34:01'.toUpperCase()));
    const room = Array.from({ length: 16 }, (_, i) =>
      startFractionOf(`52:54:00:12:34:${i.toString(16).padStart(2, '0')}`),
    );
    for (const f of room) assert.ok(f >= 0 && f < 1);
    // 16 machines land in at least 8 of 16 equal slices of the torrent: not all at its start
    assert.ok(new Set(room.map((f) => Math.floor(f * 16))).size >= 8, room.join(' '));
  });

  it('maps to a piece inside the torrent', () => {
    assert.equal(startPiece(0, 1000), 0);
    assert.equal(startPiece(0.5, 1000), 500);
    assert.equal(startPiece(0.99999, 1000), 999);
    assert.equal(startPiece(0.7, 0), 0);
  });
});
