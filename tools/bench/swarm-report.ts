import { median } from './median.ts';

/** One benchmark run: N clients, one mode (an engine, or http), their results, what the host sent. */
export interface Run {
  clients: number;
  sizeMib: number;
  rateMbit: number;
  mode: string;
  results: {
    seconds: number;
    uploaded: number;
    cpu: number;
    rssMb: number;
    /** when the first piece was in (HTTP: the response's headers); the original's aria2c does not say */
    firstPiece?: number;
  }[];
  /** bytes the host's stack sent over the bridge during the run (headers included) */
  hostSent: number;
  /** share of the whole machine's CPU time that was busy during the run (user, system and softirq) */
  machineBusy: number;
  /** the torrent's piece size when the run chose one (--piece-kib) */
  pieceKib?: number;
  /** the clients powered on over this many seconds (--stagger); each one's time counts from its start */
  staggerS?: number;
  /** extra flags the aria2 clients ran with (--aria2-args) */
  aria2Args?: string[];
  /** the aria2c the clients ran when not the one on PATH (--aria2c) */
  aria2c?: string;
}

/**
 * The fluid bound for distributing F to N peers (Kurose & Ross): the server must send one copy, the
 * slowest client must receive one, and all the N·F must be uploaded by someone.
 */
export function tMin(
  n: number,
  fileBytes: number,
  serverUp: number,
  clientUp: number,
  clientDown: number,
): number {
  return Math.max(fileBytes / serverUp, fileBytes / clientDown, (n * fileBytes) / (serverUp + n * clientUp));
}

/** The table the benchmark prints and writes: per run, completion times against T_min and the star. */
export function formatRuns(runs: Run[]): string {
  const rows = [
    '| N | mode | first piece s (median) | first s | median s | last s | T_min s | last / T_min | HTTP star / this | host sent MiB | clients sent each other MiB | client CPU s (sum) | peak RSS MiB | machine busy | note |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of runs) {
    const F = r.sizeMib * 1048576;
    const rate = (r.rateMbit * 1e6) / 8;
    const tm = tMin(r.clients, F, rate, rate, rate);
    const times = r.results.map((x) => x.seconds);
    const last = Math.max(...times);
    const http = runs.find((x) => x.clients === r.clients && x.mode === 'http');
    const httpLast = http ? Math.max(...http.results.map((x) => x.seconds)) : undefined;
    const cpu = r.results.reduce((n, x) => n + x.cpu, 0);
    const starts = r.results.flatMap((x) => (x.firstPiece === undefined ? [] : [x.firstPiece]));
    // the ceiling moved no image: its times are the image at the rate plain TCP got, the host sent nothing
    const ceiling = r.mode === 'tcp-mesh';
    const note = [
      ceiling ? "the links' ceiling: plain TCP, no BitTorrent (times: the image at the rate received)" : '',
      // the emulated links cost CPU too (veth, bridge, tc run in the kernel): a machine busy nearly all
      // the time means the processor, not the links, set the pace
      r.machineBusy >= 0.9 ? 'CPU-bound' : '',
      r.pieceKib ? `pieces ${r.pieceKib} KiB` : '',
      r.staggerS ? `started over ${r.staggerS} s` : '',
      r.aria2Args ? r.aria2Args.join(' ') : '',
      r.aria2c ? `aria2c: ${r.aria2c}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    // the original's clients have no RPC to say what they uploaded: what they received beyond what the
    // host sent came from each other (the host's count includes headers, so this is a little low)
    const peerBytes = ceiling
      ? '-'
      : r.mode === 'original'
        ? `≈${(Math.max(0, r.clients * F - r.hostSent) / 1048576).toFixed(0)}`
        : (r.results.reduce((n, x) => n + x.uploaded, 0) / 1048576).toFixed(0);
    rows.push(
      `| ${r.clients} | ${r.mode} | ${starts.length ? median(starts).toFixed(1) : '-'} | ${Math.min(...times).toFixed(1)} | ${median(times).toFixed(1)} | ${last.toFixed(1)} | ${tm.toFixed(1)} | ${(last / tm).toFixed(2)} | ${httpLast && r.mode !== 'http' && !ceiling ? (httpLast / last).toFixed(1) : '-'} | ${ceiling ? '-' : (r.hostSent / 1048576).toFixed(0)} | ${peerBytes} | ${cpu.toFixed(1)} | ${Math.max(...r.results.map((x) => x.rssMb)).toFixed(0)} | ${Math.round(r.machineBusy * 100)} % | ${note} |`,
    );
  }
  return rows.join('\n');
}
