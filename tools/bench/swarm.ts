#!/usr/bin/env node
// Over 250 lines: the bench's options, its namespaces and the runs of every mode, one command from start to table.
// `npm run bench:swarm`: how close does BootTorrent get to the physical limit, against the HTTP star?
// The host and N clients, each in its own network namespace on one bridge, every port shaped to the
// same rate; each engine in turn fetches one image into tmpfs (no kexec); then plain HTTP from the host.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { opentrackerArgs } from '../../host/src/shared.ts';
import { forwardFromNamespace } from '../lab/forward-port.ts';
import { startNamespacedHost } from '../lab/namespaced-host.ts';
import { LabNet } from '../lab/netns.ts';
import { dist, PROJECT_ROOT } from '../lib/paths.ts';
import { parseOptionsOrExit } from '../lib/run-script.ts';
import { addShapedClients, hostSent, makeBenchEnv, mountTmpfs } from './bench-lab.ts';
import { MESH_FAN } from './mesh-plan.ts';
import { originalSeederArgs } from './original-recipe.ts';
import { formatRuns, type Run } from './swarm-report.ts';

const USAGE = `usage: npm run bench:swarm -- [--clients N] [--size MIB] [--rate MBIT] [--engines aria2,webtorrent] [--seeder aria2|webtorrent] [--sweep] [--aria2-args=FLAGS] [--aria2c PATH] [--no-http] [--no-ceiling]

  --clients  clients at once (default 8)          --size   image size in MiB (default 256)
  --rate     every port's rate, up and down, in Mbit/s (default 100)
  --engines  which client engines to run (default original,aria2,webtorrent; original is the original
             BootTorrent's recipe: plain aria2c clients that leave when done, its own aria2c seeder;
             webtorrent-from-0: WebTorrent with every client walking from the first piece)
  --seeder   the host's seeder, as boottorrent start --seeder (default webtorrent, as there)
  --sweep    N = 2, 4, 8, 16 in turn (and 32 with --clients 32)
  --piece-kib  the torrent's piece size in KiB (default: chosen for the size, 256 KiB at 256 MiB)
  --stagger  clients power on over this many seconds, evenly, as a room does (default 0: all at once);
             each client's time counts from its own start
  --aria2-args=FLAGS  extra flags for this project's aria2 clients, space-separated, after an "="
             (--aria2-args="--bt-max-peers=8"): aria2's own knobs; the original's clients keep its flags
  --aria2c PATHS  the aria2c this project's clients run (default: the one on PATH, Debian's); several,
             comma-separated, give one aria2 row each in the same run, "debian" naming the one on PATH:
             --aria2c debian,dist/phase1/root/usr/bin/aria2c (Debian's against Phase 1's own static build)
  --no-http  skip the HTTP star baseline
  --no-ceiling  skip the links' ceiling (every client pushing plain TCP to 4 others for 15 s: what the
             links carry with no BitTorrent on top)
Results: a table here, and JSON + Markdown in dist/bench/.`;

