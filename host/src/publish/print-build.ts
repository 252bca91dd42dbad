import path from 'node:path';
import { type Checked, formatProblem } from '../../../client/src/shared.ts';
import type { BuildResult } from './build-env.ts';
import { phase1Line } from './phase1-files.ts';

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

/** What `build` (and `start`, which builds first) tells the user; true when the build succeeded. */
export function printBuild(r: Checked<BuildResult>, dir: string, log: Console): boolean {
  for (const w of r.warnings) log.warn(`warning: ${formatProblem(w)}`);
  if (!r.ok) {
    for (const p of r.problems) log.error(`error: ${formatProblem(p)}`);
    log.error(
      `boottorrent build: ${r.problems.length} problem(s); ${path.join(dir, 'out')} was left as it was`,
    );
    return false;
  }
  for (const o of r.value.oss)
    log.log(
      `${o.name}: ${o.files} file(s), ${mib(o.totalLength)}, pieces of ${o.pieceLength >> 10} KiB, infohash ${o.infohash}`,
    );
  for (const m of r.value.missing)
    log.warn(`warning: Phase-1 file ${m.name} not found; make it with \`${m.makeWith}\``);
  for (const w of r.value.phase1Warnings) log.warn(`warning: ${w}`);
  if (r.value.qemuProfileMissing)
    log.warn(
      `warning: ${r.value.qemuProfileMissing.join(', ')} run(s) in qemu, and the qemu profile is not built; ` +
        'make it with `npm run phase1`, then build again',
    );
  if (r.value.qemuProfile)
    log.log(
      `qemu profile: ${mib(r.value.qemuProfile.bytes)} (${mib(r.value.qemuProfile.unpackedBytes)} unpacked), ` +
        `fetched over BitTorrent by clients that boot a qemu OS, infohash ${r.value.qemuProfile.infohash}`,
    );
  log.log(phase1Line(r.value.phase1Bytes));
  log.log(`wrote ${r.value.out}`);
  return true;
}

/** A progress callback for buildEnv: a line every 5 % while hashing images large enough to take a while. */
export function hashProgress(log: Console): (os: string, done: number, total: number) => void {
  let last = -1;
  return (os, done, total) => {
    if (total < 64 << 20) return;
    const pct = Math.floor((done / total) * 20) * 5;
    if (pct !== last) log.log(`hashing ${os}: ${pct}% of ${mib(total)}`);
    last = pct;
  };
}
