import { consoleSafe } from './console-text.ts';

/** One thing wrong (or doubtful) in an input file, located well enough for a person to fix it. */
export interface Problem {
  file: string;
  /** dot path inside the file, e.g. `dnsmasq.dhcp_range`; empty for the whole file */
  field: string;
  message: string;
  line?: number;
}

/** One line for a terminal; the field and message may quote the file's own text, so it is made safe. */
export function formatProblem(p: Problem): string {
  // a file or field name is one line: a line break in it (a folder named so) is shown, not obeyed
  const one = (s: string) => s.replaceAll('\n', '\\n');
  const where = p.line !== undefined ? `${one(p.file)}:${p.line}` : one(p.file);
  return consoleSafe(p.field ? `${where}: ${one(p.field)}: ${p.message}` : `${where}: ${p.message}`);
}

/** A parse that either produced a value or explains, all at once, why it could not. */
export type Checked<T> =
  | { ok: true; value: T; warnings: Problem[] }
  | { ok: false; problems: Problem[]; warnings: Problem[] };
