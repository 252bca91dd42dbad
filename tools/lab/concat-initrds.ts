import { readFile, writeFile } from 'node:fs/promises';

/**
 * QEMU's -initrd takes one file: the three Phase-1 initrds one after another, each padded to 4 bytes.
 * The kernel skips zero padding between archives, but not a misaligned one after a compressed archive.
 */
export async function concatInitrds(parts: string[], out: string): Promise<void> {
  const bufs: Buffer[] = [];
  for (const p of parts) {
    const b = await readFile(p);
    bufs.push(b, Buffer.alloc((4 - (b.length % 4)) % 4));
  }
  await writeFile(out, Buffer.concat(bufs));
}
