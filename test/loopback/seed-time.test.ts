import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { aria2Engine } from '../../client/src/engines/aria2-engine.ts';
import { freePort } from '../../client/src/engines/free-port.ts';
import { LAB_SWARM } from '../../client/src/engines/swarm-settings.ts';
import { buildEnv } from '../../host/src/shared.ts';
import { fakeMachine, fakeTools } from '../helpers/fake-tools.ts';
import { loopbackYaml, startLoopbackHost } from '../helpers/loopback-host.ts';
import { makeOriginalEnv } from '../helpers/make-env.ts';

const SEED_TIME = 6;

describe(
  'seed_time on loopback: real seconds, and a client that arrives meanwhile is served',
  { timeout: 120_000 },
  () => {
    it(`after its load bttui seeds ${SEED_TIME} s, a later client downloads from it meanwhile, and the engine then stops at once`, async () => {
      const port = await freePort();
      const dashboardPort = await freePort();
      const env = await makeOriginalEnv({
        boottorrentYaml: loopbackYaml(port, `http:\n    enable: True\n    port: ${dashboardPort}\n`)
          .replace('seed_time: 0', `seed_time: ${SEED_TIME}`)
          .replace('timeout: 30', 'timeout: 0'),
      });
      assert.ok((await buildEnv(env)).ok);
      // the host's seeder slowed to 200 kB/s: a second client fetches the 1 MB mostly from the first
      const host = await startLoopbackHost(env, { seedLimit: 200_000 });
      const m = await fakeMachine();
      const fake = await fakeTools();
      const data = await mkdtemp(path.join(tmpdir(), 'bt-ram-'));
      const later = await mkdtemp(path.join(tmpdir(), 'bt-client-'));
      try {
        const lines: { t: number; line: string }[] = [];
        const a = execa(
          process.execPath,
          [
            path.resolve('client/src/bttui.ts'),
            ...[
              '--root',
              path.join(env, 'out', 'torrents'),
              '--data',
              data,
              '--proc',
              m.proc,
              '--sys',
              m.sys,
            ],
            ...['--plain', '--once', '--no-exec'],
          ],
          {
            reject: false,
            env: { PATH: `${fake.bin}:${process.env.PATH}` },
            stdin: 'ignore',
            buffer: false,
            timeout: 90_000,
          },
        );
        let seeding: () => void;
        const seedingStarted = new Promise<void>((r) => {
          seeding = r;
        });
        a.stdout!.on('data', (b: Buffer) => {
          for (const line of b.toString().split('\n').filter(Boolean)) {
            lines.push({ t: Date.now(), line });
            if (/seeding to other clients/.test(line)) seeding();
          }
        });
        // a bttui that never seeds ends first: that is the failure, said at once rather than waited on
        const first = await Promise.race([seedingStarted.then(() => 'seeding'), a.then(() => 'ended')]);
        assert.equal(first, 'seeding', lines.map((l) => l.line).join('\n'));
        // the later client: the same engine bttui uses, started while the first one seeds
        const b = await aria2Engine({
          swarm: LAB_SWARM,
        }).start({ torrentFile: path.join(env, 'out', 'torrents', 'debian.torrent'), dataDir: later });
        await b.complete;
        await b.stop();
        const r = await a;
        assert.equal(r.exitCode, 0, lines.map((l) => l.line).join('\n'));
        const at = (re: RegExp) => lines.find((l) => re.test(l.line))?.t;
        const loaded = at(/seeding to other clients, \d+ s left/)!;
        const ended = at(/: uploaded .* to other clients$/)!;
        assert.ok(
          ended - loaded >= (SEED_TIME - 1) * 1000 && ended - loaded < (SEED_TIME + 3) * 1000,
          `seeded ${(ended - loaded) / 1000} s of seed_time ${SEED_TIME}`,
        );
        // and then the engine goes at once: every second here is a second before kexec -e
        const stopped = at(/--no-exec: stopping before kexec -e/)!;
        assert.ok(stopped - ended < 2500, `the engine took ${(stopped - ended) / 1000} s to stop`);
        // what it uploaded, as it told the host's dashboard (its last sample, sent as seeding ended)
        const row = host.room.snapshot(Date.now()).clients[0];
        assert.deepEqual(
          row?.stages.map((x) => x.stage),
          ['download', 'verify', 'load', 'seed', 'boot'],
          'the stages, as events',
        );
        assert.ok(
          row.uploaded >= 256 * 1024,
          `the first client uploaded ${row.uploaded} bytes to the later one`,
        );
      } finally {
        await host.stop();
        for (const d of [env, data, later, m.dir, fake.dir]) await rm(d, { recursive: true, force: true });
      }
    });
  },
);
