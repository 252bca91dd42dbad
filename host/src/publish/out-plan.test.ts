import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { checkBoottorrentConfig, LIMITS } from '../../../client/src/shared.ts';
import { ORIGINAL_BOOTTORRENT_YAML } from '../../../test/helpers/make-env.ts';
import { type OutFacts, planOut } from './out-plan.ts';
import { PROJECT_ROOT } from './phase1-files.ts';

function facts(torrentBytes = 300): OutFacts {
  const c = checkBoottorrentConfig(yaml.load(ORIGINAL_BOOTTORRENT_YAML), 'Boottorrent.yaml');
  assert.ok(c.ok);
  const tpl = (n: string) => readFileSync(path.join(PROJECT_ROOT, 'assets', 'tpls', n), 'utf8');
  return {
    envDir: '/env',
    config: c.value,
    configText: ORIGINAL_BOOTTORRENT_YAML,
    out: '/env/out',
    oss: [
      {
        name: 'debian',
        os: { dispname: 'Debian', method: 'kexec', kernel: 'vmlinuz' },
        folder: '/env/oss/debian',
        fileCount: 1,
        torrent: Buffer.alloc(torrentBytes),
        infohash: 'ab'.repeat(20),
        totalLength: 10,
        pieceLength: 262144,
        files: { vmlinuz: { size: 10, sha256: 'cd'.repeat(32), signed: false } },
      },
    ],
    phase1: [],
    missing: [{ name: 'vmlinuz', makeWith: 'npm run phase1' }],
    templates: {
      dnsmasq: tpl('dnsmasq.conf.tpl'),
      pxelinux: tpl('pxelinux.cfg.tpl'),
      grub: tpl('grub.cfg.tpl'),
    },
  };
}

describe('out/ planned as values', () => {
  it('every file a build writes, from the facts alone, with the seeder list and the result that match', () => {
    const p = planOut(facts());
    assert.ok(p.ok);
    assert.deepEqual(p.files.map((f) => f.rel).sort(), [
      'aria2/seed.list',
      'build.json',
      'dnsmasq/dnsmasq.conf',
      'dnsmasq/ph1/grub/grub.cfg',
      'dnsmasq/ph1/pxelinux.cfg/default',
      'dnsmasq/ph1/torrents.gz',
      'opentracker/whitelist',
      'torrents/Boottorrent.yaml',
      'torrents/configs.yaml',
      'torrents/debian.torrent',
    ]);
    const text = (rel: string) =>
      String(p.files.find((f) => f.rel === rel && 'data' in f)?.['data' as never]);
    assert.equal(text('aria2/seed.list'), '/env/out/torrents/debian.torrent\n  dir=/env/oss\n');
    assert.equal(text('opentracker/whitelist'), `${'ab'.repeat(20)}\n`);
    assert.match(text('torrents/configs.yaml') ?? '', /^ {2}infohash: (ab){20}$/m);
    assert.deepEqual(p.result.seeds, [{ torrent: '/env/out/torrents/debian.torrent', dir: '/env/oss' }]);
    assert.deepEqual(p.result.missing, [{ name: 'vmlinuz', makeWith: 'npm run phase1' }]);
    assert.ok(p.result.phase1Bytes['torrents.gz']! > 0);
  });

  it('a torrent larger than a client reads is refused, naming its config.yaml, before anything is written', () => {
    const p = planOut(facts(LIMITS.maxTorrentBytes + 1));
    assert.deepEqual(p, {
      ok: false,
      problem: {
        file: '/env/oss/debian/config.yaml',
        field: '',
        message: `its torrent would be ${LIMITS.maxTorrentBytes + 1} bytes, more than the ${LIMITS.maxTorrentBytes} a client reads; pack its files into an image`,
      },
    });
  });
});
