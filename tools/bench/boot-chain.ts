#!/usr/bin/env node
// `npm run bench:boot`: the whole chain as one thing, power-on to the OS, stage by stage: QEMU clients
// PXE-boot from `boottorrent start` in a lab namespace, for an OS that kexecs and one run in qemu, one
// and two clients, variants alternating. Seconds are since each client's power-on; with two clients a
// row shows the slower one at each stage (a room waits for its slowest machine).
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeDemoEnv } from '../lab/make-demo-env.ts';
import { LabNet } from '../lab/netns.ts';
import { type ClientReport, runLab } from '../lab/run-lab.ts';
import { dist } from '../lib/paths.ts';
import { parseOptionsOrExit } from '../lib/run-script.ts';
import { saveBenchResults } from './bench-results.ts';
import { median } from './median.ts';
import { type Phase1Build, phase1BuildsOrExit } from './phase1-builds.ts';

const USAGE = `usage: npm run bench:boot -- [--build NAME=ROOTFS.gz,DIFF.gz …] [--boots N] [--pad MIB] [--only kexec|qemu] [--clients 1|2]

  --build  a Phase-1 build to boot, its rootfs.gz and diff.gz, given to the env as its own (ph1/);
           repeatable, every build through every case (default: the current build, dist/)
  --boots  boots per variant, variants alternating (default 1; the median is reported)
  --pad    MiB of padding in the kexec OS's initrd (default 24)
  --only   only the kexec OS or only the OS run in qemu
  --clients  only the cases with this many clients (1 or 2)
Results: a table here, and Markdown + JSON in dist/bench/.`;

