/** A run of zero bytes inside a file, whole pages only: what a hole can replace. */
export interface ZeroRun {
  offset: number;
  length: number;
}

/**
 * The runs of zeros in `buf` at least `min` bytes long, trimmed inward to whole `page`s (a hole frees
 * whole pages only). The single executable's ICU region is the one that matters: trimmed to English
 * in place, 26 MiB of it stay zeros that a client would otherwise hold in RAM.
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
