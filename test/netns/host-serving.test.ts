import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeOriginalEnv, ORIGINAL_BOOTTORRENT_YAML } from '../helpers/make-env.ts';
import { leech, withNetnsHost } from '../helpers/netns-host.ts';

const IMAGE = 1_474_560; // freedos/odin1440.img in the fixture env

/** `withNetnsHost` with the fixture env, and `fetch`: an aria2c in the client namespace fetches freedos, timed. */
async function withHost(
  name: string,
  o: { yamlExtra: string; args: string[] },
  body: (h: {
    fetch: () => Promise<number>;
    hostLog: () => Promise<string>;
    output: () => string;
  }) => Promise<void>,
) {
  await withNetnsHost(
    name,
    {
      makeEnv: () =>
        makeOriginalEnv({
          boottorrentYaml: ORIGINAL_BOOTTORRENT_YAML.replaceAll('10.77.0', '10.79.0').concat(o.yamlExtra),
        }),
      args: o.args,
    },
    async (h) => {
      let n = 0;
      await body({
        fetch: async () => {
          const t0 = Date.now();
          const r = await leech(h, 'freedos', `${h.work}/${n++}`);
          assert.equal(r.exitCode, 0, r.all);
          return (Date.now() - t0) / 1000;
        },
        hostLog: h.hostLog,
        output: h.output,
      });
    },
  );
}

describe('boottorrent start, as the README says it serves', { timeout: 240_000 }, () => {
  it('--seeder webtorrent --seed-limit 128K: the WebTorrent seeder serves a leecher no faster than the cap, and out/logs/host.log has the components’ lines', async () => {
    await withHost(
      'wtcap',
      {
        yamlExtra: 'http:\n    enable: True\n    port: 8000\n',
        args: ['--seeder', 'webtorrent', '--seed-limit', '128K'],
      },
      async (h) => {
        assert.match(h.output(), /seeder :6881 capped at 131072 B\/s/);
        const s = await h.fetch();
        // the cap, not the link, sets the pace: ~11 s for 1.4 MiB (a burst at the start is allowed)
        assert.ok(s >= (0.6 * IMAGE) / 131072, `${IMAGE} bytes in ${s} s at a cap of 128 KiB/s`);
        const log = await h.hostLog();
        // each component's lines, prefixed with its name (opentracker says nothing when all is well; the
        // HTTP server's lines are checked with the web seeds below)
        for (const part of ['seeder ', 'dnsmasq '])
          assert.match(log, new RegExp(`^\\S+ ${part} *\\| `, 'm'), `${part.trim()} lines in host.log`);
        assert.match(log, /seeder +\| uploaded \d+ bytes in all/, 'the seeder said what it sent');
      },
    );
  });

  it('http.web_seeds: with the seeder all but stopped (1 B/s), a leecher gets the OS from the HTTP web seed, by byte ranges', async () => {
    await withHost(
      'webseed',
      {
        yamlExtra: 'http:\n    enable: True\n    port: 8000\n    web_seeds: True\n',
        args: ['--seed-limit', '1'],
      },
      async (h) => {
        const s = await h.fetch();
        assert.ok(s < 30, `fetched in ${s} s`);
        const log = await h.hostLog();
        assert.match(log, /http +\| (::ffff:)?10\.79\.0\.20 GET \/oss\/freedos\/odin1440\.img 206 \d+ bytes/);
      },
    );
  });
});
