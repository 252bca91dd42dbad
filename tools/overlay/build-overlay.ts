#!/usr/bin/env node
// `npm run overlay`: diff.gz = rootfs-overlay/ + the single-file bttui at /sbin/bttui + its libraries.
import { execFileSync } from 'node:child_process';
import { chmod, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cpioNewc, DIR } from '../../client/src/shared.ts';
import { COMPRESSIONS, type Compression, compressInitrd } from '../lib/compress-initrd.ts';
import { copyWithLibs } from '../lib/copy-into.ts';
import { dist, PROJECT_ROOT } from '../lib/paths.ts';
import { printPhase1Sizes } from '../lib/phase1-sizes.ts';
import { runScript } from '../lib/run-script.ts';
import { stageTree } from '../lib/stage-tree.ts';
import { buildBttui } from './build-bttui.ts';
import { formatZeroRuns, ZERO_RUNS_LIST, zeroRuns } from './zero-runs.ts';

/** Zero runs shorter than this are not worth a line in /etc/bttui-zeros. */
const HOLE_MIN_BYTES = 1 << 20;

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

export interface OverlayOptions {
  /** diff.gz and the staged root go here; the executable's build beside it, in `bttui/` */
  out: string;
  compress: Compression;
  /** `en`: Node's ICU data trimmed to English (bttui uses no other locale); `full`: as Node ships it */
  icu: 'en' | 'full';
}

export const OVERLAY_DEFAULTS: OverlayOptions = {
  out: dist('overlay'),
  compress: 'zstd',
  icu: 'en',
};

export async function buildOverlay(o: OverlayOptions = OVERLAY_DEFAULTS): Promise<string> {
  const { exe, icu } = await buildBttui(
    o.icu,
    o.out === OVERLAY_DEFAULTS.out ? undefined : path.join(o.out, 'bttui'),
  );
  const stage = path.join(o.out, 'root');
  await rm(stage, { recursive: true, force: true });
  await mkdir(stage, { recursive: true });
  await cp(path.join(PROJECT_ROOT, 'rootfs-overlay'), stage, { recursive: true });
  // the executable's needs (glibc, libstdc++, libgcc_s, libm…) travel with it, so diff.gz runs on any
  // x86_64 base with a busybox init; ldd names any library this machine lacks and the build stops.
  // The project's own base links its programs statically, so these are the only copies in Phase 1.
  const libs = await copyWithLibs(stage, exe, '/sbin/bttui');
  await chmod(path.join(stage, 'sbin', 'bttui'), 0o755);
  await writeFile(path.join(stage, 'etc', 'bttui-libs'), `${libs.slice(1).join('\n')}\n`);
  // the zeros of bttui (its ICU region past the English data) would sit in every client's RAM, the
  // RAM the OS lands in: bttui-session punches them out of the tmpfs copy before bttui first starts
  const exeBytes = await readFile(exe);
  const zeros = zeroRuns(exeBytes, HOLE_MIN_BYTES);
  await writeFile(path.join(stage, ZERO_RUNS_LIST), formatZeroRuns(zeros));
  const punch = path.join(o.out, 'punch-zeros');
  execFileSync('gcc', [
    '-Os',
    '-s',
    '-Wall',
    '-Werror',
    '-o',
    punch,
    path.join(import.meta.dirname, 'punch-zeros.c'),
  ]);
  await copyWithLibs(stage, punch, '/sbin/punch-zeros');
  const entries = await stageTree(stage);
  // /tmp for the logs and aria2's session, whatever the base has
  entries.push({ path: 'tmp', mode: DIR | 0o1777 });
  const out = path.join(o.out, 'diff.gz');
  await writeFile(out, await compressInitrd(cpioNewc(entries), o.compress, 'diff'));
  const holeBytes = zeros.reduce((n, z) => n + z.length, 0);
  console.log(
    `bttui (single executable, Node ${process.versions.node}): ${mib(exeBytes.length)}, ` +
      `${mib(exeBytes.length - holeBytes)} in a client's RAM (${mib(holeBytes)} of zeros punched out at boot)`,
  );
  if (icu)
    console.log(
      `ICU data (${icu.symbol}) trimmed to English: ${mib(icu.before)} → ${mib(icu.after)}, zero-filled in place`,
    );
  console.log(
    `libraries carried: ${libs
      .slice(1)
      .map((l) => path.basename(l))
      .join(', ')}`,
  );
  await printPhase1Sizes({ diff: out });
  return out;
}

const USAGE = `usage: npm run overlay -- [--compress zstd|xz|gzip] [--icu en|full]

  --compress  diff.gz's compression (default zstd; gzip for kernels older than 5.9)
  --icu       en: Node's ICU data trimmed to English (default); full: every locale, 6 MiB more per client`;

export function parseOverlayArgs(argv: string[]): OverlayOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      compress: { type: 'string', default: OVERLAY_DEFAULTS.compress },
      icu: { type: 'string', default: OVERLAY_DEFAULTS.icu },
    },
  });
  if (!COMPRESSIONS.includes(values.compress as Compression))
    throw new Error(`--compress ${values.compress}: use one of ${COMPRESSIONS.join(', ')}`);
  if (values.icu !== 'en' && values.icu !== 'full') throw new Error(`--icu ${values.icu}: use en or full`);
  return { ...OVERLAY_DEFAULTS, compress: values.compress as Compression, icu: values.icu };
}

if (import.meta.main) await runScript('npm run overlay', USAGE, parseOverlayArgs, buildOverlay);
