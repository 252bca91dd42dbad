#!/usr/bin/env node
// Over 250 lines: the Phase-1 bench's variants, their builds and the boots it times, one command from start to table.
// `npm run bench:phase1`: what Phase 1 costs per client, before and after the diet, in one run.
// Each variant is built with the same scripts and options a user has (`npm run phase1 -- --compress …`),
// then measured: bytes per client, RAM it occupies once unpacked, unpack time on this machine's CPU,
// the host's uplink time for a room of clients, and power-on → bttui's menu of a QEMU client over PXE.
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { buildEnv, initrdFormat, PHASE1_BUDGET_BYTES } from '../../host/src/shared.ts';
import { makeDemoEnv } from '../lab/make-demo-env.ts';
import { LabNet } from '../lab/netns.ts';
import { runLab } from '../lab/run-lab.ts';
import type { Compression } from '../lib/compress-initrd.ts';
import { dist } from '../lib/paths.ts';
import { parseOptionsOrExit } from '../lib/run-script.ts';
import { buildOverlay } from '../overlay/build-overlay.ts';
import { parseZeroRuns, ZERO_RUNS_LIST } from '../overlay/zero-runs.ts';
import { buildPhase1 } from '../phase1/build-phase1.ts';
import { saveBenchResults } from './bench-results.ts';
import { median } from './median.ts';

interface Variant {
  name: string;
  what: string;
  tools: 'static' | 'debian';
  icu: 'en' | 'full';
  compress: Compression;
}

const VARIANTS: Variant[] = [
  {
    name: 'before',
    what: "Debian's aria2c + kexec with their libraries, full ICU, gzip",
    tools: 'debian',
    icu: 'full',
    compress: 'gzip',
  },
  {
    name: 'gzip',
    what: 'static aria2c + kexec, English ICU, gzip',
    tools: 'static',
    icu: 'en',
    compress: 'gzip',
  },
  {
    name: 'zstd',
    what: 'static aria2c + kexec, English ICU, zstd -19',
    tools: 'static',
    icu: 'en',
    compress: 'zstd',
  },
  {
    name: 'xz',
    what: 'static aria2c + kexec, English ICU, xz -9 + x86 BCJ',
    tools: 'static',
    icu: 'en',
    compress: 'xz',
  },
];

const USAGE = `usage: npm run bench:phase1 -- [--variants ${VARIANTS.map((v) => v.name).join(',')}] [--boots N] [--room N] [--rate MBIT] [--no-vm]

  --variants  which Phase-1 builds to compare (default: all; "before" is the recipe this project used
              until the diet: Debian's dynamic aria2c and kexec, Node's full ICU data, gzip)
  --boots     QEMU boots per variant, alternating variants (default 2; the median is reported)
  --room      clients the host serves Phase 1 to, for the uplink column (default 16)
  --rate      the host's uplink in Mbit/s, for the uplink column (default 100)
  --no-vm     bytes and unpack times only
Results: a table here, and Markdown + JSON in dist/bench/.`;

