import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { type CpioEntry, DIR, FILE, SYMLINK } from '../../client/src/shared.ts';

/**
 * Every file, folder and symlink below `root` as cpio entries, parents before children, sorted so the
 * archive is reproducible. Owners are root and mtimes fixed (cpioNewc); modes come from the disk.
 */
export async function stageTree(root: string, rel = ''): Promise<CpioEntry[]> {
  const out: CpioEntry[] = [];
  const names = (await readdir(path.join(root, rel))).sort();
  for (const n of names) {
    const p = rel ? `${rel}/${n}` : n;
    const full = path.join(root, p);
    const s = await lstat(full);
    const perm = s.mode & 0o7777;
    if (s.isSymbolicLink()) out.push({ path: p, mode: SYMLINK | 0o777, link: await readlink(full) });
    else if (s.isDirectory()) out.push({ path: p, mode: DIR | perm }, ...(await stageTree(root, p)));
    else if (s.isFile()) out.push({ path: p, mode: FILE | perm, data: await readFile(full) });
  }
  return out;
}
