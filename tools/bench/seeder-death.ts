#!/usr/bin/env node
// `npm run bench:death`: the host's seeder dies after about one copy of the OS; does the room still boot?
// N clients in namespaces on one bridge (every port shaped, as bench:swarm), the host's tracker and
// seeder started as `boottorrent start` starts them; the seeder is SIGKILLed once it has
// sent COPIES × the image (by its own count), and is never started again (the tracker stays). Printed:
// what the room held at that moment (the union of the clients' pieces), and whether every client
// finished from the others.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import { hexHas } from '../../client/src/engines/swarm-view.ts';
import { LAB_SWARM } from '../../client/src/shared.ts';
import { aria2SeederArgs } from '../../host/src/start/seeder.ts';
import { seederUploaded } from '../../host/src/start/seeder-stats.ts';
import { opentrackerArgs } from '../../host/src/start/tracker.ts';
import {
  type SeederReport,
  WEBTORRENT_SEEDER_PROCESS,
  type WebtorrentSeederOptions,
} from '../../host/src/start/webtorrent-seeder.ts';
import { forwardFromNamespace } from '../lab/forward-port.ts';
import { LabNet } from '../lab/netns.ts';
import { PROJECT_ROOT } from '../lib/paths.ts';
import { parseOptionsOrExit } from '../lib/run-script.ts';
import { addShapedClients, hostSent, makeBenchEnv, mountTmpfs } from './bench-lab.ts';
import { type DeathRun, formatDeathRuns } from './seeder-death-report.ts';

const SEEDERS = ['aria2', 'webtorrent', 'webtorrent-plain'] as const;
type Seeder = (typeof SEEDERS)[number];

const USAGE = `usage: npm run bench:death -- [--clients N] [--size MIB] [--rate MBIT] [--copies X] [--engines aria2,webtorrent] [--seeders ${SEEDERS.join(',')}] [--wait S]

  --clients  clients at once (default 4)       --size  image size in MiB (default 96)
  --rate     every port's rate in Mbit/s (default 100)
  --copies   the seeder dies once it has sent this many copies of the image (default 1.02)
  --engines  the clients' engines (default aria2,webtorrent; webtorrent-from-0: every WebTorrent client
             walking from the first piece, as before each started at its own place)
  --seeders  the host's seeders (default ${SEEDERS.join(',')}): aria2 as boottorrent start runs it,
             webtorrent with its cover-first policy, webtorrent-plain without it (the comparison)
  --wait     seconds without progress in the room, after the death, before a run is called stuck (default 45)`;

const { values: o } = parseOptionsOrExit('bench:death', USAGE, {
  options: {
    clients: { type: 'string', default: '4' },
    size: { type: 'string', default: '96' },
    rate: { type: 'string', default: '100' },
    copies: { type: 'string', default: '1.02' },
    engines: { type: 'string', default: 'aria2,webtorrent' },
    seeders: { type: 'string', default: SEEDERS.join(',') },
    wait: { type: 'string', default: '45' },
    help: { type: 'boolean', default: false },
  },
});
if (o.help) {
  console.log(USAGE);
  process.exit(0);
}
const n = Number(o.clients);
const sizeMib = Number(o.size);
const rateMbit = Number(o.rate);
const copies = Number(o.copies);
const waitS = Number(o.wait);
const engines = o.engines.split(',').filter(Boolean);
const seeders = o.seeders.split(',').filter(Boolean) as Seeder[];
const bad = [
  ...(['clients', 'size', 'rate', 'wait'] as const)
    .filter((k) => !(Number(o[k]) > 0 && Number.isInteger(Number(o[k]))))
    .map((k) => `--${k} must be a positive whole number, not "${o[k]}"`),
  ...(copies > 0 ? [] : [`--copies must be a number above 0, not "${o.copies}"`]),
  ...engines
    .filter((e) => !['aria2', 'webtorrent', 'webtorrent-from-0'].includes(e))
    .map((e) => `--engines: "${e}" is not aria2, webtorrent or webtorrent-from-0`),
  ...seeders
    .filter((s) => !SEEDERS.includes(s))
    .map((s) => `--seeders: "${s}" is not one of ${SEEDERS.join(', ')}`),
];
if (bad.length) {
  for (const b of bad) console.error(`bench: ${b}`);
  process.exit(1);
}
if (process.getuid?.() !== 0) {
  console.error('bench: namespaces and tc need root (sudo npm run bench:death)');
  process.exit(1);
}

