import type { TransferStats } from '../engines/engine.ts';
import type { ProgressView } from './ui.ts';

export function bytes(n: number): string {
  if (n >= 1 << 30) return `${(n / 2 ** 30).toFixed(2)} GiB`;
  if (n >= 1 << 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / 2 ** 10).toFixed(0)} KiB`;
  return `${n} B`;
}

export function rate(n: number): string {
  return `${bytes(n)}/s`;
}

export function eta(s: TransferStats): string {
  if (s.done >= s.total) return '0 s';
  if (s.downSpeed <= 0) return '?';
  const secs = Math.ceil((s.total - s.done) / s.downSpeed);
  return secs >= 120 ? `${Math.round(secs / 60)} min` : `${secs} s`;
}

export function percent(s: TransferStats): number {
  return s.total > 0 ? Math.floor((s.done / s.total) * 100) : 0;
}

/** One line that says everything about a transfer, for the log and the plain UI. */
export function progressLine(p: ProgressView): string {
  const s = p.stats;
  const peers = `${s.peers} peer${s.peers === 1 ? '' : 's'}`;
  switch (p.stage) {
    case 'download':
      return `${p.dispname}: ${percent(s)}% ${bytes(s.done)} of ${bytes(s.total)}, ${rate(s.downSpeed)} down, ${rate(s.upSpeed)} up, ${peers}, ETA ${eta(s)}`;
    case 'seed':
      return `${p.dispname}: seeding to other clients, ${p.seedLeft ?? 0} s left; uploaded ${bytes(s.uploaded)}, ${rate(s.upSpeed)}, ${peers}`;
    case 'vm':
      return `${p.dispname}: running; still seeding, uploaded ${bytes(s.uploaded)}, ${peers}`;
    case 'verify':
      return `${p.dispname}: checking ${bytes(s.total)} against the host's checksums`;
    case 'load':
      return `${p.dispname}: loading the kernel`;
  }
}
