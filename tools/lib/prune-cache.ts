import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Keeps the `keep` most recently written entries of a cache folder and deletes the rest: enough for
 * the variants a benchmark builds side by side, without dist/ growing by 30 MB at every client change.
 */
export async function pruneCache(dir: string, keep: number): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const dated = await Promise.all(
    names.map(async (n) => ({ n, t: (await stat(path.join(dir, n))).mtimeMs })),
  );
  dated.sort((a, b) => b.t - a.t);
  for (const { n } of dated.slice(keep)) await rm(path.join(dir, n), { recursive: true, force: true });
}
