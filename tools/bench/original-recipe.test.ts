import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { originalClientArgs, originalSeederArgs } from './original-recipe.ts';

describe("the original BootTorrent's recipe, the bench's anchor row", () => {
  it('clients: the TUI’s aria2c flags, seed_time/60 minutes of seeding (0 for the default 30 s)', () => {
    const a = originalClientArgs({ dir: '/ram', torrent: 'os.torrent' });
    for (const f of ['--check-integrity', '--enable-dht=false', '--bt-enable-lpd=false', '--seed-time=0'])
      assert.ok(a.includes(f), f);
    assert.ok(a.includes('--file-allocation=prealloc'), 'the original preallocates: part of its cost');
    assert.deepEqual(a.slice(-2), ['--dir=/ram', 'os.torrent']);
    assert.ok(originalClientArgs({ dir: '/ram', torrent: 't', seedTime: 120 }).includes('--seed-time=2'));
  });

  it('the host: an aria2c seeder that never stops, peer exchange on, nothing else discovering', () => {
    const a = originalSeederArgs({ dir: '/oss', torrent: 'os.torrent', rpcPort: 6800 });
    for (const f of [
      '--check-integrity',
      '--seed-ratio=0',
      '--enable-peer-exchange=true',
      '--bt-enable-lpd=false',
    ])
      assert.ok(a.includes(f), f);
    assert.ok(!a.some((f) => f.startsWith('--bt-tracker-interval')), 'no re-announce tuning');
  });
});
