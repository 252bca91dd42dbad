// Over 250 lines: the faults a swarm meets (a corrupt peer, a full RAM disk, a silent peer), each against real programs, sharing their setup.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { aria2Engine } from '../../client/src/engines/aria2-engine.ts';
import type { DownloadEngine } from '../../client/src/engines/engine.ts';
import { freePort } from '../../client/src/engines/free-port.ts';
import { LAB_SWARM } from '../../client/src/engines/swarm-settings.ts';
import { webtorrentEngine } from '../../client/src/engines/webtorrent-engine.ts';
import { stallError } from '../../client/src/flow/stall-cause.ts';
import { realClock, watchTransfer } from '../../client/src/flow/watch-transfer.ts';
import { decode } from '../../client/src/torrent/bencode.ts';
import { parseTorrent } from '../../client/src/torrent/torrent-file.ts';
import { buildEnv, type Component, spawnComponent } from '../../host/src/shared.ts';
import { loopbackYaml, startLoopbackHost } from '../helpers/loopback-host.ts';
import { makeOriginalEnv } from '../helpers/make-env.ts';

const sha = async (f: string) =>
  createHash('sha256')
    .update(await readFile(f))
    .digest('hex');
// the whole 127/8 is loopback: a peer of its own address, so banning it spares the good seeder on 127.0.0.1
const LIAR = '127.0.0.2';

/**
 * A peer that announces the real torrents but serves other bytes: aria2c seeding a tampered copy of the
 * OS folders without checking it (--bt-seed-unverified), from its own loopback address.
 */
