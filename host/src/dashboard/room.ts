// Over 250 lines: the room's state and the three sources joined into it (events, leases, the seeder), which share every row.
/**
 * The host's picture of the room: one row per client, joined from three sources that each know a part —
 * the clients' own events (stage, OS, bytes), dnsmasq's leases (MAC, IP, hostname: a client is in the
 * room before bttui runs) and the seeder's count of what the host sent. No I/O: start.ts feeds it, the
 * dashboard and `boottorrent status` read `snapshot()`; every time is the host's clock (a client's clock
 * in Phase 1 may be anything).
 */
import {
  type ClientEvent,
  EVENT_LIMITS,
  type EventStage,
  type TransferFigures,
} from '../../../client/src/shared.ts';
import type { ComponentState } from '../start/supervise.ts';
import type { Lease } from './leases.ts';

/** pxe: the client has a DHCP lease and bttui has not spoken yet (Phase 1 is loading or starting) */
export type RowStage = EventStage | 'pxe';

export interface ClientRow extends TransferFigures {
  mac: string;
  ip?: string;
  hostname?: string;
  os?: string;
  label?: string;
  engine?: string;
  /** its network card's driver and link speed, as the client read them */
  nic?: string;
  linkMbps?: number;
  stage: RowStage;
  /** when the row entered its stage, and the stages so far (host ms) */
  stageSince: number;
  stages: { stage: RowStage; at: number }[];
  /** the last event (or lease) heard from it */
  lastSeen: number;
}

interface Tracked extends ClientRow {
  run?: string;
  seq: number;
  /** uploads of earlier runs (a client that rebooted starts counting from 0 again) */
  uploadedBefore: number;
  uploadedThisRun: number;
}

export interface Status {
  v: 1;
  now: number;
  /** the host has started everything it serves */
  ready: boolean;
  host: {
    ip: string;
    seeder: string;
    sent: number;
    startedAt: number;
    /** the host's own programs (tracker, seeder, dnsmasq): running, or dead and about to start again */
    components: ComponentState[];
  };
  totals: {
    clients: number;
    byStage: Partial<Record<RowStage, number>>;
    /** bytes the clients received from the host and from each other, by their own count */
    fromHost: number;
    fromPeers: number;
    /** bytes the clients sent each other, by their own count */
    peersSent: number;
  };
  clients: ClientRow[];
  /** a sample every few seconds: the host's bytes sent against the clients' to each other */
  history: { t: number; hostSent: number; peersSent: number }[];
  refused: { total: number; reasons: Record<string, number> };
}

/** What a dashboard stream sends each time: Status without the stages of each row, and new chart points only. */
export type StreamView = Omit<Status, 'history'> & { historyAdd: Status['history'] };

/** Byte counts summed without passing 2^53: past it a sum is no longer exact, and JSON readers disagree. */
export function safeSum(a: number, b: number): number {
  return Math.min(Number.MAX_SAFE_INTEGER, a + b);
}

export const ROOM_LIMITS = { stagesKept: 32, historyKept: 1800, reasonsKept: 32 } as const;

export class Room {
  private readonly rows = new Map<string, Tracked>();
  private readonly refusals: Record<string, number> = {};
  private refusedTotal = 0;
  private hostSent = 0;
  private readonly components = new Map<string, ComponentState>();
  private readonly history: Status['history'] = [];
  ready = false;
  private readonly host: { ip: string; seeder: string; startedAt: number };
  /** each MAC's address by its DHCP lease, when the host hands leases out (see applyLeases) */
  private readonly leaseIp = new Map<string, string>();

  constructor(host: { ip: string; seeder: string; startedAt: number }) {
    this.host = host;
  }

  /**
   * Takes a checked event from `from` (the sender's address); an older event of the same run is ignored.
   * When the host's DHCP leased the MAC an address, only that address speaks for it: another machine of
   * the lab cannot post as this one.
   */
  applyEvent(e: ClientEvent, from: string, now: number): 'taken' | 'stale' | 'full' | 'not its lease' {
    const sender = from.replace(/^::ffff:/, '');
    const leased = this.leaseIp.get(e.mac);
    if (leased !== undefined && leased !== sender) return 'not its lease';
    let row = this.rows.get(e.mac);
    if (!row) {
      if (this.rows.size >= EVENT_LIMITS.maxClients) return 'full';
      // a client first heard of by its event (no lease here: proxy DHCP, or the lease file not read yet)
      row = this.newRow(e.mac, now, e.stage);
      this.rows.set(e.mac, row);
    }
    if (row.run === e.run && e.seq <= row.seq) return 'stale';
    if (row.run !== e.run) {
      row.uploadedBefore = safeSum(row.uploadedBefore, row.uploadedThisRun);
      row.uploadedThisRun = 0;
      row.run = e.run;
    }
    row.seq = e.seq;
    row.ip = sender;
    for (const k of ['os', 'label', 'engine'] as const) {
      if (e[k] !== undefined) row[k] = e[k];
      else if (e.stage === 'menu') delete row[k];
    }
    // the card does not change within a run: kept across the menu, replaced by the next run's
    if (e.nic !== undefined) row.nic = e.nic;
    if (e.linkMbps !== undefined) row.linkMbps = e.linkMbps;
    Object.assign(row, {
      done: e.done,
      total: e.total,
      down: e.down,
      up: e.up,
      fromHost: e.fromHost,
      fromPeers: e.fromPeers,
      peers: e.peers,
      lastSeen: now,
    });
    // a run's upload only grows; a lower figure is the second torrent of a run ending (the sum shrinks)
    row.uploadedThisRun = Math.max(row.uploadedThisRun, e.uploaded);
    row.uploaded = safeSum(row.uploadedBefore, row.uploadedThisRun);
    if (e.seedLeft !== undefined) row.seedLeft = e.seedLeft;
    else delete row.seedLeft;
    if (e.error) row.error = e.error;
    // the last error stays on the row while the client waits at its menu, and goes when it tries again
    else if (e.stage === 'download') delete row.error;
    if (e.stage !== row.stage) this.enter(row, e.stage, now);
    return 'taken';
  }

