import { mkdir, writeFile } from 'node:fs/promises';
import { dist } from '../lib/paths.ts';

/**
 * A bench's table and notes printed, then kept in dist/bench/: NAME-latest.md (the text, overwritten each
 * run) and NAME-<time>.json (the figures, one file per run, so runs can be compared later).
 */
export async function saveBenchResults(name: string, text: string, figures: unknown): Promise<void> {
  console.log(`\n${text}`);
  await mkdir(dist('bench'), { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  await writeFile(dist('bench', `${name}-latest.md`), `${text}\n`);
  await writeFile(dist('bench', `${name}-${stamp}.json`), `${JSON.stringify(figures, null, 2)}\n`);
}
