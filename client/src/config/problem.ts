/** One thing wrong (or doubtful) in an input file, located well enough for a person to fix it. */
export interface Problem {
  file: string;
  /** dot path inside the file, e.g. `dnsmasq.dhcp_range`; empty for the whole file */
  field: string;
  message: string;
  line?: number;
}

export function formatProblem(p: Problem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}` : p.file;
  return p.field ? `${where}: ${p.field}: ${p.message}` : `${where}: ${p.message}`;
}

/** A parse that either produced a value or explains, all at once, why it could not. */
export type Checked<T> =
  | { ok: true; value: T; warnings: Problem[] }
  | { ok: false; problems: Problem[]; warnings: Problem[] };
