import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { LIMITS } from '../../client/src/core/limits.ts';
import { aria2Engine } from '../../client/src/engines/aria2-engine.ts';
import type { DownloadEngine, Transfer } from '../../client/src/engines/engine.ts';
import { LAB_SWARM } from '../../client/src/engines/swarm-settings.ts';
import { hexHas } from '../../client/src/engines/swarm-view.ts';
import { webtorrentEngine } from '../../client/src/engines/webtorrent-engine.ts';
import { encode } from '../../client/src/torrent/bencode.ts';
import { loopbackRoom, loopbackYaml } from '../helpers/loopback-host.ts';
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

/** Each client engine, and WebTorrent starting its walk two thirds in (it wraps round and still gets every piece). */
const engines = () =>
  [
    ['aria2', aria2Engine({ swarm: LAB_SWARM })],
    ['webtorrent', webtorrentEngine({ swarm: LAB_SWARM })],
    ['webtorrent from two thirds in', webtorrentEngine({ swarm: LAB_SWARM, startFraction: 2 / 3 })],
  ] as const;

describe(
  'download engines against a real tracker and aria2c seeder on loopback',
  { timeout: 120_000 },
  () => {
    // 6 MiB in 256 KiB pieces, seeder capped at 1.5 MB/s: two clients finish faster by trading pieces
    const room = loopbackRoom(
      async (trackerPort) => {
        const env = await makeOriginalEnv({
          boottorrentYaml: loopbackYaml(trackerPort),
          sizes: { 'debian/initrd.img': 6 << 20 },
        });
        // a 0-byte file has no piece: an engine must still create it, or the boot misses it
        await writeFile(path.join(env, 'oss', 'freedos', 'autoexec.bat'), '');
        return env;
      },
      { seedLimit: 1_500_000 },
    );

    for (const [name, engine] of engines()) {
      it(`${name}: downloads an OS whose files match the host's`, async () => {
        const { t, dataDir } = await fetchOs(engine, room.env, 'freedos');
        try {
          const s = t.stats();
          assert.equal(s.done, s.total);
          assert.equal(s.total, 1_474_560);
          assert.equal(
            await sha(path.join(dataDir, 'freedos', 'odin1440.img')),
            await sha(path.join(room.env, 'oss', 'freedos', 'odin1440.img')),
          );
          assert.equal((await stat(path.join(dataDir, 'freedos', 'autoexec.bat'))).size, 0);
        } finally {
          await t.stop();
          await rm(dataDir, { recursive: true, force: true });
        }
      });
    }

    it('a WebTorrent client starting two thirds in fetches from there first (the seeder is capped, so the order shows)', async () => {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'bt-client-'));
      const t = await webtorrentEngine({ swarm: LAB_SWARM, startFraction: 2 / 3 }).start({
        torrentFile: path.join(room.env, 'out', 'torrents', 'debian.torrent'),
        dataDir,
      });
      try {
        // the walk from two thirds in wraps to piece 0 only once the end is in: at the first sample that
        // shows a piece before its start, the pieces from its start are in (a few may be in flight)
        for (const until = Date.now() + 30_000; ; ) {
          assert.ok(Date.now() < until, 'the download went on within 30 s');
          await new Promise((r) => setTimeout(r, 50));
          const v = t.stats().swarms?.[0];
          if (!v?.pieces) continue;
          const start = Math.floor((2 * v.pieces) / 3);
          const have = Array.from({ length: v.pieces }, (_, i) => i).filter((i) => hexHas(v.have, i));
          if (!have.some((i) => i < start)) continue;
          const fromStart = have.filter((i) => i >= start).length;
          assert.ok(
            fromStart >= v.pieces - start - 2,
            `pieces ${have.join(',')} of ${v.pieces}: the end first`,
          );
          break;
        }
      } finally {
        await t.stop();
        await rm(dataDir, { recursive: true, force: true });
      }
    });

    it('two aria2 clients at once exchange pieces with each other', async () => {
      const engine = aria2Engine({ swarm: LAB_SWARM });
      const [a, b] = await Promise.all([
        fetchOs(engine, room.env, 'debian'),
        fetchOs(engine, room.env, 'debian'),
      ]);
      try {
        const up = [a.t.stats().uploaded, b.t.stats().uploaded];
        // the seeder alone would need ~4.7 s per client; every byte a client uploads went to the other one
        assert.ok(up[0]! + up[1]! >= 256 * 1024, `clients uploaded ${up.join(' and ')} bytes to each other`);
        for (const c of [a, b])
          assert.equal(
            await sha(path.join(c.dataDir, 'debian', 'initrd.img')),
            await sha(path.join(room.env, 'oss', 'debian', 'initrd.img')),
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
    const room = loopbackRoom(
      (trackerPort) => makeOriginalEnv({ boottorrentYaml: loopbackYaml(trackerPort) }),
      {
        seeder: 'webtorrent',
      },
    );

    for (const [name, engine] of engines()) {
      it(`${name} fetches an OS from it, byte for byte`, async () => {
        const { t, dataDir } = await fetchOs(engine, room.env, 'alpine');
        try {
          for (const f of ['alpine-virt-3.8.0-x86.iso', 'extra/readme.txt'])
            assert.equal(
              await sha(path.join(dataDir, 'alpine', f)),
              await sha(path.join(room.env, 'oss', 'alpine', f)),
            );
        } finally {
          await t.stop();
          await rm(dataDir, { recursive: true, force: true });
        }
      });
    }
  },
);

describe('a torrent as large as bttui reads', { timeout: 60_000 }, () => {
  it('aria2 takes it over its RPC (base64 of 4 MiB passes aria2’s 2 MiB request limit only when raised)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bt-big-torrent-'));
    try {
      // one 3.2 GB file in 16 KiB pieces: its piece hashes alone make the torrent just under the limit
      const pieceLength = 16384;
      const count = Math.floor((LIMITS.maxTorrentBytes - 4096) / 20);
      const torrentFile = path.join(dir, 'big.torrent');
      await writeFile(
        torrentFile,
        encode({
          announce: 'http://127.0.0.1:1/announce',
          info: {
            name: 'big',
            length: count * pieceLength,
            'piece length': pieceLength,
            pieces: randomBytes(count * 20),
          },
        }),
      );
      const size = (await stat(torrentFile)).size;
      assert.ok(size > 3.9 * 1048576 && size <= LIMITS.maxTorrentBytes, `${size} bytes`);
      const t = await aria2Engine({ swarm: LAB_SWARM }).start({ torrentFile, dataDir: dir });
      try {
        for (const until = Date.now() + 20_000; t.stats().total === 0; ) {
          assert.ok(Date.now() < until, 'aria2 reports the torrent');
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.equal(t.stats().total, count * pieceLength);
      } finally {
        await t.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
