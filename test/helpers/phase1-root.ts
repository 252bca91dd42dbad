import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Phase 1's root as a client has it after the kernel unpacks rootfs.gz and then diff.gz over it, in a
 * fresh folder: dist/phase1/root with dist/overlay/root on top (`npm run phase1`, `npm run overlay`).
 */
export async function phase1Root(prefix: string, dist = path.resolve('dist')): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), prefix));
  await cp(path.join(dist, 'phase1', 'root'), root, { recursive: true, verbatimSymlinks: true });
  await cp(path.join(dist, 'overlay', 'root'), root, {
    recursive: true,
    verbatimSymlinks: true,
    force: true,
  });
  return root;
}
