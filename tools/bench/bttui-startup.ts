#!/usr/bin/env node
// `npm run bench:startup`: seconds from "bttui starting" (the overlay's session script) to bttui's first
// line (an autobooting client's "Booting … (default_os)"), Phase 1 booted directly by QEMU (TCG, the
// lab's CPU model, user-mode network with QEMU's own DHCP), for Phase-1 builds given as variants,
// alternating. Without variants it times the current build (dist/phase1/rootfs.gz, dist/overlay/diff.gz).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildEnv } from '../../host/src/shared.ts';
import { makeOriginalEnv, ORIGINAL_BOOTTORRENT_YAML } from '../../test/helpers/make-env.ts';
import { concatInitrds } from '../lab/concat-initrds.ts';
import { QemuVm } from '../lab/qemu-vm.ts';
import { dist } from '../lib/paths.ts';
import { parseOptionsOrExit } from '../lib/run-script.ts';
import { saveBenchResults } from './bench-results.ts';
import { median } from './median.ts';
import { phase1BuildsOrExit } from './phase1-builds.ts';

const USAGE = `usage: npm run bench:startup -- [--variant NAME=ROOTFS.gz,DIFF.gz …] [--boots N]

  --variant  a Phase-1 build to time: its rootfs.gz and diff.gz (repeatable; default: the current build)
  --boots    boots per variant, variants alternating (default 3; the median is reported)
Results: a table here, and Markdown + JSON in dist/bench/.`;

const { values: o } = parseOptionsOrExit('bench:startup', USAGE, {
  options: {
    variant: { type: 'string', multiple: true, default: [] },
    boots: { type: 'string', default: '3' },
    help: { type: 'boolean', default: false },
  },
});
if (o.help) {
  console.log(USAGE);
  process.exit(0);
}
const variants = phase1BuildsOrExit(
  'bench:startup',
  'variant',
  o.variant.length ? o.variant : [`current=${dist('phase1', 'rootfs.gz')},${dist('overlay', 'diff.gz')}`],
  USAGE,
).map((b) => ({ ...b, s: [] as number[] }));
const boots = Number(o.boots);
if (!Number.isInteger(boots) || boots < 1) {
  console.error(`bench:startup: --boots takes a count\n\n${USAGE}`);
  process.exit(2);
}

const STARTING = /BT-OVERLAY: bttui starting/;
const FIRST = /Booting .*\(default_os\)/;
// autoboot at once; the host at 10.77.0.1 is never reached, which the first line does not need
const env = await makeOriginalEnv({
  boottorrentYaml: ORIGINAL_BOOTTORRENT_YAML.replace('timeout: 30', 'timeout: 0'),
});
try {
  const built = await buildEnv(env);
  if (!built.ok) throw new Error(`the bench env did not build: ${JSON.stringify(built.problems)}`);
  for (let round = 1; round <= boots; round++)
    for (const v of variants) {
      const work = await mkdtemp(path.join(tmpdir(), 'bt-bench-startup-'));
      const initrd = path.join(work, 'initrd.img');
      await concatInitrds([v.rootfs, v.diff, path.join(env, 'out', 'dnsmasq', 'ph1', 'torrents.gz')], initrd);
      const vm = new QemuVm({
        name: v.name,
        args: [
          ...['-kernel', dist('phase1', 'vmlinuz'), '-initrd', initrd],
          ...['-append', 'console=ttyS0,115200 quiet panic=-1'],
          ...['-netdev', 'user,id=n0,restrict=on', '-device', 'virtio-net-pci,netdev=n0'],
        ],
        logFile: path.join(work, 'serial.log'),
      });
      try {
        await vm.waitFor(STARTING, 120_000);
        await vm.waitFor(FIRST, 60_000);
        const s = vm.timeOf(FIRST)! - vm.timeOf(STARTING)!;
        v.s.push(s);
        console.log(`== boot ${round} of ${boots}: ${v.name}: ${s.toFixed(2)} s`);
      } finally {
        await vm.stop();
        await rm(work, { recursive: true, force: true });
      }
    }
} finally {
  await rm(env, { recursive: true, force: true });
}

const base = median(variants[0]!.s);
const table = [
  '| variant | bttui starting → first line | vs the first |',
  '|---|---|---|',
  ...variants.map(
    (v) => `| ${v.name} | ${median(v.s).toFixed(2)} s | ${(median(v.s) / base).toFixed(2)} × |`,
  ),
];
const notes = [
  '',
  `* Phase 1 booted directly (QEMU TCG, its default CPU, no RDRAND), median of ${boots} boot(s), variants alternating`,
  ...variants.map((v) => `* ${v.name}: ${v.rootfs} + ${v.diff}`),
];
const text = [...table, ...notes].join('\n');
await saveBenchResults('startup', text, variants);
