/**
 * Where a PE image (an EFI-stub bzImage) keeps its Authenticode signature: the certificate table, data
 * directory #4 of the optional header. Reads only the header: `head` is the file's first bytes (4 KiB is
 * plenty). `undefined`: not a PE image at all (no EFI stub); length 0: no signature.
 */
export function certificateTable(
  head: Buffer,
): { offset: number; length: number; entryAt: number } | undefined {
  if (head.length < 0x40 || head.readUInt16LE(0) !== 0x5a4d) return undefined; // "MZ"
  const pe = head.readUInt32LE(0x3c);
  if (pe + 24 > head.length || head.readUInt32LE(pe) !== 0x00004550) return undefined; // "PE\0\0"
  const optional = pe + 24;
  const magic = head.readUInt16LE(optional);
  // the data directories follow 96 (PE32) or 112 (PE32+) bytes of the optional header
  const dirs = optional + (magic === 0x20b ? 112 : magic === 0x10b ? 96 : -1);
  if (dirs < optional) return undefined;
  const entryAt = dirs + 4 * 8;
  if (head.readUInt32LE(dirs - 4) < 5 || entryAt + 8 > head.length)
    return { offset: 0, length: 0, entryAt: 0 };
  return { offset: head.readUInt32LE(entryAt), length: head.readUInt32LE(entryAt + 4), entryAt };
}

/**
 * Whether a kernel image carries a Secure Boot signature. Under Secure Boot a locked-down Phase 1 kexecs
 * only signed kernels, so `boottorrent build` records this and a client can say so before downloading.
 * `undefined`: not a PE image, which kexec_file_load cannot verify either.
 */
export function kernelSigned(head: Buffer, size: number): boolean | undefined {
  const t = certificateTable(head);
  if (!t) return undefined;
  return t.length > 8 && t.offset > 0 && t.offset + t.length <= size;
}
