import { bytes, consoleSafe, rate } from '../../../client/src/shared.ts';
import type { ComponentState } from '../start/supervise.ts';
import type { Status } from './room.ts';

const ACTIVE = new Set(['download', 'verify', 'load', 'seed']);

function secs(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 90 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** A component that died, in one line (the dashboard's page says the same); nothing while all is well. */
export function componentLine(c: ComponentState, now: number): string | undefined {
  if (c.state === 'restarting')
    return `${c.name} exited (${c.lastExit}) ${secs(now - c.since)} ago and is being started again`;
  if (c.restarts > 0)
    return `${c.name} was started again ${c.restarts} time(s); it last exited with ${c.lastExit}`;
  return undefined;
}

/**
 * `boottorrent status`: the dashboard as a terminal table. Labels, host names and errors come from
 * clients and envs, so every one goes through consoleSafe: an escape sequence is shown, not obeyed.
 */
export function formatStatus(s: Status): string {
  const rows = s.clients.map((c) => [
    c.mac,
    c.ip ?? '-',
    [c.nic, c.linkMbps ? `${c.linkMbps} Mb/s` : ''].filter(Boolean).join(' ') || '-',
    c.label ?? c.os ?? '-',
    c.stage === 'seed' && c.seedLeft !== undefined ? `seed ${c.seedLeft}s` : c.stage,
    c.total ? `${Math.floor((100 * c.done) / c.total)} % of ${bytes(c.total)}` : '-',
    ACTIVE.has(c.stage) ? `${rate(c.down)} ↓ ${rate(c.up)} ↑` : '-',
    bytes(c.fromHost),
    bytes(c.fromPeers),
    bytes(c.uploaded),
    secs(s.now - c.stageSince) + (ACTIVE.has(c.stage) && s.now - c.lastSeen > 15_000 ? ' (silent)' : ''),
  ]);
  const head = [
    'MAC',
    'IP',
    'network card',
    'OS',
    'stage',
    'progress',
    'rate',
    'from host',
    'from peers',
    'to peers',
    'in stage',
  ];
  const safe = [head, ...rows].map((r) => r.map((x) => consoleSafe(x).replaceAll('\n', ' ')));
  const width = head.map((_, i) => Math.max(...safe.map((r) => [...r[i]!].length)));
  const line = (r: string[]) =>
    r
      .map((x, i) => x + ' '.repeat(width[i]! - [...x].length))
      .join('  ')
      .trimEnd();
  const got = s.totals.fromHost + s.totals.fromPeers;
  const out = [
    `BootTorrent on ${s.host.ip} (seeder ${s.host.seeder}${s.ready ? '' : ', starting'}): ${s.totals.clients} client(s); ` +
      Object.entries(s.totals.byStage)
        .map(([k, n]) => `${k} ${n}`)
        .join(', '),
    `host sent ${bytes(s.host.sent)}, clients sent each other ${bytes(s.totals.peersSent)}` +
      (got
        ? `; ${Math.round((100 * s.totals.fromPeers) / got)} % of what the clients received came from peers`
        : '') +
      (s.refused.total ? `; ${s.refused.total} event(s) refused` : ''),
  ];
  for (const c of s.host.components ?? []) {
    const said = componentLine(c, s.now);
    if (said) out.push(said);
  }
  if (rows.length) out.push('', line(safe[0]!), ...safe.slice(1).map(line));
  for (const c of s.clients)
    if (c.error)
      out.push(consoleSafe(`${c.mac}: ${c.error.message} Hint: ${c.error.hint}`.replaceAll('\n', ' ')));
  return out.join('\n');
}
