/**
 * Just enough of ELF64 (little-endian, x86-64) to answer two questions about a program without
 * binutils: does it need a dynamic loader, and where in the file does a named symbol's data live.
 */

const PT_INTERP = 3;
const SHT_SYMTAB = 2;

function header(elf: Buffer) {
  if (elf.length < 64 || elf.readUInt32BE(0) !== 0x7f454c46) throw new Error('not an ELF file');
  if (elf[4] !== 2 || elf[5] !== 1) throw new Error('not a 64-bit little-endian ELF file');
  return {
    phoff: Number(elf.readBigUInt64LE(0x20)),
    shoff: Number(elf.readBigUInt64LE(0x28)),
    phentsize: elf.readUInt16LE(0x36),
    phnum: elf.readUInt16LE(0x38),
    shentsize: elf.readUInt16LE(0x3a),
    shnum: elf.readUInt16LE(0x3c),
  };
}

/** True when the program has no PT_INTERP: the kernel runs it with no ld.so and no shared library. */
export function isStaticElf(elf: Buffer): boolean {
  const h = header(elf);
  for (let i = 0; i < h.phnum; i++)
    if (elf.readUInt32LE(h.phoff + i * h.phentsize) === PT_INTERP) return false;
  return true;
}

interface Section {
  type: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
}

function sections(elf: Buffer): Section[] {
  const h = header(elf);
  const out: Section[] = [];
  for (let i = 0; i < h.shnum; i++) {
    const o = h.shoff + i * h.shentsize;
    out.push({
      type: elf.readUInt32LE(o + 4),
      addr: Number(elf.readBigUInt64LE(o + 0x10)),
      offset: Number(elf.readBigUInt64LE(o + 0x18)),
      size: Number(elf.readBigUInt64LE(o + 0x20)),
      link: elf.readUInt32LE(o + 0x28),
    });
  }
  return out;
}

export interface SymbolData {
  name: string;
  /** where the symbol's bytes start in the file */
  fileOffset: number;
  size: number;
}

/**
 * The first symbol of the static symbol table whose name matches, with the file offset of its data.
 * Undefined when there is none, e.g. in a stripped binary: read symbols before `strip`.
 */
export function findSymbol(elf: Buffer, name: RegExp): SymbolData | undefined {
  const secs = sections(elf);
  for (const symtab of secs.filter((s) => s.type === SHT_SYMTAB)) {
    const strtab = secs[symtab.link]!;
    for (let o = symtab.offset; o + 24 <= symtab.offset + symtab.size; o += 24) {
      const nameAt = strtab.offset + elf.readUInt32LE(o);
      const end = elf.indexOf(0, nameAt);
      const sym = elf.toString('latin1', nameAt, end);
      if (!name.test(sym)) continue;
      const shndx = elf.readUInt16LE(o + 6);
      const sec = secs[shndx];
      if (!sec) continue;
      const value = Number(elf.readBigUInt64LE(o + 8));
      return {
        name: sym,
        fileOffset: sec.offset + (value - sec.addr),
        size: Number(elf.readBigUInt64LE(o + 16)),
      };
    }
  }
  return undefined;
}
