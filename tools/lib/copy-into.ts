import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { lddClosure } from './ldd-closure.ts';

/** Copies a program and its libraries into `root` at the same absolute paths (symlinks resolved). */
export async function copyWithLibs(root: string, program: string, at = program): Promise<string[]> {
  const files = [[program, at], ...lddClosure(program).map((l) => [l, l])] as [string, string][];
  for (const [from, to] of files) {
    await mkdir(path.dirname(path.join(root, to)), { recursive: true });
    await copyFile(from, path.join(root, to));
  }
  return files.map(([, to]) => to);
}