const { values: o } = parseOptionsOrExit('bench:swarm', USAGE, {
  options: {
    clients: { type: 'string', default: '8' },
    size: { type: 'string', default: '256' },
    rate: { type: 'string', default: '100' },
    engines: { type: 'string', default: 'original,aria2,webtorrent' },
    'piece-kib': { type: 'string', default: '0' },
    stagger: { type: 'string', default: '0' },
    seeder: { type: 'string', default: 'webtorrent' },
    'aria2-args': { type: 'string', default: '' },
    aria2c: { type: 'string', default: '' },
    sweep: { type: 'boolean', default: false },
    'no-http': { type: 'boolean', default: false },
    'no-ceiling': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (o.help) {
  console.log(USAGE);
  process.exit(0);
}
const sizeMib = Number(o.size);
const pieceKib = Number(o['piece-kib']);
const staggerS = Number(o.stagger);
const rateMbit = Number(o.rate);
const engines = o.engines.split(',').filter(Boolean);
const aria2Args = o['aria2-args'].split(/\s+/).filter(Boolean);
/** each aria2c the aria2 rows run, '' for the one on PATH */
const aria2cs = o.aria2c ? o.aria2c.split(',').map((a) => (a === 'debian' ? '' : a)) : [''];
// checked before any namespace or tmpfs exists: a typo should cost nothing
const isExecutable = (f: string) => {
  try {
    accessSync(f, constants.X_OK);
    return statSync(f).isFile();
  } catch {
    return false;
  }
};
const bad = [
  ...(['clients', 'size', 'rate'] as const)
    .filter((k) => !(Number(o[k]) > 0 && Number.isInteger(Number(o[k]))))
    .map((k) => `--${k} must be a positive whole number, not "${o[k]}"`),
  ...engines
    .filter((e) => !['aria2', 'webtorrent', 'webtorrent-from-0', 'original'].includes(e))
    .map((e) => `--engines: "${e}" is not an engine (aria2, webtorrent, webtorrent-from-0, original)`),
  ...(Number.isInteger(pieceKib) && pieceKib >= 0 && (pieceKib === 0 || (pieceKib & (pieceKib - 1)) === 0)
    ? []
    : [`--piece-kib must be a power of two (64, 128, 256, 512 …), not "${o['piece-kib']}"`]),
  ...(Number.isFinite(staggerS) && staggerS >= 0
    ? []
    : [`--stagger must be seconds ≥ 0, not "${o.stagger}"`]),
  ...aria2Args
    .filter((x) => !x.startsWith('--'))
    .map((x) => `--aria2-args: "${x}" is not a flag (write --name=value)`),
  ...aria2cs.filter((a) => a && !isExecutable(a)).map((a) => `--aria2c: "${a}" is not an executable file`),
  ...(o.seeder === 'aria2' || o.seeder === 'webtorrent'
    ? []
    : [`--seeder must be aria2 or webtorrent, not "${o.seeder}"`]),
];
if (bad.length) {
  for (const b of bad) console.error(`bench: ${b}`);
  console.error('bench: see npm run bench:swarm -- --help');
  process.exit(1);
}
if (process.getuid?.() !== 0) {
  console.error('bench: namespaces and tc need root (sudo npm run bench:swarm)');
  process.exit(1);
}
const counts = o.sweep ? [2, 4, 8, 16, ...(Number(o.clients) >= 32 ? [32] : [])] : [Number(o.clients)];
const node = process.execPath;
const fetchOnce = path.join(PROJECT_ROOT, 'tools', 'bench', 'fetch-once.ts');
const tcpMesh = path.join(PROJECT_ROOT, 'tools', 'bench', 'tcp-mesh.ts');

/** `boottorrent start` in the host's namespace, ready when its dashboard says so (a host that exits says why). */
async function startBoottorrentHost(net: LabNet, env: string) {
  return startNamespacedHost({
    net,
    env,
    args: ['--no-build', '--seeder', o.seeder],
    httpPort: 8000,
    readyMs: 60_000,
  });
}

/** The original's host: opentracker and an aria2c seeder with its flags, ready once the seeder seeds. */
async function startOriginalHost(net: LabNet, env: string, torrent: string) {
  const inNs = (cmd: string, args: string[]) =>
    execa('ip', ['netns', 'exec', net.ns, cmd, ...args], { reject: false, all: true, buffer: { all: true } });
  const rpcPort = 6800;
  // the seeder's RPC answers inside the namespace only: ask it through a forwarded port
  const rpc = await forwardFromNamespace({ ns: net.ns, target: `127.0.0.1:${rpcPort}` });
  const tracker = inNs(
    'opentracker',
    opentrackerArgs({ ip: net.hostIp, port: 6969, dir: path.join(env, 'out', 'opentracker'), asRoot: true }),
  );
  const seeder = inNs('aria2c', originalSeederArgs({ dir: path.join(env, 'oss'), torrent, rpcPort }));
  let seederExited = false;
  void seeder.finally(() => {
    seederExited = true;
  });
  const stop = async () => {
    for (const p of [seeder, tracker]) p.kill('SIGTERM');
    await Promise.all([seeder, tracker]);
    await rpc.close();
  };
  const seeding = async () => {
    try {
      const r = await fetch(`${rpc.url}/jsonrpc`, {
        method: 'POST',
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'aria2.tellActive', params: [['seeder']] }),
        signal: AbortSignal.timeout(2000),
      });
      return ((await r.json()) as { result: { seeder: string }[] }).result.some((t) => t.seeder === 'true');
    } catch {
      return false;
    }
  };
  for (const until = Date.now() + 120_000; ; ) {
    if (await seeding()) break;
    if (seederExited) {
      await stop();
      throw new Error(`the original's seeder exited:\n${(await seeder).all}`);
    }
    if (Date.now() > until) {
      await stop();
      throw new Error("the original's seeder did not start seeding");
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { stop };
}

/** The links' ceiling: every client at once pushes plain TCP round the ring (tcp-mesh.ts), no host involved. */
async function runMesh(ns: string[], prefix: string) {
  const results = await Promise.all(
    ns.map((cns, i) =>
      inClient(
        cns,
        tcpMesh,
        [
          '--index',
          String(i + 1),
          '--clients',
          String(ns.length),
          '--prefix',
          prefix,
          '--size-mib',
          String(sizeMib),
        ],
        60_000,
      ),
    ),
  );
  return results.map((r, i) => resultOf(r, `client ${i + 1}'s TCP mesh`));
}

/** The machine's busy and total CPU time so far, in jiffies (first line of /proc/stat). */
function cpuJiffies(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3]! - f[4]!, total };
}

type ClientResult = { seconds: number; uploaded: number; cpu: number; rssMb: number };

/** A bench script in a client's namespace, ended by Ctrl+C with the rest (see `running`). */
function inClient(cns: string, script: string, args: string[], timeout: number) {
  const p = execa('ip', ['netns', 'exec', cns, node, script, ...args], {
    reject: false,
    all: true,
    buffer: { stdout: true, all: true },
    timeout,
  });
  running.add(p);
  void p.finally(() => running.delete(p));
  return p;
}

/** The JSON totals a client script prints last, or an error with all it said. */
function resultOf(r: { exitCode?: number; stdout: string; all: string }, what: string): ClientResult {
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.exitCode !== 0 || !last.startsWith('{"seconds"'))
    throw new Error(`${what} failed (${r.exitCode}):\n${r.all}`);
  return JSON.parse(last) as ClientResult;
}

