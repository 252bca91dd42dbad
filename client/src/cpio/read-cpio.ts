/** One member of a newc cpio archive. */
export interface CpioMember {
  path: string;
  mode: number;
  /** file contents, or a symlink's target */
  data: Buffer;
}

export const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFLNK = 0o120000;

/**
 * Members of a newc ("070701") cpio archive, the format of the initrds and of the qemu profile, in
 * archive order. Pure; throws on a malformed archive, naming the byte where it went wrong.
 */
export function readCpio(buf: Buffer): CpioMember[] {
  const out: CpioMember[] = [];
  let pos = 0;
  const pad4 = (n: number) => (n + 3) & ~3;
  for (;;) {
    if (pos + 110 > buf.length) throw new Error(`cpio: truncated header at byte ${pos}`);
    const magic = buf.toString('latin1', pos, pos + 6);
    if (magic !== '070701') throw new Error(`cpio: no newc header at byte ${pos}`);
    const field = (i: number) =>
      Number.parseInt(buf.toString('latin1', pos + 6 + i * 8, pos + 14 + i * 8), 16);
    const mode = field(1);
    const size = field(6);
    const nameSize = field(11);
    const nameAt = pos + 110;
    const name = buf.toString('utf8', nameAt, nameAt + nameSize - 1);
    const dataAt = pad4(nameAt + nameSize);
    if (dataAt + size > buf.length) throw new Error(`cpio: ${name} runs past the end of the archive`);
    if (name === 'TRAILER!!!') return out;
    out.push({ path: name, mode, data: buf.subarray(dataAt, dataAt + size) });
    pos = pad4(dataAt + size);
  }
}
