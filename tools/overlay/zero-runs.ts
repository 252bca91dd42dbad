/** A run of zero bytes inside a file, whole pages only: what a hole can replace. */
export interface ZeroRun {
  offset: number;
  length: number;
}

/** Where the overlay lists bttui's zero runs, one `OFFSET LENGTH` per line, for bttui-session. */
export const ZERO_RUNS_LIST = 'etc/bttui-zeros';

/**
 * The runs of zeros in `buf` at least `min` bytes long, trimmed inward to whole `page`s (a hole frees
 * whole pages only). The single executable's ICU region is the one that matters: trimmed to English
 * in place, 27.6 MiB of it stay zeros that a client would otherwise hold in RAM.
 */
export function zeroRuns(buf: Uint8Array, min: number, page = 4096): ZeroRun[] {
  const runs: ZeroRun[] = [];
  let i = 0;
  while (i < buf.length) {
    if (buf[i] !== 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < buf.length && buf[end] === 0) end++;
    const start = Math.ceil(i / page) * page;
    const stop = Math.floor(end / page) * page;
    if (stop - start >= min) runs.push({ offset: start, length: stop - start });
    i = end;
  }
  return runs;
}

/** The runs as ZERO_RUNS_LIST holds them. */
export const formatZeroRuns = (runs: ZeroRun[]): string =>
  runs.map((r) => `${r.offset} ${r.length}\n`).join('');

/** ZERO_RUNS_LIST's text as runs (blank lines skipped). */
export const parseZeroRuns = (text: string): ZeroRun[] =>
  text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const [offset, length] = l.trim().split(/\s+/).map(Number);
      return { offset: offset!, length: length! };
    });