const node = process.execPath;
const fetchOnce = path.join(PROJECT_ROOT, 'tools', 'bench', 'fetch-once.ts');
const running = new Set<ResultPromise>();
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    console.error(`bench: ${sig}, stopping`);
    for (const p of running) p.kill('SIGTERM');
  });

const inNs = (ns: string, cmd: string, args: string[]) => {
  const p = execa('ip', ['netns', 'exec', ns, cmd, ...args], {
    reject: false,
    all: true,
    buffer: { all: true },
  });
  running.add(p);
  void p.finally(() => running.delete(p));
  return p;
};

/** The pieces the room holds: the union of every client's last written bitfield. */
async function roomHolds(states: string[], pieces: number): Promise<{ held: number; perClient: number[] }> {
  const have = await Promise.all(
    states.map((f) =>
      readFile(f, 'utf8')
        .then((t) => (JSON.parse(t) as { have: string }).have)
        .catch(() => ''),
    ),
  );
  let held = 0;
  for (let i = 0; i < pieces; i++) if (have.some((h) => hexHas(h, i))) held++;
  return { held, perClient: have.map((h) => [...Array(pieces).keys()].filter((i) => hexHas(h, i)).length) };
}

async function oneRun(seeder: Seeder, engine: string): Promise<DeathRun> {
  const net = new LabNet(`btdeath-${process.pid}`, '10.89.0');
  const work = await mkdtemp(path.join(tmpdir(), 'bt-death-'));
  let unmount: (() => void) | undefined;
  let stopForward: (() => Promise<void> | undefined) | undefined;
  let readUploaded: () => Promise<number> = async () => 0;
  const started: ResultPromise[] = [];
  try {
    unmount = mountTmpfs(work, (n + 2) * sizeMib + 256);
    const { env, torrent } = await makeBenchEnv(work, { sizeMib, hostIp: net.hostIp });
    const summary = JSON.parse(await readFile(path.join(env, 'out', 'build.json'), 'utf8')) as {
      oss: { totalLength: number; pieceLength: number }[];
      seeds: { torrent: string; dir: string }[];
    };
    const { totalLength, pieceLength } = summary.oss[0]!;
    const pieces = Math.ceil(totalLength / pieceLength);
    const clientNs = addShapedClients(net, n, rateMbit);
    await mkdir(path.join(env, 'out', 'opentracker'), { recursive: true });
    started.push(
      inNs(
        net.ns,
        'opentracker',
        opentrackerArgs({
          ip: net.hostIp,
          port: 6969,
          dir: path.join(env, 'out', 'opentracker'),
          asRoot: true,
        }),
      ),
    );
    // what the seeder says it sent (its payload, as the issue counts copies): aria2 over its RPC, which
    // answers inside the namespace only; WebTorrent's process over IPC
    let uploaded = 0;
    const rpc = { port: 6800, secret: 'bench' };
    let forward: Awaited<ReturnType<typeof forwardFromNamespace>> | undefined;
    let seederProc: ResultPromise;
    if (seeder === 'aria2') {
      seederProc = inNs(net.ns, 'aria2c', [
        ...aria2SeederArgs({
          seedList: path.join(env, 'out', 'aria2', 'seed.list'),
          torrents: summary.seeds.length,
          listenPort: 6881,
          swarm: LAB_SWARM,
          rpc,
        }),
      ]);
      forward = await forwardFromNamespace({ ns: net.ns, target: `127.0.0.1:${rpc.port}` });
      const port = Number(new URL(forward.url).port);
      readUploaded = async () => (await seederUploaded({ port, secret: rpc.secret })) ?? uploaded;
    } else {
      seederProc = execa(
        'ip',
        [
          'netns',
          'exec',
          net.ns,
          node,
          WEBTORRENT_SEEDER_PROCESS,
          JSON.stringify({
            seeds: summary.seeds,
            port: 6881,
            swarm: LAB_SWARM,
            coverFirst: seeder === 'webtorrent',
            reportMs: 100,
          } satisfies WebtorrentSeederOptions & { reportMs: number }),
        ],
        { reject: false, all: true, buffer: { all: true }, ipc: true, serialization: 'json' },
      );
      running.add(seederProc);
      void seederProc.finally(() => running.delete(seederProc));
      void (async () => {
        for await (const m of seederProc.getEachMessage({ reference: false }))
          uploaded = (m as SeederReport).uploaded;
      })().catch(() => {});
      readUploaded = async () => uploaded;
    }
    started.push(seederProc);
    stopForward = () => forward?.close();
    // the seeder checks its files first; on tmpfs that takes well under this
    await new Promise((r) => setTimeout(r, 3000));

    const sent0 = hostSent(net);
    const t0 = Date.now();
    const states = clientNs.map((_, i) => path.join(work, `state-c${i + 1}.json`));
    const stopFile = path.join(work, 'stop');
    const finishedAt: (number | undefined)[] = clientNs.map(() => undefined);
    const dirs = clientNs.map((_, i) => path.join(work, `c${i + 1}`));
    for (const d of dirs) await mkdir(d);
    const clients = clientNs.map((cns, i) => {
      const p = execa(
        'ip',
        [
          'netns',
          'exec',
          cns,
          node,
          fetchOnce,
          ...['--engine', engine, '--dir', dirs[i]!, '--torrent', torrent, '--stop-file', stopFile],
          ...['--state-file', states[i]!],
        ],
        { reject: false, all: true, buffer: { all: true } },
      );
      running.add(p);
      void p.finally(() => running.delete(p));
      createInterface({ input: p.stdout! }).on('line', (l) => {
        if (l.startsWith('{"done"')) finishedAt[i] = (Date.now() - t0) / 1000;
      });
      return p;
    });
    started.push(...clients);

    // the death: once the seeder has sent COPIES × the image
    let death: DeathRun['death'];
    for (const until = Date.now() + 600_000; !death && Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, 100));
      uploaded = await readUploaded();
      if (uploaded >= copies * totalLength) {
        seederProc.kill('SIGKILL');
        await seederProc;
        const room = await roomHolds(states, pieces);
        death = {
          at: (Date.now() - t0) / 1000,
          sentCopies: uploaded / totalLength,
          wireCopies: (hostSent(net) - sent0) / totalLength,
          ...room,
        };
      }
      if (finishedAt.every((f) => f !== undefined)) break;
    }
    // after it: until every client is done, or the room gains nothing for --wait seconds
    let best = -1;
    let lastGain = Date.now();
    let end = await roomHolds(states, pieces);
    while (finishedAt.some((f) => f === undefined) && Date.now() - lastGain < waitS * 1000) {
      await new Promise((r) => setTimeout(r, 500));
      end = await roomHolds(states, pieces);
      const total = end.perClient.reduce((a, b) => a + b, 0);
      if (total > best) {
        best = total;
        lastGain = Date.now();
      }
    }
    return {
      seeder,
      engine,
      clients: n,
      sizeMib,
      rateMbit,
      pieces,
      killAt: copies,
      ...(death ? { death } : {}),
      finished: finishedAt.filter((f) => f !== undefined).length,
      lastFinished: Math.max(...finishedAt.map((f) => f ?? 0)),
      stuckAt: finishedAt.every((f) => f !== undefined) ? undefined : end.perClient.map((c) => c / pieces),
    };
  } finally {
    for (const p of started) p.kill('SIGTERM');
    await Promise.all(started);
    await stopForward?.();
    unmount?.();
    const left = await net.destroy();
    if (left.length) console.error(`bench: processes left in the namespaces: ${left.join(' ')}`);
    await rm(work, { recursive: true, force: true });
  }
}

const runs: DeathRun[] = [];
for (const seeder of seeders)
  for (const engine of engines) {
    console.log(
      `== ${seeder} seeder, ${n} ${engine} clients, ${sizeMib} MiB at ${rateMbit} Mbit/s, dies at ${copies} copies`,
    );
    const r = await oneRun(seeder, engine);
    runs.push(r);
    console.log(formatDeathRuns([r]).split('\n').at(-1));
  }
console.log(`\n${formatDeathRuns(runs)}`);
