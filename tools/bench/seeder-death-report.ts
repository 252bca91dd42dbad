/** One run of bench:death: a seeder, the clients' engine, and what the room did after the seeder died. */
export interface DeathRun {
  seeder: string;
  engine: string;
  clients: number;
  sizeMib: number;
  rateMbit: number;
  pieces: number;
  /** the copies of the image after which the seeder was to die */
  killAt: number;
  /** absent when every client finished before the host's link carried that much */
  death?: {
    /** seconds from the clients' start */
    at: number;
    /** what the seeder had sent, by its own count, when it was gone */
    sentCopies: number;
    /** what the host's link had carried by then (payload, BitTorrent's and TCP/IP's headers) */
    wireCopies: number;
    /** pieces the room held between its clients once the seeder's last bytes had landed */
    held: number;
    perClient: number[];
  };
  finished: number;
  /** seconds from the start to the last client that finished */
  lastFinished: number;
  /** each client's share of the pieces when the room stopped gaining (only when some never finished) */
  stuckAt?: number[];
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** The table bench:death prints and the README quotes. */
export function formatDeathRuns(runs: DeathRun[]): string {
  const head = ['seeder', 'clients', 'host sent', 'room held then', 'finished', 'last done', 'stuck at'];
  const rows = runs.map((r) => [
    r.seeder,
    `${r.clients} × ${r.engine}`,
    r.death
      ? `${r.death.sentCopies.toFixed(2)} copies (${r.death.at.toFixed(1)} s)`
      : `never ${r.killAt} copies`,
    r.death ? pct(r.death.held / r.pieces) : '-',
    `${r.finished} of ${r.clients}`,
    r.finished ? `${r.lastFinished.toFixed(1)} s` : '-',
    r.stuckAt ? `${r.stuckAt.map((x) => `${Math.floor(100 * x)}`).join('/')} %` : '-',
  ]);
  const width = head.map((_, i) => Math.max(...[head, ...rows].map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((x, i) => x.padEnd(width[i]!))
      .join('  ')
      .trimEnd();
  const first = runs[0];
  return [
    first
      ? `The seeder killed once it had sent ${first.killAt} copies of ${first.sizeMib} MiB (${first.pieces} pieces), ${first.rateMbit} Mbit/s links; the tracker stays.`
      : '',
    line(head),
    ...rows.map(line),
  ].join('\n');
}