/** The share of the machine's CPU time that was busy since `from`. */
function busySince(from: { busy: number; total: number }): number {
  const now = cpuJiffies();
  return (now.busy - from.busy) / (now.total - from.total);
}

/** Every client's process at once; each prints {done} when complete and its totals when told to stop. */
async function runClients(ns: string[], args: (i: number) => string[], stopFile: string) {
  const done: number[] = [];
  const procs = ns.map(async (cns, i) => {
    // a room powers on over a while: client i starts i/(N-1) of the way through --stagger
    if (staggerS > 0 && ns.length > 1)
      await new Promise((r) => setTimeout(r, (staggerS * 1000 * i) / (ns.length - 1)));
    const p = inClient(cns, fetchOnce, [...args(i), '--stop-file', stopFile], 1_800_000);
    createInterface({ input: p.stdout! }).on('line', (l) => {
      if (l.startsWith('{"done"')) done.push(i);
      if (done.length === ns.length) void writeFile(stopFile, '');
    });
    return p;
  });
  const results = await Promise.all(procs);
  return results.map((r, i) => resultOf(r, `client ${i + 1}`));
}

// Ctrl+C or SIGTERM: end the clients we started (by their handles); the failed run then unwinds
// through the finally blocks below, which stop the host, unmount the tmpfs and delete the namespaces
const running = new Set<ReturnType<typeof execa>>();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  // `on`, not `once`: with no listener of ours left, execa's exit hook re-raises the signal and the
  // process dies before its finally blocks clean up
  process.on(sig, () => {
    console.error(`bench: ${sig}, stopping`);
    for (const p of running) p.kill('SIGTERM');
  });
}