const { values: o } = parseOptionsOrExit('bench:phase1', USAGE, {
  options: {
    variants: { type: 'string', default: VARIANTS.map((v) => v.name).join(',') },
    boots: { type: 'string', default: '2' },
    room: { type: 'string', default: '16' },
    rate: { type: 'string', default: '100' },
    'no-vm': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (o.help) {
  console.log(USAGE);
  process.exit(0);
}
const chosen = o.variants.split(',').filter(Boolean);
const bad = [
  ...chosen.filter((n) => !VARIANTS.some((v) => v.name === n)).map((n) => `--variants: no variant "${n}"`),
  ...(['boots', 'room', 'rate'] as const)
    .filter((k) => !(Number(o[k]) > 0 && Number.isInteger(Number(o[k]))))
    .map((k) => `--${k} must be a positive whole number, not "${o[k]}"`),
];
if (bad.length) {
  console.error(`${bad.join('\n')}\n\n${USAGE}`);
  process.exit(2);
}
const variants = VARIANTS.filter((v) => chosen.includes(v.name));
const room = Number(o.room);
const rateMbit = Number(o.rate);

const BENCH = dist('bench', 'phase1');
const mib = (n: number) => (n / 1048576).toFixed(1);

/** Decompresses as the kernel would have to, timing it; returns the unpacked size and seconds. */
function unpack(file: string, data: Buffer): { bytes: number; s: number } {
  const format = initrdFormat(data);
  const t0 = process.hrtime.bigint();
  let bytes: number;
  if (format === 'gzip') bytes = zlib.gunzipSync(data).length;
  else if (format === 'zstd') bytes = zlib.zstdDecompressSync(data).length;
  else if (format === 'xz')
    bytes = execFileSync('xz', ['-dc', file], { maxBuffer: 1 << 30, encoding: 'buffer' }).length;
  else throw new Error(`${file}: ${format} is not a compression this bench knows`);
  return { bytes, s: Number(process.hrtime.bigint() - t0) / 1e9 };
}

interface Row {
  variant: Variant;
  parts: Record<string, number>;
  total: number;
  ramBytes: number;
  unpackS: number;
  menuS: number[];
  initS: number[];
}

const rows: Row[] = [];
for (const v of variants) {
  const dir = path.join(BENCH, v.name);
  console.log(`\n== building ${v.name}: ${v.what}`);
  await buildPhase1({
    out: path.join(dir, 'phase1'),
    compress: v.compress,
    tools: v.tools,
    qemuProfile: false,
  });
  await buildOverlay({ out: path.join(dir, 'overlay'), compress: v.compress, icu: v.icu });
  const files = {
    vmlinuz: path.join(dir, 'phase1', 'vmlinuz'),
    'rootfs.gz': path.join(dir, 'phase1', 'rootfs.gz'),
    'diff.gz': path.join(dir, 'overlay', 'diff.gz'),
  };
  const parts: Record<string, number> = {};
  for (const [n, f] of Object.entries(files)) parts[n] = (await stat(f)).size;
  let ramBytes = 0;
  let unpackS = 0;
  for (const n of ['rootfs.gz', 'diff.gz'] as const) {
    const data = await readFile(files[n]);
    const runs = [0, 1, 2].map(() => unpack(files[n], data));
    ramBytes += runs[0]!.bytes;
    unpackS += median(runs.map((r) => r.s));
  }
  // what bttui-session punches out of the tmpfs root before bttui starts is not held (build-overlay.ts)
  ramBytes -= parseZeroRuns(
    await readFile(path.join(dir, 'overlay', 'root', ZERO_RUNS_LIST), 'utf8').catch(() => ''),
  ).reduce((n, z) => n + z.length, 0);
  rows.push({ variant: v, parts, total: 0, ramBytes, unpackS, menuS: [], initS: [] });
}

// torrents.gz is the env's; the same demo env for every variant
const work = await mkdtemp(path.join(tmpdir(), 'bt-bench-phase1-'));
try {
  const netFor = (i: number) => new LabNet(`bt-p1-${process.pid}-${i}`, '10.68.0');
  for (const r of rows) {
    const env = path.join(work, r.variant.name);
    await makeDemoEnv({
      dir: env,
      net: { hostIp: '10.68.0.1', bridge: 'btbr0', prefix: '10.68.0' },
      timeout: -1,
      seedTime: 0,
      padMib: 0,
    });
    await mkdir(path.join(env, 'ph1'), { recursive: true });
    const dir = path.join(BENCH, r.variant.name);
    await copyFile(path.join(dir, 'phase1', 'vmlinuz'), path.join(env, 'ph1', 'vmlinuz'));
    await copyFile(path.join(dir, 'phase1', 'rootfs.gz'), path.join(env, 'ph1', 'rootfs.gz'));
    await copyFile(path.join(dir, 'overlay', 'diff.gz'), path.join(env, 'ph1', 'diff.gz'));
    const b = await buildEnv(env);
    if (!b.ok) throw new Error(`the bench env did not build: ${JSON.stringify(b.problems)}`);
    r.parts['torrents.gz'] = b.value.phase1Bytes['torrents.gz']!;
    r.total = Object.values(r.parts).reduce((a, n) => a + n, 0);
  }

  if (!o['no-vm']) {
    let i = 0;
    for (let round = 1; round <= Number(o.boots); round++)
      for (const r of rows) {
        const net = netFor(i++);
        try {
          console.log(`== boot ${round} of ${o.boots}: ${r.variant.name}`);
          const report = await runLab({
            env: path.join(work, r.variant.name),
            net,
            clients: 1,
            budgetS: 180,
            // bttui's first event: its menu, or its autoboot's start
            until: { event: (row) => row.stage !== 'pxe' },
            startArgs: ['--no-build'],
            logDir: path.join(BENCH, 'logs', `${r.variant.name}-${round}`),
          });
          const c = report.clients[0]!;
          if (c.error || c.menu === undefined)
            throw new Error(`${r.variant.name}: no menu: ${c.error}\n${c.lines.slice(-15).join('\n')}`);
          r.menuS.push(c.menu);
          if (c.phase1 !== undefined) r.initS.push(c.phase1);
        } finally {
          const left = await net.destroy();
          if (left.length) console.error(`warning: processes left in the lab: ${left.join(', ')}`);
        }
      }
  }
} finally {
  await rm(work, { recursive: true, force: true });
}

const base = rows.find((r) => r.variant.name === 'before') ?? rows[0]!;
const uplinkS = (r: Row) => (room * r.total * 8) / (rateMbit * 1e6);
const head = [
  'variant',
  'vmlinuz MiB',
  'rootfs.gz MiB',
  'diff.gz MiB',
  'per client MiB',
  'budget',
  `× ${base.variant.name}`,
  'RAM held MiB',
  'unpack s (this CPU)',
  `${room} clients at ${rateMbit} Mbit/s s`,
  'power-on → init s',
  'power-on → menu s',
];
const table = [
  `| ${head.join(' | ')} |`,
  `|${head.map(() => '---').join('|')}|`,
  ...rows.map((r) => {
    const cells = [
      `${r.variant.name}`,
      mib(r.parts.vmlinuz!),
      mib(r.parts['rootfs.gz']!),
      mib(r.parts['diff.gz']!),
      mib(r.total),
      r.total <= PHASE1_BUDGET_BYTES ? 'within' : 'over',
      (r.total / base.total).toFixed(2),
      mib(r.ramBytes),
      r.unpackS.toFixed(2),
      uplinkS(r).toFixed(1),
      r.initS.length ? median(r.initS).toFixed(1) : '-',
      r.menuS.length ? median(r.menuS).toFixed(1) : '-',
    ];
    return `| ${cells.join(' | ')} |`;
  }),
];
const notes = [
  '',
  ...rows.map((r) => `* ${r.variant.name}: ${r.variant.what}`),
  `* per client: vmlinuz + rootfs.gz + diff.gz + the demo env's torrents.gz; budget ${mib(PHASE1_BUDGET_BYTES)} MiB`,
  '* unpack: both initrds decompressed in user space on this machine (Node zlib for gzip and zstd, xz(1) for xz), median of 3',
  `* uplink: arithmetic, ${room} × per-client bytes at ${rateMbit} Mbit/s of payload (TCP/IP headers add ~4.5 %)`,
  `* power-on → init / menu: one QEMU (TCG) client PXE-booting over HTTP from \`boottorrent start\` in a namespace, ` +
    `median of ${o['no-vm'] ? 0 : o.boots} boot(s) per variant, variants alternating; menu = bttui's first line`,
];
const text = [...table, ...notes].join('\n');
await saveBenchResults('phase1', text, rows);
