/**
 * A newc ("SVR4 no CRC") cpio archive, the only format the kernel unpacks as an initramfs.
 * Written in-process (no bsdtar at build time) so the output is byte-for-byte reproducible:
 * fixed mtimes, inode numbers and owners.
 */
export interface CpioEntry {
  path: string;
  /** file type and permission bits, e.g. 0o100644 for a file, 0o40755 for a folder */
  mode: number;
  data?: Uint8Array;
  /** symlink target */
  link?: string;
  /** device number of a character or block device node */
  rdev?: [major: number, minor: number];
}

export const FILE = 0o100000;
export const DIR = 0o40000;
export const SYMLINK = 0o120000;
export const CHAR = 0o020000;

export function cpioNewc(entries: CpioEntry[], mtime = 0): Buffer {
  const parts: Buffer[] = [];
  let size = 0;
  const push = (b: Buffer) => {
    parts.push(b);
    size += b.length;
  };
  const pad4 = () => {
    if (size % 4) push(Buffer.alloc(4 - (size % 4)));
  };
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  const record = (
    name: string,
    mode: number,
    body: Uint8Array,
    ino: number,
    rdev: [number, number] = [0, 0],
  ) => {
    const nameBytes = Buffer.from(`${name}\0`);
    const fields = [ino, mode, 0, 0, 1, mtime, body.length, 0, 0, rdev[0], rdev[1], nameBytes.length, 0];
    push(Buffer.from(`070701${fields.map(hex).join('')}`, 'ascii'));
    push(nameBytes);
    pad4();
    push(Buffer.from(body));
    pad4();
  };
  entries.forEach((e, i) => {
    const body = e.link !== undefined ? Buffer.from(e.link) : (e.data ?? Buffer.alloc(0));
    record(e.path.replace(/^\/+/, ''), e.mode, body, i + 1, e.rdev);
  });
  record('TRAILER!!!', 0, Buffer.alloc(0), 0);
  return Buffer.concat(parts);
}