const runs: Run[] = [];
for (const n of counts) {
  const net = new LabNet(`btbench-${process.pid}`, '10.88.0');
  const work = await mkdtemp(path.join(tmpdir(), 'bt-bench-'));
  let host: { stop(): Promise<void> } | undefined;
  let unmount: (() => void) | undefined;
  try {
    unmount = mountTmpfs(work, (n + 2) * sizeMib + 256);
    const { env, torrent } = await makeBenchEnv(work, {
      sizeMib,
      hostIp: net.hostIp,
      ...(pieceKib ? { pieceKib } : {}),
    });
    const clientNs = addShapedClients(net, n, rateMbit);

    if (!o['no-ceiling']) {
      console.log(`== N=${n}: the links' ceiling (plain TCP, each client to ${MESH_FAN} others)`);
      const cpu0 = cpuJiffies();
      const results = await runMesh(clientNs, net.prefix);
      runs.push({
        clients: n,
        sizeMib,
        rateMbit,
        mode: 'tcp-mesh',
        results,
        hostSent: 0,
        machineBusy: busySince(cpu0),
      });
    }

    // the original's recipe first, with its own host (opentracker and an aria2c seeder with its flags);
    // then BootTorrent's host for this project's engines and the HTTP star
    const modes = [...engines, ...(o['no-http'] ? [] : ['http'])]
      .sort((x, y) => Number(y === 'original') - Number(x === 'original'))
      .flatMap((mode) =>
        mode === 'aria2' ? aria2cs.map((aria2c) => ({ mode, aria2c })) : [{ mode, aria2c: '' }],
      );
    let hostIs: 'original' | 'boottorrent' | undefined;
    for (const [row, { mode, aria2c }] of modes.entries()) {
      const want = mode === 'original' ? 'original' : 'boottorrent';
      if (hostIs !== want) {
        await host?.stop();
        host =
          want === 'original'
            ? await startOriginalHost(net, env, torrent)
            : await startBoottorrentHost(net, env);
        hostIs = want;
      }
      const dirs = clientNs.map((_, i) => path.join(work, `${row}-${mode}-c${i + 1}`));
      for (const d of dirs) await mkdir(d);
      const before = hostSent(net);
      const cpu0 = cpuJiffies();
      console.log(`== N=${n}, ${sizeMib} MiB at ${rateMbit} Mbit/s: ${mode}${aria2c ? ` (${aria2c})` : ''}`);
      const results = await runClients(
        clientNs,
        (i) => [
          '--engine',
          mode,
          '--dir',
          dirs[i]!,
          ...(mode === 'http'
            ? ['--url', `http://${net.hostIp}:8000/oss/bench/image`]
            : ['--torrent', torrent]),
          ...(mode === 'aria2' ? aria2Args.map((x) => `--aria2-arg=${x}`) : []),
          ...(aria2c ? [`--aria2c=${path.resolve(aria2c)}`] : []),
        ],
        path.join(work, `stop-${row}-${mode}`),
      );
      const machineBusy = busySince(cpu0);
      runs.push({
        clients: n,
        sizeMib,
        rateMbit,
        mode,
        results,
        hostSent: hostSent(net) - before,
        machineBusy,
        ...(pieceKib ? { pieceKib } : {}),
        ...(staggerS ? { staggerS } : {}),
        ...(mode === 'aria2' && aria2Args.length ? { aria2Args } : {}),
        ...(aria2c ? { aria2c: path.relative(PROJECT_ROOT, path.resolve(aria2c)) } : {}),
      });
      for (const d of dirs) await rm(d, { recursive: true, force: true });
    }
  } finally {
    await host?.stop();
    unmount?.();
    const left = await net.destroy();
    if (left.length) console.error(`bench: processes left in the namespaces: ${left.join(' ')}`);
  }
}

const report = formatRuns(runs);
console.log(`\n${report}`);
const outDir = dist('bench');
await mkdir(outDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const machine = `${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores, ${execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim()}`;
await writeFile(
  path.join(outDir, `swarm-${stamp}.json`),
  JSON.stringify(
    { machine, seeder: o.seeder, tMinFormula: 'max(F/u_s, F/d_min, N*F/(u_s+sum u_i))', runs },
    null,
    2,
  ),
);
await writeFile(
  path.join(outDir, 'latest.md'),
  `Measured ${new Date().toISOString()} on ${machine}; host seeder: ${o.seeder}.\n\n${report}\n`,
);
console.log(`\nWritten: dist/bench/swarm-${stamp}.json and dist/bench/latest.md`);
