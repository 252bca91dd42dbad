import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { originalClientArgs, originalSeederArgs } from './original-recipe.ts';

describe("the original BootTorrent's recipe, the bench's anchor row", () => {
  it('clients: the TUI’s aria2c flags, seed_time/60 minutes of seeding (0 for the default 30 s)', () => {
    assert.deepEqual(originalClientArgs({ dir: '/ram', torrent: 'os.torrent' }), [
      '--check-integrity',
      '--allow-overwrite=true',
      '--enable-dht=false',
      '--enable-dht6=false',
      '--disable-ipv6=true',
      '--bt-enable-lpd=false',
      '--seed-time=0',
      '--file-allocation=prealloc',
      '--dir=/ram',
      'os.torrent',
    ]);
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
