/** Bencode (BEP 3). Byte strings stay bytes; dictionary keys are decoded as UTF-8 text. */
export type BValue = number | Uint8Array | BValue[] | { [key: string]: BValue };

/** What encode takes: text is written as its UTF-8 bytes. */
export type Encodable = number | string | Uint8Array | Encodable[] | { [key: string]: Encodable };

export function encode(v: Encodable): Buffer {
  const out: Buffer[] = [];
  write(v, out);
  return Buffer.concat(out);
}

function write(v: Encodable, out: Buffer[]): void {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new TypeError(`bencode: ${v} is not an integer`);
    out.push(Buffer.from(`i${v}e`));
  } else if (typeof v === 'string' || v instanceof Uint8Array) {
    const b = typeof v === 'string' ? Buffer.from(v) : v;
    out.push(Buffer.from(`${b.length}:`), Buffer.from(b));
  } else if (Array.isArray(v)) {
    out.push(Buffer.from('l'));
    for (const x of v) write(x, out);
    out.push(Buffer.from('e'));
  } else {
    out.push(Buffer.from('d'));
    // keys sorted as raw bytes, as BEP 3 requires
    for (const k of Object.keys(v).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) {
      write(k, out);
      write(v[k]!, out);
    }
    out.push(Buffer.from('e'));
  }
}

export class BencodeError extends Error {}

/** Decodes one value; `spans` receives the byte range of every top-level dictionary value (for the info hash). */
export function decode(buf: Uint8Array, spans?: Map<string, [number, number]>): BValue {
  let pos = 0;
  const fail = (why: string): never => {
    throw new BencodeError(`${why} at byte ${pos}`);
  };
  const readUntil = (ch: number): string => {
    const end = buf.indexOf(ch, pos);
    if (end < 0) fail('unterminated value');
    const s = Buffer.from(buf.subarray(pos, end)).toString('latin1');
    pos = end + 1;
    return s;
  };
  const value = (depth: number): BValue => {
    if (depth > 64) fail('nesting too deep');
    const c = buf[pos];
    if (c === undefined) return fail('unexpected end');
    if (c === 0x69 /* i */) {
      pos++;
      const s = readUntil(0x65);
      if (!/^-?\d+$/.test(s)) fail(`bad integer "${s}"`);
      return Number(s);
    }
    if (c === 0x6c /* l */) {
      pos++;
      const list: BValue[] = [];
      while (buf[pos] !== 0x65) list.push(value(depth + 1));
      pos++;
      return list;
    }
    if (c === 0x64 /* d */) {
      pos++;
      const dict: { [k: string]: BValue } = Object.create(null);
      while (buf[pos] !== 0x65) {
        const k = Buffer.from(bytes()).toString('utf8');
        const start = pos;
        dict[k] = value(depth + 1);
        if (depth === 0) spans?.set(k, [start, pos]);
      }
      pos++;
      return dict;
    }
    return bytes();
  };
  const bytes = (): Uint8Array => {
    const len = readUntil(0x3a /* : */);
    if (!/^\d+$/.test(len)) fail(`bad string length "${len}"`);
    const n = Number(len);
    if (pos + n > buf.length) fail('string runs past the end');
    const b = buf.subarray(pos, pos + n);
    pos += n;
    return b;
  };
  const v = value(0);
  if (pos !== buf.length) fail('trailing bytes');
  return v;
}
