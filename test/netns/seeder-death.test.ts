import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runSeederDeath } from '../../tools/bench/seeder-death-run.ts';

describe("the host's seeder dies after one copy: the room still boots", { timeout: 240_000 }, () => {
  // WebTorrent clients are the hard case: walking the torrent in order, they ask for what the others ask
  // for, and with a plain seeder the room held 25–40 % of the OS at that moment (bench:death)
  for (const engine of ['aria2', 'webtorrent'])
    it(`${engine} clients: with the default seeder (cover-first), every one finishes though the seeder dies at 1.02 copies`, async () => {
      const r = await runSeederDeath({
        seeder: 'webtorrent',
        engine,
        clients: 3,
        sizeMib: 24,
        rateMbit: 100,
        copies: 1.02,
        waitS: 15,
        name: `bt-death-${engine.slice(0, 2)}-${process.pid}`,
        subnet: '10.83.0',
      });
      assert.equal(r.finished, 3, `finished ${r.finished} of 3; stuck at ${r.stuckAt?.join('/')}`);
      // the seeder died with the room holding every piece, or the clients were done before it had sent
      // 1.02 copies (WebTorrent's often are): either way the host sent the OS about once
      if (r.death) assert.equal(r.death.held, r.pieces, 'the room held every piece once the seeder was gone');
    });
});
