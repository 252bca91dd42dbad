#!/usr/bin/env node
// One benchmark client: fetch one OS with a real engine (or plain HTTP), print one JSON line, exit.
// Runs inside the client's own network namespace (ip netns exec), started by swarm.ts.
import { createWriteStream } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { aria2Engine } from '../../client/src/engines/aria2-engine.ts';
import type { DownloadEngine } from '../../client/src/engines/engine.ts';
import { startFractionOf } from '../../client/src/engines/piece-start.ts';
import { LAB_SWARM } from '../../client/src/engines/swarm-settings.ts';
import { webtorrentEngine } from '../../client/src/engines/webtorrent-engine.ts';
import { originalClientArgs } from './original-recipe.ts';

const { values: a } = parseArgs({
  options: {
    engine: { type: 'string' },
    torrent: { type: 'string' },
    url: { type: 'string' },
    dir: { type: 'string' },
    'stop-file': { type: 'string' },
    // the seeder-death bench: the pieces this client holds, written here every quarter second
    'state-file': { type: 'string' },
    // the bench's --aria2-args, for trying aria2's own knobs on this project's client
    'aria2-arg': { type: 'string', multiple: true, default: [] },
    // the bench's --aria2c: another aria2c for this project's client (Phase 1's own static build)
    aria2c: { type: 'string' },
  },
});
const t0 = process.hrtime.bigint();
const secs = () => Number(process.hrtime.bigint() - t0) / 1e9;

/** user+sys seconds and peak RSS of a process, from /proc (for aria2c, the engine's own process). */
async function procFacts(pid: number): Promise<{ cpu: number; rssMb: number }> {
  const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return { cpu: (Number(stat[11]) + Number(stat[12])) / 100, rssMb: hwm / 1024 };
}

/** Samples a running process's CPU and peak RSS until it exits (its /proc entry goes with it). */
function sampleUntilExit(pid: number, exited: Promise<unknown>) {
  let last = { cpu: 0, rssMb: 0 };
  const timer = setInterval(() => {
    procFacts(pid).then(
      (f) => {
        last = f;
      },
      () => {},
    );
  }, 200);
  return exited.then(() => {
    clearInterval(timer);
    return last;
  });
}

let result: Record<string, number | string | number[]>;
if (a.engine === 'original') {
  // the original's client: aria2c on its own, leaving the swarm when done (--seed-time=0)
  const child = execa('aria2c', originalClientArgs({ dir: a.dir!, torrent: a.torrent! }), {
    reject: false,
    all: true,
    buffer: { all: true },
  });
  const facts = sampleUntilExit(child.pid!, child);
  const r = await child;
  if (r.exitCode !== 0) throw new Error(`aria2c exited with ${r.exitCode}:\n${r.all}`);
  const seconds = secs();
  console.log(JSON.stringify({ done: seconds }));
  // what it uploaded is not known without RPC; the table derives client-to-client bytes from the host's
  result = { seconds, uploaded: 0, ...(await facts) };
} else if (a.engine === 'http') {
  const res = await fetch(a.url!);
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status} for ${a.url}`);
  const firstPiece = secs();
  await pipeline(res.body, createWriteStream(path.join(a.dir!, 'file')));
  const self = await procFacts(process.pid);
  result = { seconds: secs(), uploaded: 0, cpu: self.cpu, rssMb: self.rssMb, firstPiece };
} else {
  // webtorrent starts at its place in the torrent, as bttui does (from this namespace's MAC);
  // webtorrent-from-0 is every client walking from the first piece, for the comparison
  const mac = (await readFile('/sys/class/net/eth0/address', 'utf8').catch(() => '')).trim();
  const engine: DownloadEngine =
    a.engine === 'webtorrent'
      ? webtorrentEngine({ swarm: LAB_SWARM, startFraction: startFractionOf(mac) })
      : a.engine === 'webtorrent-from-0'
        ? webtorrentEngine({ swarm: LAB_SWARM })
        : aria2Engine({ swarm: LAB_SWARM, extraArgs: a['aria2-arg'], bin: a.aria2c });
  const t = await engine.start({ torrentFile: a.torrent!, dataDir: a.dir! });
  // where the time goes: the engine up with the torrent added, the first peer, the first piece, and
  // the bytes every half second after the start
  const engineUp = secs();
  let firstPeer: number | undefined;
  let firstPiece: number | undefined;
  const timeline: number[] = [];
  const state = a['state-file'];
  const _writer =
    state &&
    setInterval(() => {
      const s = t.stats();
      void writeFile(
        `${state}.tmp`,
        JSON.stringify({ done: s.done, total: s.total, have: s.swarms?.[0]?.have ?? '' }),
      )
        .then(() => rename(`${state}.tmp`, state))
        .catch(() => {});
    }, 250);
  const sampler = setInterval(() => {
    const { done, peers } = t.stats();
    if (peers > 0 && firstPeer === undefined) firstPeer = secs();
    if (done > 0 && firstPiece === undefined) firstPiece = secs();
    if (timeline.length < 3600 && secs() >= timeline.length * 0.5) timeline.push(done);
  }, 100);
  await t.complete;
  clearInterval(sampler);
  const seconds = secs();
  // say "done" at once, then keep serving the others until every client is done (the orchestrator's
  // stop file): a real client keeps seeding too, for seed_time before its kexec
  console.log(JSON.stringify({ done: seconds }));
  for (const until = Date.now() + 600_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
    if (
      await readFile(a['stop-file']!).then(
        () => true,
        () => false,
      )
    )
      break;
  }
  const facts =
    'pid' in t && typeof t.pid === 'number' ? await procFacts(t.pid) : await procFacts(process.pid);
  result = {
    seconds,
    uploaded: t.stats().uploaded,
    cpu: facts.cpu,
    rssMb: facts.rssMb,
    engineUp,
    firstPeer: firstPeer ?? seconds,
    firstPiece: firstPiece ?? seconds,
    timeline,
  };
  await t.stop();
}
console.log(JSON.stringify(result));
process.exit(0);
