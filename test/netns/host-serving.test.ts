import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { LabNet } from '../../tools/lab/netns.ts';
import { BOOTTORRENT_CLI } from '../../tools/lib/paths.ts';
import { makeOriginalEnv, ORIGINAL_BOOTTORRENT_YAML } from '../helpers/make-env.ts';

const IMAGE = 1_474_560; // freedos/odin1440.img in the fixture env

/**
 * `boottorrent start ARGS` for an env in a fresh namespace with one leecher namespace; `fetch` runs an
 * aria2c there for freedos and says how long it took; everything is stopped and removed after `body`.
 */
async function withHost(
  name: string,
  o: { yamlExtra: string; args: string[] },
  body: (h: {
    fetch: () => Promise<number>;
    hostLog: () => Promise<string>;
    output: () => string;
  }) => Promise<void>,
) {
  const net = new LabNet(`bt-${name}-${process.pid}`, '10.79.0');
  const client = net.addClient('c1');
  await execa('ip', ['-n', client, 'addr', 'replace', '10.79.0.20/24', 'dev', 'eth0']);
  const env = await makeOriginalEnv({
    boottorrentYaml: ORIGINAL_BOOTTORRENT_YAML.replaceAll('10.77.0', '10.79.0').concat(o.yamlExtra),
  });
  const work = await mkdtemp(path.join(tmpdir(), 'bt-leech-'));
  let output = '';
  const host = execa(
    'ip',
    ['netns', 'exec', net.ns, process.execPath, BOOTTORRENT_CLI, 'start', env, ...o.args],
    {
      reject: false,
      all: true,
      stdin: 'ignore',
      buffer: false,
    },
  );
  host.all!.on('data', (b: Buffer) => {
    output += b.toString();
  });
  let exited = false;
  void host.finally(() => {
    exited = true;
  });
  try {
    for (const until = Date.now() + 60_000; !/Ctrl\+C stops everything/.test(output); ) {
      if (Date.now() > until || exited) throw new Error(`the host did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    let n = 0;
    await body({
      fetch: async () => {
        const t0 = Date.now();
        const r = await execa(
          'ip',
          [
            'netns',
            'exec',
            client,
            'aria2c',
            '--seed-time=0',
            '--enable-dht=false',
            '--bt-enable-lpd=false',
            `--dir=${work}/${n++}`,
            path.join(env, 'out', 'torrents', 'freedos.torrent'),
          ],
          { reject: false, all: true, timeout: 60_000 },
        );
        assert.equal(r.exitCode, 0, r.all);
        return (Date.now() - t0) / 1000;
      },
      hostLog: () => readFile(path.join(env, 'out', 'logs', 'host.log'), 'utf8'),
      output: () => output,
    });
  } finally {
    host.kill('SIGTERM');
    await host;
    const left = await net.destroy();
    await rm(env, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
    assert.deepEqual(left, [], 'no process left in the namespaces');
  }
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
