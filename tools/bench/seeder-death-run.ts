import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import { hexHas } from '../../client/src/engines/swarm-view.ts';
import { LAB_SWARM } from '../../client/src/shared.ts';
import {
  aria2SeederArgs,
  opentrackerArgs,
  type SeederReport,
  seederUploaded,
  WEBTORRENT_SEEDER_PROCESS,
  type WebtorrentSeederOptions,
} from '../../host/src/shared.ts';
import { forwardFromNamespace } from '../lab/forward-port.ts';
import { LabNet } from '../lab/netns.ts';
import { PROJECT_ROOT } from '../lib/paths.ts';
import { addShapedClients, hostSent, makeBenchEnv, mountTmpfs } from './bench-lab.ts';
import type { DeathRun } from './seeder-death-report.ts';

export const DEATH_SEEDERS = ['aria2', 'webtorrent', 'webtorrent-plain'] as const;
export type DeathSeeder = (typeof DEATH_SEEDERS)[number];

const node = process.execPath;
const fetchOnce = path.join(PROJECT_ROOT, 'tools', 'bench', 'fetch-once.ts');
/** every process a run started and has not seen end */
export const running = new Set<ResultPromise>();

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

/**
 * One run of the seeder-death bench: N clients with \`engine\` fetch the bench image in their namespaces
 * while the host's tracker and \`seeder\` serve it; the seeder is SIGKILLed once it has sent \`copies\` ×
 * the image (its own count) and never started again. Ends when every client is done or the room gained
 * nothing for \`waitS\`; \`running\` holds its processes, so a Ctrl+C can end them.
 */
export async function runSeederDeath(o: {
  seeder: DeathSeeder;
  engine: string;
  clients: number;
  sizeMib: number;
  rateMbit: number;
  copies: number;
  waitS: number;
  /** the lab's name and subnet: a test and a bench may run side by side */
  name?: string;
  subnet?: string;
}): Promise<DeathRun> {
  const { seeder, engine, clients: n, sizeMib, rateMbit, copies, waitS } = o;
  const net = new LabNet(o.name ?? `btdeath-${process.pid}`, o.subnet ?? '10.89.0');
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
        const at = (Date.now() - t0) / 1000;
        const wireCopies = (hostSent(net) - sent0) / totalLength;
        // what the room holds once the host's last bytes have landed (its clients' reports lag by up to
        // a quarter second): trading adds no piece to it after that, only the host could
        await new Promise((r) => setTimeout(r, 1500));
        const room = await roomHolds(states, pieces);
        death = { at, sentCopies: uploaded / totalLength, wireCopies, ...room };
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
