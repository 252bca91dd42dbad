import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { DRIVERS_ALL, initrdFormat, phase1Line } from '../../host/src/shared.ts';
import { dist, PROJECT_ROOT } from './paths.ts';

export const DIST_PHASE1 = {
  vmlinuz: dist('phase1', 'vmlinuz'),
  rootfs: dist('phase1', 'rootfs.gz'),
  diff: dist('overlay', 'diff.gz'),
};

async function head(file: string): Promise<Buffer> {
  const h = await open(file);
  try {
    const b = Buffer.alloc(8);
    await h.read(b, 0, 8, 0);
    return b;
  } finally {
    await h.close();
  }
}

/**
 * Each part's size and format, and the per-client total against the budget. Both Phase-1 builds print
 * it: the one just built plus whatever the other build last left in dist/ (torrents.gz, a few KiB, is
 * each env's own and comes on top).
 */
export async function printPhase1Sizes(
  built: Partial<typeof DIST_PHASE1>,
  log: (line: string) => void = console.log,
): Promise<Record<string, number>> {
  const files = { ...DIST_PHASE1, ...built };
  const bytes: Record<string, number> = {};
  for (const [key, name] of [
    ['vmlinuz', 'vmlinuz'],
    ['rootfs', 'rootfs.gz'],
    ['diff', 'diff.gz'],
  ] as const) {
    const f = files[key];
    const size = await stat(f).then(
      (s) => s.size,
      () => undefined,
    );
    if (size === undefined) {
      log(`${name}: not built yet (${key === 'diff' ? 'npm run overlay' : 'npm run phase1'})`);
      continue;
    }
    bytes[name] = size;
    const what = key === 'vmlinuz' ? 'kernel' : `${initrdFormat(await head(f))}-compressed`;
    log(`${name}: ${(size / 1048576).toFixed(1)} MiB, ${what}  ${path.relative(PROJECT_ROOT, f)}`);
  }
  log(`${phase1Line(bytes)}, plus each env's torrents.gz`);
  // what an env with phase1.drivers: all serves on top (npm run phase1 builds it beside rootfs.gz)
  const all = await stat(dist('phase1', DRIVERS_ALL)).then(
    (s) => s.size,
    () => undefined,
  );
  if (all !== undefined && bytes['rootfs.gz'] !== undefined)
    log(`with phase1.drivers: all: ${phase1Line({ ...bytes, [DRIVERS_ALL]: all })}`);
  return bytes;
}
