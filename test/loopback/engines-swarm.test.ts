import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { aria2Engine } from '../../client/src/engines/aria2-engine.ts';
import type { DownloadEngine, Transfer } from '../../client/src/engines/engine.ts';
import { freePort } from '../../client/src/engines/free-port.ts';
import { LAB_SWARM } from '../../client/src/engines/swarm-settings.ts';
import { webtorrentEngine } from '../../client/src/engines/webtorrent-engine.ts';
import { buildEnv } from '../../host/src/build/build-env.ts';
import { loopbackYaml, startLoopbackHost } from '../helpers/loopback-host.ts';
import { makeOriginalEnv } from '../helpers/make-env.ts';

const sha = async (f: string) =>
  createHash('sha256')
    .update(await readFile(f))
    .digest('hex');

/** Fetch one OS with `engine` into a fresh folder; bounded by the test's own timeout. */
async function fetchOs(engine: DownloadEngine, env: string, os: string) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bt-client-'));
  const t: Transfer = await engine.start({
    torrentFile: path.join(env, 'out', 'torrents', `${os}.torrent`),
    dataDir,
  });
  await t.complete;
  return { t, dataDir };
}

describe(
  'download engines against a real tracker and aria2c seeder on loopback',
  { timeout: 120_000 },
  () => {
    let env: string;
    let host: Awaited<ReturnType<typeof startLoopbackHost>>;
    before(async () => {
      const trackerPort = await freePort();
      // 6 MiB in 256 KiB pieces, seeder capped at 1.5 MB/s: two clients finish faster by trading pieces
      env = await makeOriginalEnv({
        boottorrentYaml: loopbackYaml(trackerPort),
        sizes: { 'debian/initrd.img': 6 << 20 },
      });
      // a 0-byte file has no piece: an engine must still create it, or the boot misses it
      await writeFile(path.join(env, 'oss', 'freedos', 'autoexec.bat'), '');
      const r = await buildEnv(env);
      assert.ok(r.ok);
      host = await startLoopbackHost(env, trackerPort, { seedLimit: 1_500_000 });
    });
    after(async () => {
      await host?.stop();
      await rm(env, { recursive: true, force: true });
    });

    for (const [name, engine] of [
      ['aria2', aria2Engine({ swarm: LAB_SWARM })],
      ['webtorrent', webtorrentEngine({ swarm: LAB_SWARM })],
      // starting its walk at its own place (two thirds in) and wrapping around, it still gets every piece
      ['webtorrent from two thirds in', webtorrentEngine({ swarm: LAB_SWARM, startFraction: 2 / 3 })],
    ] as const) {
      it(`${name}: downloads an OS whose files match the host's`, async () => {
        const { t, dataDir } = await fetchOs(engine, env, 'freedos');
        try {
          const s = t.stats();
          assert.equal(s.done, s.total);
          assert.equal(s.total, 1_474_560);
          assert.equal(
            await sha(path.join(dataDir, 'freedos', 'odin1440.img')),
            await sha(path.join(env, 'oss', 'freedos', 'odin1440.img')),
          );
          assert.equal((await stat(path.join(dataDir, 'freedos', 'autoexec.bat'))).size, 0);
        } finally {
          await t.stop();
          await rm(dataDir, { recursive: true, force: true });
        }
      });
    }

    it('two aria2 clients at once exchange pieces with each other', async () => {
      const engine = aria2Engine({ swarm: LAB_SWARM });
      const [a, b] = await Promise.all([fetchOs(engine, env, 'debian'), fetchOs(engine, env, 'debian')]);
      try {
        const up = [a.t.stats().uploaded, b.t.stats().uploaded];
        // the seeder alone would need ~4.7 s per client; every byte a client uploads went to the other one
        assert.ok(up[0]! + up[1]! >= 256 * 1024, `clients uploaded ${up.join(' and ')} bytes to each other`);
        for (const c of [a, b])
          assert.equal(
            await sha(path.join(c.dataDir, 'debian', 'initrd.img')),
            await sha(path.join(env, 'oss', 'debian', 'initrd.img')),
          );
      } finally {
        await Promise.all([a.t.stop(), b.t.stop()]);
        await Promise.all([rm(a.dataDir, { recursive: true }), rm(b.dataDir, { recursive: true })]);
      }
    });
  },
);

describe(
  'both client engines against the host seeder run as WebTorrent (start --seeder webtorrent)',
  { timeout: 120_000 },
  () => {
    let env: string;
    let host: Awaited<ReturnType<typeof startLoopbackHost>>;
    before(async () => {
      const trackerPort = await freePort();
      env = await makeOriginalEnv({ boottorrentYaml: loopbackYaml(trackerPort) });
      assert.ok((await buildEnv(env)).ok);
      host = await startLoopbackHost(env, trackerPort, { seeder: 'webtorrent' });
    });
    after(async () => {
      await host?.stop();
      await rm(env, { recursive: true, force: true });
    });

    for (const [name, engine] of [
      ['aria2', aria2Engine({ swarm: LAB_SWARM })],
      ['webtorrent', webtorrentEngine({ swarm: LAB_SWARM })],
      // starting its walk at its own place (two thirds in) and wrapping around, it still gets every piece
      ['webtorrent from two thirds in', webtorrentEngine({ swarm: LAB_SWARM, startFraction: 2 / 3 })],
    ] as const) {
      it(`${name} fetches an OS from it, byte for byte`, async () => {
        const { t, dataDir } = await fetchOs(engine, env, 'alpine');
        try {
          for (const f of ['alpine-virt-3.8.0-x86.iso', 'extra/readme.txt'])
            assert.equal(
              await sha(path.join(dataDir, 'alpine', f)),
              await sha(path.join(env, 'oss', 'alpine', f)),
            );
        } finally {
          await t.stop();
          await rm(dataDir, { recursive: true, force: true });
        }
      });
    }
  },
);
