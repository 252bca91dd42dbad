import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { dist } from './paths.ts';
import { pruneCache } from './prune-cache.ts';

/**
 * How a Phase-1 initrd is compressed. The kernel recognises each by its magic, whatever the file is
 * called (SliTaz's rootfs.gz is lzma inside). zstd needs Linux ≥ 5.9; gzip is for older kernels.
 */
export const COMPRESSIONS = ['zstd', 'xz', 'gzip'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

async function compress(cpio: Buffer, how: Compression): Promise<Buffer> {
  switch (how) {
    case 'gzip':
      return promisify(zlib.gzip)(cpio, { level: 9 });
    case 'zstd':
      // the kernel's decoder wants a single frame with a window it can allocate; level 19 uses 8 MiB
      return promisify(zlib.zstdCompress)(cpio, {
        params: {
          [zlib.constants.ZSTD_c_compressionLevel]: 19,
          [zlib.constants.ZSTD_c_checksumFlag]: 1,
        },
      });
    case 'xz': {
      // the kernel's xz decoder checks CRC32 only (not xz's default CRC64) and has the x86 BCJ filter
      const dir = dist('cache');
      await mkdir(dir, { recursive: true });
      const tmp = path.join(dir, `xz-in-${process.pid}-${Date.now()}`);
      await writeFile(tmp, cpio);
      try {
        await promisify(execFile)('xz', [
          '--format=xz',
          '--check=crc32',
          '--x86',
          '--lzma2=preset=9',
          '-k',
          tmp,
        ]);
        return await readFile(`${tmp}.xz`);
      } finally {
        await rm(tmp, { force: true });
        await rm(`${tmp}.xz`, { force: true });
      }
    }
  }
}

/**
 * `cpio` compressed for the kernel, from a cache keyed by the archive's own bytes: zstd and xz at their
 * best take a minute or two for the 100 MB overlay, and a rebuild with nothing changed should not.
 * `slot` (rootfs, diff) only names the cached file for a person looking at dist/cache/initrd.
 */
export async function compressInitrd(cpio: Buffer, how: Compression, slot: string): Promise<Buffer> {
  const dir = dist('cache', 'initrd');
  const key = createHash('sha256').update(cpio).digest('hex').slice(0, 16);
  const file = path.join(dir, `${slot}-${key}.${how}`);
  const hit = await readFile(file).catch(() => undefined);
  if (hit) {
    // a used entry is a recent one, for pruneCache
    const now = new Date();
    await utimes(file, now, now);
    return hit;
  }
  const out = await compress(cpio, how);
  await mkdir(dir, { recursive: true });
  await writeFile(`${file}.tmp`, out);
  await rename(`${file}.tmp`, file);
  await pruneCache(dir, 8);
  return out;
}