const { values: o } = parseOptionsOrExit('bench:boot', USAGE, {
  options: {
    build: { type: 'string', multiple: true, default: [] },
    boots: { type: 'string', default: '1' },
    pad: { type: 'string', default: '24' },
    only: { type: 'string' },
    clients: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (o.help) {
  console.log(USAGE);
  process.exit(0);
}
const boots = Number(o.boots);
const pad = Number(o.pad);
if (
  !Number.isInteger(boots) ||
  boots < 1 ||
  !Number.isInteger(pad) ||
  pad < 0 ||
  !['kexec', 'qemu', undefined].includes(o.only) ||
  !['1', '2', undefined].includes(o.clients)
) {
  console.error(
    `bench:boot: --boots and --pad take whole numbers, --only kexec or qemu, --clients 1 or 2\n\n${USAGE}`,
  );
  process.exit(2);
}
const builds = phase1BuildsOrExit('bench:boot', 'build', o.build, USAGE);
if (process.getuid?.() !== 0) {
  console.error('bench:boot: the lab creates a network namespace and tap devices, which needs root');
  process.exit(1);
}

/** The stages a row shows, in chain order, and where each comes from. */
const STAGES: { name: string; of: (c: ClientReport) => number | undefined }[] = [
  { name: 'Phase 1 init', of: (c) => c.phase1 },
  { name: 'menu', of: (c) => c.menu },
  { name: 'download start', of: (c) => c.stages.download },
  { name: 'downloaded', of: (c) => c.stages.verify },
  { name: 'verified', of: (c) => c.stages.load ?? c.stages.vm },
  { name: 'target', of: (c) => c.target },
];

interface Variant {
  name: string;
  /** the Phase-1 build's own files, when not the current one */
  build?: Phase1Build;
  os: 'demo-linux' | 'bootsector';
  clients: number;
  /** per stage, one figure per boot (the slowest client's) */
  s: number[][];
}
const variants: Variant[] = (
  [
    ['kexec, 1 client', 'demo-linux', 1],
    ['kexec, 2 clients', 'demo-linux', 2],
    ['qemu, 1 client', 'bootsector', 1],
    ['qemu, 2 clients', 'bootsector', 2],
  ] as const
)
  .filter(([, os]) => !o.only || (o.only === 'kexec') === (os === 'demo-linux'))
  .filter(([, , clients]) => !o.clients || Number(o.clients) === clients)
  .flatMap(([name, os, clients]) =>
    (builds.length ? builds : [undefined]).map((build) => ({
      name: build ? `${build.name}: ${name}` : name,
      ...(build ? { build } : {}),
      os,
      clients,
      s: STAGES.map(() => []),
    })),
  );

const work = await mkdtemp(path.join(tmpdir(), 'bt-bench-boot-'));
const prefix = '10.71.0';
let n = 0;
try {
  for (let round = 1; round <= boots; round++)
    for (const v of variants) {
      const net = new LabNet(`bt-boot-${process.pid}-${n++}`, prefix);
      const env = path.join(work, `${n}`);
      try {
        console.log(`== boot ${round} of ${boots}: ${v.name}`);
        await makeDemoEnv({ dir: env, net, timeout: 0, seedTime: 0, padMib: pad, defaultOs: v.os });
        if (v.build) {
          // an env's own ph1/ files come before the project's (host/src/publish/phase1-files.ts)
          await mkdir(path.join(env, 'ph1'), { recursive: true });
          await copyFile(v.build.rootfs, path.join(env, 'ph1', 'rootfs.gz'));
          await copyFile(v.build.diff, path.join(env, 'ph1', 'diff.gz'));
        }
        const qemu = v.os === 'bootsector';
        const report = await runLab({
          env,
          net,
          clients: v.clients,
          budgetS: qemu ? 600 : 300,
          until: /TARGET-OS-UP|QEMU-GUEST-UP/,
          ...(qemu ? { memoryMb: 1536 } : {}),
          logDir: dist('bench', 'boot', 'logs', `${v.name.replaceAll(/[ ,:]+/g, '-')}-${round}`),
        });
        for (const c of report.clients)
          if (c.error || c.target === undefined)
            throw new Error(
              `${v.name}: ${c.name} did not boot: ${c.error}\n${c.lines.slice(-15).join('\n')}`,
            );
        STAGES.forEach((st, k) => {
          const at = report.clients.map(st.of).filter((x): x is number => x !== undefined);
          if (at.length === report.clients.length) v.s[k]!.push(Math.max(...at));
        });
      } finally {
        const left = await net.destroy();
        if (left.length) console.error(`warning: processes left in the lab: ${left.join(', ')}`);
        await rm(env, { recursive: true, force: true });
      }
    }
} finally {
  await rm(work, { recursive: true, force: true });
}

const cell = (xs: number[]) => (xs.length ? `${median(xs).toFixed(1)} s` : '-');
const table = [
  `| variant | ${STAGES.map((s) => s.name).join(' | ')} |`,
  `|---|${STAGES.map(() => '---').join('|')}|`,
  ...variants.map((v) => `| ${v.name} | ${v.s.map(cell).join(' | ')} |`),
];
const notes = [
  '',
  `* seconds from power-on (QEMU TCG, SeaBIOS + iPXE, 2 cores), median of ${boots} boot(s), variants alternating; with 2 clients, the slower at each stage`,
  ...builds.map((b) => `* ${b.name}: ${b.rootfs} + ${b.diff}`),
  `* kexec: the demo OS (Debian's kernel, an initrd with ${pad} MiB of padding); qemu: a boot-sector guest run in qemu, which brings the qemu profile (Xorg + qemu) over BitTorrent`,
  "* menu: bttui's first event; verified: bttui loading the kernel (kexec) or starting Xorg and qemu (qemu); target: the OS's first line",
];
const text = [...table, ...notes].join('\n');
await saveBenchResults(
  'boot',
  text,
  variants.map((v) => ({
    name: v.name,
    ...(v.build ? { build: v.build } : {}),
    os: v.os,
    clients: v.clients,
    stages: Object.fromEntries(STAGES.map((s, k) => [s.name, v.s[k]])),
  })),
);