  /**
   * dnsmasq's leases: a new MAC gets a row in stage pxe; known rows learn their IP and hostname. Only the
   * host's own DHCP leases are given here, and from then on each leased MAC speaks only from its address.
   */
  applyLeases(leases: Lease[], now: number): void {
    for (const l of leases) {
      this.leaseIp.set(l.mac, l.ip);
      let row = this.rows.get(l.mac);
      if (!row) {
        if (this.rows.size >= EVENT_LIMITS.maxClients) return;
        row = this.newRow(l.mac, now);
        this.rows.set(l.mac, row);
      }
      row.ip ??= l.ip;
      if (l.hostname) row.hostname = l.hostname;
    }
  }

  /** The seeder's own count of bytes sent, a running total. */
  applySeeder(sent: number): void {
    this.hostSent = Math.max(this.hostSent, sent);
  }

  /** A component of the host started, died or started again. */
  applyComponent(s: ComponentState): void {
    this.components.set(s.name, s);
  }

  refuse(reason: string): void {
    this.refusedTotal++;
    // the reasons are ours, but bounded all the same
    if (reason in this.refusals || Object.keys(this.refusals).length < ROOM_LIMITS.reasonsKept)
      this.refusals[reason] = (this.refusals[reason] ?? 0) + 1;
  }

  /** One point of the chart. */
  sample(now: number): void {
    this.history.push({ t: now, hostSent: this.hostSent, peersSent: this.peersSent() });
    if (this.history.length > ROOM_LIMITS.historyKept)
      this.history.splice(0, this.history.length - ROOM_LIMITS.historyKept);
  }

  /**
   * The room for a dashboard stream: rows without their list of stages (the page shows the current one)
   * and only the chart's points after `since` (the page keeps the rest); what each push costs stays
   * well below /api/status's.
   */
  streamView(now: number, since: number): StreamView {
    const full = this.snapshot(now, { stages: false, historySince: since });
    const { history, ...rest } = full;
    return { ...rest, historyAdd: history };
  }

  snapshot(now: number, o: { stages?: boolean; historySince?: number } = {}): Status {
    const since = o.historySince;
    const clients = [...this.rows.values()]
      .map(({ run: _r, seq: _s, uploadedBefore: _b, uploadedThisRun: _t, ...row }) => ({
        ...row,
        stages: o.stages === false ? [] : [...row.stages],
      }))
      .sort(
        (a, b) =>
          (a.ip ?? '').localeCompare(b.ip ?? '', 'en', { numeric: true }) || a.mac.localeCompare(b.mac),
      );
    const byStage: Status['totals']['byStage'] = {};
    for (const c of clients) byStage[c.stage] = (byStage[c.stage] ?? 0) + 1;
    return {
      v: 1,
      now,
      ready: this.ready,
      host: { ...this.host, sent: this.hostSent, components: [...this.components.values()] },
      totals: {
        clients: clients.length,
        byStage,
        fromHost: clients.reduce((n, c) => safeSum(n, c.fromHost), 0),
        fromPeers: clients.reduce((n, c) => safeSum(n, c.fromPeers), 0),
        peersSent: this.peersSent(),
      },
      clients,
      history: since === undefined ? [...this.history] : this.history.filter((h) => h.t > since),
      refused: { total: this.refusedTotal, reasons: { ...this.refusals } },
    };
  }

  private peersSent(): number {
    let n = 0;
    for (const r of this.rows.values()) n = safeSum(n, r.uploaded);
    return n;
  }

  private newRow(mac: string, now: number, stage: RowStage = 'pxe'): Tracked {
    return {
      mac,
      stage,
      stageSince: now,
      stages: [{ stage, at: now }],
      done: 0,
      total: 0,
      down: 0,
      up: 0,
      uploaded: 0,
      fromHost: 0,
      fromPeers: 0,
      peers: 0,
      lastSeen: now,
      seq: -1,
      uploadedBefore: 0,
      uploadedThisRun: 0,
    };
  }

  private enter(row: Tracked, stage: RowStage, now: number): void {
    row.stage = stage;
    row.stageSince = now;
    row.stages.push({ stage, at: now });
    if (row.stages.length > ROOM_LIMITS.stagesKept) row.stages.shift();
  }
}
