import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * One `start` per env: a PID file beside out/ (out/ is rebuilt, the lock must outlive that). A PID
 * file whose process is gone is stale and taken over.
 */
export async function lockEnv(
  envDir: string,
): Promise<{ ok: true; release: () => Promise<void> } | { ok: false; pid: number }> {
  const file = path.join(envDir, '.boottorrent.pid');
  const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
  if (pid > 0 && pid !== process.pid && alive(pid)) return { ok: false, pid };
  await writeFile(file, `${process.pid}\n`);
  return { ok: true, release: () => rm(file, { force: true }) };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
