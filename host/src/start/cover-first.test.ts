import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CoverFirst, type Show } from './cover-first.ts';

/** A small deterministic PRNG (mulberry32), so a failing room replays the same way. */
function rng(seed: number) {
  let x = seed >>> 0;
  return (n: number) => {
    x = (x + 0x6d2b79f5) >>> 0;
    let t = Math.imul(x ^ (x >>> 15), 1 | x);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * n);
  };
}

/**
 * A room in steps: each step one peer takes one piece, from the host (one it was shown and lacks, as a
 * rarest-first client prefers what only the host has) or from another peer (one that peer holds).
 * Returns how many pieces the host sent before the peers held a whole copy.
 */
function simulate(o: { pieces: number; peers: number; window: number; seed: number; fromPeers: number }) {
  const cover = new CoverFirst<number>({ pieces: o.pieces, window: o.window, staleMs: 1e9 });
  const shown = Array.from({ length: o.peers }, () => new Set<number>());
  const has = Array.from({ length: o.peers }, () => new Set<number>());
  const apply = (shows: Show<number>[]) => {
    for (const s of shows) for (const i of s.pieces) shown[s.peer]!.add(i);
  };
  for (let p = 0; p < o.peers; p++) for (const i of cover.join(p, 0)) shown[p]!.add(i);
  const r = rng(o.seed);
  let hostSent = 0;
  for (let step = 0; !cover.covered && step < 100_000; step++) {
    const p = r(o.peers);
    const q = r(o.peers);
    const fromPeer = [...has[q]!].filter((i) => !has[p]!.has(i));
    const fromHost = [...shown[p]!].filter((i) => !has[p]!.has(i));
    let got: number | undefined;
    if (q !== p && fromPeer.length && r(100) < o.fromPeers) got = fromPeer[r(fromPeer.length)];
    else if (fromHost.length) {
      got = fromHost[r(fromHost.length)];
      hostSent++;
    }
    if (got === undefined) continue;
    has[p]!.add(got);
    apply(cover.peerHas(p, [got], step));
  }
  return { cover, hostSent, shown, has };
}

describe('the host sends every piece once before any twice (cover-first seeding)', () => {
  it('a room of 4, 8 and 16 peers holds a whole copy after exactly one copy from the host, whatever the trading', () => {
    for (const peers of [1, 4, 8, 16])
      for (const seed of [1, 2, 3]) {
        const { cover, hostSent } = simulate({ pieces: 384, peers, window: 16, seed, fromPeers: 50 });
        assert.ok(cover.covered, `${peers} peers, seed ${seed}: covered`);
        assert.equal(hostSent, 384, `${peers} peers, seed ${seed}: the host sent ${hostSent} pieces`);
      }
  });

  it('gives each peer only pieces nobody holds, one peer per piece, at most its window at a time', () => {
    const c = new CoverFirst<string>({ pieces: 10, window: 3, staleMs: 1e9 });
    assert.deepEqual(c.join('a', 0), [0, 1, 2]);
    assert.deepEqual(c.join('b', 0), [3, 4, 5]);
    // b already holds 6 (from a peer that left): it is held, so nobody is given it
    assert.deepEqual(c.peerHas('b', [6], 0), []);
    assert.deepEqual(c.join('c', 0), [7, 8, 9]);
    // a took 0 from the host: a gets the one piece left that nobody holds or was given (none: all given)
    assert.deepEqual(c.peerHas('a', [0], 1), []);
    assert.equal(c.unheld, 8);
  });

  it('once the room holds every piece, every peer is shown everything it lacks, and a newcomer all of it', () => {
    const c = new CoverFirst<string>({ pieces: 4, window: 2, staleMs: 1e9 });
    assert.deepEqual(c.join('a', 0), [0, 1]);
    assert.deepEqual(c.join('b', 0), [2, 3]);
    assert.deepEqual(c.peerHas('a', [0, 1], 1), []);
    const shows = c.peerHas('b', [2, 3], 2);
    assert.ok(c.covered);
    assert.deepEqual(shows, [
      { peer: 'a', pieces: [2, 3] },
      { peer: 'b', pieces: [0, 1] },
    ]);
    assert.deepEqual(c.join('late', 3), [0, 1, 2, 3]);
  });

  it('a peer that leaves: what only it held is given again, and what it was given goes to the others', () => {
    const c = new CoverFirst<string>({ pieces: 4, window: 2, staleMs: 1e9 });
    c.join('a', 0); // 0, 1
    c.join('b', 0); // 2, 3
    c.peerHas('a', [0], 1);
    assert.deepEqual(c.peerHas('b', [2, 3], 1), []);
    // a leaves with 0 (held by nobody else) and 1 (given, not fetched): both go to b
    assert.deepEqual(c.leave('a'), [{ peer: 'b', pieces: [0, 1] }]);
    assert.equal(c.unheld, 2);
  });

  it('a peer the host sent nothing for staleMs gives its pieces back; it gets more once data flows to it again', () => {
    const c = new CoverFirst<string>({ pieces: 4, window: 2, staleMs: 10_000 });
    c.join('a', 0); // 0, 1
    c.join('b', 0); // 2, 3
    c.peerHas('b', [2, 3], 1000);
    c.sent('b', 9000);
    assert.deepEqual(c.tick(9999), [], 'a is not stale yet');
    // a went quiet: its pieces go to b, which has room
    assert.deepEqual(c.tick(10_000), [{ peer: 'b', pieces: [0, 1] }]);
    c.peerHas('b', [0], 11_000);
    // a shows life: nothing is free to give it (1 is b's now), but it is eligible again
    c.sent('a', 12_000);
    assert.deepEqual(c.tick(12_000), []);
    assert.ok(!c.covered);
    c.peerHas('b', [1], 13_000);
    assert.ok(c.covered);
  });
});
