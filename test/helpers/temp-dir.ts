import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const made = new Set<string>();
// at exit, not after each test: a helper's caller reads what bttui left there once the helper returned
process.once('exit', () => {
  for (const d of made)
    try {
      rmSync(d, { recursive: true, force: true });
    } catch {
      // a folder still mounted on (a test's tmpfs) stays; its test unmounts and removes it
    }
});

/** A fresh folder in the system's tmp, removed when the test's process exits (node --test runs one per file). */
export async function tempDir(prefix: string): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), prefix));
  made.add(d);
  return d;
}
