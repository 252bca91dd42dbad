#!/usr/bin/env node
// `npm run bench:death`: the host's seeder dies after about one copy of the OS; does the room still boot?
// N clients in namespaces on one bridge (every port shaped, as bench:swarm), the host's tracker and
// seeder started as `boottorrent start` starts them; the seeder is SIGKILLed once it has
// sent COPIES × the image (by its own count), and is never started again (the tracker stays). Printed:
// what the room held at that moment (the union of the clients' pieces), and whether every client
// finished from the others.
import { parseOptionsOrExit } from '../lib/run-script.ts';
import { type DeathRun, formatDeathRuns } from './seeder-death-report.ts';
import { DEATH_SEEDERS, type DeathSeeder, running, runSeederDeath } from './seeder-death-run.ts';

const SEEDERS = DEATH_SEEDERS;

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
const seeders = o.seeders.split(',').filter(Boolean) as DeathSeeder[];
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

for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    console.error(`bench: ${sig}, stopping`);
    for (const p of running) p.kill('SIGTERM');
  });

const runs: DeathRun[] = [];
for (const seeder of seeders)
  for (const engine of engines) {
    console.log(
      `== ${seeder} seeder, ${n} ${engine} clients, ${sizeMib} MiB at ${rateMbit} Mbit/s, dies at ${copies} copies`,
    );
    const r = await runSeederDeath({
      seeder,
      engine,
      clients: n,
      sizeMib,
      rateMbit,
      copies,
      waitS,
    });
    runs.push(r);
    console.log(formatDeathRuns([r]).split('\n').at(-1));
  }
console.log(`\n${formatDeathRuns(runs)}`);