async function startLiar(env: string): Promise<{ stop(): Promise<void>; dir: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bt-liar-'));
  await cp(path.join(env, 'oss'), dir, { recursive: true });
  // every file, so that no piece it serves is right (a piece of untouched bytes would pass its check)
  for (const f of ['debian/vmlinuz', 'debian/initrd.img', 'freedos/odin1440.img']) {
    const h = await open(path.join(dir, f), 'r+');
    const { size } = await h.stat();
    // every 64 KiB, so every piece is wrong
    for (let at = 0; at < size; at += 65536) await h.write(Buffer.from('CORRUPT!'), 0, 8, at);
    await h.close();
  }
  const list = ['debian', 'freedos']
    .map((o) => `${path.join(env, 'out', 'torrents', `${o}.torrent`)}\n  dir=${dir}\n`)
    .join('');
  const seedList = path.join(dir, 'seed.list');
  await writeFile(seedList, list);
  const c: Component = spawnComponent({
    name: 'liar',
    cmd: 'aria2c',
    args: [
      `--input-file=${seedList}`,
      `--interface=${LIAR}`,
      `--listen-port=${await freePort()}`,
      '--bt-seed-unverified=true',
      '--check-integrity=false',
      '--seed-ratio=0.0',
      '--enable-dht=false',
      '--enable-dht6=false',
      '--bt-enable-lpd=false',
      '--bt-tracker-interval=2',
      '--console-log-level=error',
      '--summary-interval=0',
    ],
    log: () => {},
  });
  return {
    dir,
    async stop() {
      await c.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Waits (bounded) until the tracker lists `n` seeders of a torrent: every client then meets them all. */
async function seedersKnown(trackerPort: number, torrentFile: string, n: number): Promise<void> {
  const t = parseTorrent(await readFile(torrentFile));
  assert.ok(t.ok);
  const hash = Buffer.from(t.torrent.infohash, 'hex');
  const q = [...hash].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  let complete = -1;
  for (const until = Date.now() + 20_000; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) {
    const body = await fetch(`http://127.0.0.1:${trackerPort}/scrape?info_hash=${q}`)
      .then(async (r) => Buffer.from(await r.arrayBuffer()))
      .catch(() => undefined);
    const files = body
      ? (decode(body) as { files?: Record<string, { complete?: number }> }).files
      : undefined;
    complete = Object.values(files ?? {})[0]?.complete ?? -1;
    if (complete >= n) return;
  }
  throw new Error(`the tracker lists ${complete} seeder(s), not ${n}`);
}

/** An env on loopback: its tracker, a corrupt peer and, when asked, the host's seeder. */
function faultyLab(withHost: boolean) {
  const lab = {
    env: '',
    trackerPort: 0,
    host: undefined as Awaited<ReturnType<typeof startLoopbackHost>> | undefined,
    liar: undefined as Awaited<ReturnType<typeof startLiar>> | undefined,
  };
  before(async () => {
    lab.trackerPort = await freePort();
    lab.env = await makeOriginalEnv({
      boottorrentYaml: loopbackYaml(lab.trackerPort),
      sizes: { 'debian/initrd.img': 4 << 20 },
    });
    assert.ok((await buildEnv(lab.env)).ok);
    // the seeder capped, so the liar is asked for pieces while the download runs
    lab.host = await startLoopbackHost(lab.env, withHost ? { seedLimit: 500_000 } : { seeder: 'none' });
    lab.liar = await startLiar(lab.env);
    await seedersKnown(
      lab.trackerPort,
      path.join(lab.env, 'out', 'torrents', 'debian.torrent'),
      withHost ? 2 : 1,
    );
  });
  after(async () => {
    await lab.host?.stop();
    await lab.liar?.stop();
    if (lab.env) await rm(lab.env, { recursive: true, force: true });
  });
  return lab;
}

/** Runs a transfer as bootOs does (the same stall rule), bounded by `stallMs` of no verified progress. */
async function attempt(engine: DownloadEngine, env: string, os: string, dataDir: string, stallMs: number) {
  const t = await engine.start({ torrentFile: path.join(env, 'out', 'torrents', `${os}.torrent`), dataDir });
  try {
    const err = await watchTransfer(t, {
      stallMs,
      tickMs: 250,
      clock: realClock,
      onTick: () => {},
      onStall: async (s, since) => stallError(s, { stallMs, hostIp: '127.0.0.1', since }),
    });
    return { err, stats: t.stats() };
  } finally {
    await t.stop();
  }
}

const engineNamed = (name: 'aria2' | 'webtorrent') =>
  name === 'aria2' ? aria2Engine({ swarm: LAB_SWARM }) : webtorrentEngine({ swarm: LAB_SWARM });

describe('a swarm of only a peer sending corrupt pieces', { timeout: 120_000 }, () => {
  const lab = faultyLab(false);
  for (const name of ['aria2', 'webtorrent'] as const) {
    it(`${name}: is "no verified data" after stall_timeout, not a download that never ends`, async () => {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'bt-client-'));
      const bans: string[] = [];
      const engine =
        name === 'aria2'
          ? aria2Engine({ swarm: LAB_SWARM })
          : webtorrentEngine({ swarm: LAB_SWARM, onBan: (ip) => bans.push(ip) });
      try {
        const { err, stats } = await attempt(engine, lab.env, 'debian', dataDir, 6000);
        assert.ok(err, 'the attempt failed');
        assert.match(err.message, /^No verified data arrived for 6 s \(0 B of 4\.3 MiB/);
        assert.equal(stats.done, 0);
        // WebTorrent's ban is our doing: it drops the liar at its first piece, and says the piece failed.
        // aria2 drops such a peer itself and says nothing; a poll that saw its count fall says the piece
        // failed, else this client has no peer left to name
        if (name === 'webtorrent') {
          assert.deepEqual(bans, [LIAR]);
          assert.match(err.message, /1 piece\(s\) arrived meanwhile and failed their checks\.$/);
        } else
          assert.match(
            err.message,
            /piece\(s\) arrived meanwhile and failed their checks\.$|and no machine is connected: the host’s seeder does not answer/,
          );
        assert.doesNotMatch(err.hint, /cable/);
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  }
});

describe(
  'the host seeding, a peer sending corrupt pieces, a RAM disk that fills',
  { timeout: 180_000 },
  () => {
    const lab = faultyLab(true);

    it('both engines finish byte for byte beside it; WebTorrent never blames the honest seeder', async () => {
      const bans: string[] = [];
      for (const engine of [
        aria2Engine({ swarm: LAB_SWARM }),
        webtorrentEngine({ swarm: LAB_SWARM, onBan: (ip) => bans.push(ip) }),
      ]) {
        const dataDir = await mkdtemp(path.join(tmpdir(), 'bt-client-'));
        try {
          const { err } = await attempt(engine, lab.env, 'debian', dataDir, 30_000);
          assert.equal(err, undefined, `${engine.name}: ${err?.message}`);
          assert.equal(
            await sha(path.join(dataDir, 'debian', 'initrd.img')),
            await sha(path.join(lab.env, 'oss', 'debian', 'initrd.img')),
          );
        } finally {
          await rm(dataDir, { recursive: true, force: true });
        }
      }
      // whether the liar got to send a piece this time depends on timing; the honest seeder is never blamed
      assert.deepEqual(
        bans.filter((ip) => ip !== LIAR),
        [],
      );
    });

    for (const name of ['aria2', 'webtorrent'] as const) {
      it(`${name}: a RAM disk that fills is said in words, and the same disk then takes an OS that fits`, async () => {
        const ram = await mkdtemp(path.join(tmpdir(), 'bt-small-ram-'));
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', ram]);
        try {
          const big = await attempt(engineNamed(name), lab.env, 'debian', ram, 20_000);
          assert.ok(big.err, 'a 4.3 MiB OS does not fit 3 MiB');
          assert.match(
            `${big.err.message} ${big.err.hint}`,
            name === 'aria2' ? /not enough space in RAM/ : /the RAM disk is full/,
          );
          // what bootOs does after any failed attempt; then the client is as good as new
          await rm(path.join(ram, 'debian'), { recursive: true, force: true });
          const small = await attempt(engineNamed(name), lab.env, 'freedos', ram, 20_000);
          assert.equal(small.err, undefined, small.err?.message);
          assert.deepEqual(await readdir(ram), ['freedos'], 'nothing else of either attempt is left');
        } finally {
          execFileSync('umount', [ram]);
          await rm(ram, { recursive: true, force: true });
        }
      });
    }
  },
);

/** Announces a peer at `ip:port` for a torrent to the tracker, from `ip` (opentracker takes the sender's address). */
async function announce(trackerPort: number, torrentFile: string, ip: string, port: number): Promise<void> {
  const t = parseTorrent(await readFile(torrentFile));
  assert.ok(t.ok);
  const pct = (b: Buffer) => [...b].map((x) => `%${x.toString(16).padStart(2, '0')}`).join('');
  const q = `info_hash=${pct(Buffer.from(t.torrent.infohash, 'hex'))}&peer_id=${pct(Buffer.from('-SILENT-000000000000'))}&port=${port}&uploaded=0&downloaded=0&left=0&compact=1&event=started`;
  await new Promise<void>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: trackerPort, path: `/announce?${q}`, localAddress: ip }, (r) => {
        r.resume();
        r.on('end', () => resolve());
      })
      .on('error', reject);
  });
}

describe('a peer the tracker names that takes the connection and never answers', { timeout: 60_000 }, () => {
  const SILENT = '127.0.0.3';
  let env = '';
  let host: Awaited<ReturnType<typeof startLoopbackHost>> | undefined;
  let server: net.Server | undefined;
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  before(async () => {
    const trackerPort = await freePort();
    env = await makeOriginalEnv({ boottorrentYaml: loopbackYaml(trackerPort) });
    assert.ok((await buildEnv(env)).ok);
    host = await startLoopbackHost(env, { seeder: 'none' });
    server = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => {});
      // aria2 tries an encrypted handshake first: refused, as WebTorrent refuses it, it connects again in
      // plain BitTorrent, and that connection is held open in silence: a handshake that never comes
      s.once('data', (b) => {
        if (b.subarray(0, 20).equals(Buffer.from('\x13BitTorrent protocol', 'latin1'))) accepted++;
        else s.destroy();
      });
    });
    const port = await new Promise<number>((r) =>
      server!.listen(0, SILENT, () => r((server!.address() as net.AddressInfo).port)),
    );
    for (const until = Date.now() + 10_000; ; await new Promise((r) => setTimeout(r, 200))) {
      const ok = await announce(
        trackerPort,
        path.join(env, 'out', 'torrents', 'debian.torrent'),
        SILENT,
        port,
      )
        .then(() => true)
        .catch(() => false);
      if (ok) break;
      if (Date.now() > until) throw new Error('the tracker did not answer');
    }
  });
  after(async () => {
    await host?.stop();
    for (const s of sockets) s.destroy();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    if (env) await rm(env, { recursive: true, force: true });
  });

  it('aria2: is no connected machine while aria2 waits for its handshake (the stall blames the seeder, not a peer with nothing)', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'bt-client-'));
    try {
      const { err, stats } = await attempt(aria2Engine({ swarm: LAB_SWARM }), env, 'debian', dataDir, 5000);
      assert.ok(accepted > 0, 'aria2 sent the silent peer its plain handshake');
      assert.deepEqual(stats.swarms?.[0]?.peers, [], 'the silent peer is not among the connected');
      assert.match(err?.message ?? '', /and no machine is connected: the host’s seeder does not answer/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
