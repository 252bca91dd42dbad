import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aria2SeederArgs } from '../../../host/src/start/seeder.ts';
import { aria2DiscoveryArgs, LAB_SWARM, webtorrentSwarmOptions } from './swarm-settings.ts';

describe("the env's swarm switches, for every engine", () => {
  it('aria2 flags and WebTorrent options say the same thing for each switch, and the host seeder gets the same flags', () => {
    for (const dht of [false, true])
      for (const lpd of [false, true])
        for (const pex of [false, true]) {
          const s = { ...LAB_SWARM, enable_dht: dht, bt_enable_lpd: lpd, enable_peer_exchange: pex };
          const flags = aria2DiscoveryArgs(s);
          const wt = webtorrentSwarmOptions(s);
          assert.deepEqual(flags, [
            `--enable-dht=${wt.dht}`,
            '--enable-dht6=false',
            `--bt-enable-lpd=${wt.lsd}`,
            `--enable-peer-exchange=${wt.utPex}`,
          ]);
          assert.equal(wt.utp, false, 'TCP only: aria2 peers speak no uTP');
          const seeder = aria2SeederArgs({ seedList: 'l', torrents: 1, listenPort: 1, swarm: s });
          for (const f of flags) assert.ok(seeder.includes(f), f);
        }
  });
});
