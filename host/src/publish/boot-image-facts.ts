/**
 * What a Phase-1 file is, read from its first bytes: the kernel decides by magic, not by name, and so
 * do we when we warn that a kernel cannot unpack an initrd.
 */

export type InitrdFormat = 'gzip' | 'zstd' | 'xz' | 'lzma' | 'bzip2' | 'lz4' | 'lzo' | 'cpio' | 'unknown';

export function initrdFormat(head: Uint8Array): InitrdFormat {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  const starts = (hex: string) => b.subarray(0, hex.length / 2).equals(Buffer.from(hex, 'hex'));
  if (starts('1f8b') || starts('1f9e')) return 'gzip';
  if (starts('28b52ffd')) return 'zstd';
  if (starts('fd377a585a00')) return 'xz';
  if (starts('5d00')) return 'lzma';
  if (starts('425a68')) return 'bzip2';
  if (starts('02214c18')) return 'lz4';
  if (starts('894c5a4f')) return 'lzo';
  if (b.subarray(0, 6).toString('latin1') === '070701') return 'cpio';
  return 'unknown';
}

/**
 * How much of a kernel bzImageRelease needs: the version string's pointer is 16 bits past the 0x200 of
 * the real-mode header (a Debian kernel's lies near 0x3900, past the first KiB), plus the string.
 */
export const KERNEL_HEAD_BYTES = 0x200 + 0x10000 + 0x100;

/**
 * The release of a bzImage kernel ("6.1.0-56-amd64"), from the version string the boot protocol points
 * at (header field kernel_version at 0x20e, boot protocol ≥ 2.00). Undefined for anything else.
 */
export function bzImageRelease(image: Uint8Array): string | undefined {
  const b = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
  if (b.length < 0x210 || b.toString('latin1', 0x202, 0x206) !== 'HdrS') return undefined;
  const at = b.readUInt16LE(0x20e) + 0x200;
  if (!b.readUInt16LE(0x20e) || at >= b.length) return undefined;
  const end = b.indexOf(0, at);
  const text = b.toString('latin1', at, end < 0 ? Math.min(b.length, at + 256) : end);
  return /^(\d+\.\d+[^\s]*)/.exec(text)?.[1];
}

/** The first release that unpacks a zstd initramfs (CONFIG_RD_ZSTD arrived in 5.9). */
const ZSTD_SINCE: [number, number] = [5, 9];

/**
 * Whether a kernel of `release` can unpack an initrd in `format`; undefined when we cannot tell.
 * Every kernel of this century takes gzip; xz and lzma since 2.6.38; zstd since 5.9.
 */
export function kernelUnpacks(release: string | undefined, format: InitrdFormat): boolean | undefined {
  if (format === 'gzip' || format === 'cpio') return true;
  const m = release ? /^(\d+)\.(\d+)/.exec(release) : null;
  if (!m) return undefined;
  const v: [number, number] = [Number(m[1]), Number(m[2])];
  const atLeast = (w: [number, number]) => v[0] > w[0] || (v[0] === w[0] && v[1] >= w[1]);
  if (format === 'zstd') return atLeast(ZSTD_SINCE);
  if (format === 'xz' || format === 'lzma') return v[0] >= 3 ? true : undefined;
  return undefined;
}

export interface Phase1Part {
  name: string;
  /** where it was found, as the user should read it */
  from: string;
  head: Uint8Array;
  /** the command that rebuilds it */
  makeWith: string;
}

/**
 * Warnings for initrds that the kernel next to them may not unpack: an env's own older kernel in
 * `ph1/` with the project's zstd initrds is the case this exists for, and gzip is the fix.
 */
export function unpackWarnings(kernel: Phase1Part, initrds: Phase1Part[]): string[] {
  const release = bzImageRelease(kernel.head);
  const out: string[] = [];
  for (const i of initrds) {
    const format = initrdFormat(i.head);
    const can = kernelUnpacks(release, format);
    if (can === true || format === 'unknown') continue;
    const fix = `rebuild it with \`${i.makeWith} -- --compress gzip\`, which every kernel unpacks`;
    if (can === false)
      out.push(
        `${i.name} (${i.from}) is ${format}-compressed and ${kernel.from} is Linux ${release}, which cannot unpack it; ${fix}`,
      );
    else
      out.push(
        `${i.name} (${i.from}) is ${format}-compressed; cannot tell whether ${kernel.from}` +
          `${release ? ` (Linux ${release})` : ''} unpacks ${format}; if clients stop at "junk in compressed archive", ${fix}`,
      );
  }
  return out;
}
