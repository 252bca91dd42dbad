/**
 * Piece length for a torrent of `total` bytes: about 1000–2000 pieces, a power of two between
 * 256 KiB and 16 MiB. Fewer, larger pieces cut per-piece overhead on a fast LAN; enough of them keep
 * many clients busy trading different pieces from the first seconds.
 */
export function pieceLengthFor(total: number): number {
  const min = 256 * 1024;
  const max = 16 * 1024 * 1024;
  let len = min;
  while (len < max && total / len > 2000) len *= 2;
  return len;
}
