import type { BtError } from '../core/bt-error.ts';
import { splitSources } from '../core/split-sources.ts';
import { type TransferStats, ZERO_STATS } from '../engines/engine.ts';
import { type ClientEvent, EVENT_VERSION, type EventStage } from './client-event.ts';

/** Where events go: posted to the host, or recorded by a test. Never waits, never throws. */
export interface EventSink {
  send(e: ClientEvent): void;
  /** waits, at most `ms`, for what is queued to be sent: before kexec -e, so the host sees "boot" */
  flush(ms: number): Promise<void>;
}

export const NO_EVENTS: EventSink = { send() {}, flush: async () => {} };

/** The OS an event is about: its name and the label the menu shows. */
export interface EventOs {
  name: string;
  label: string;
}

/** What the flow calls at each stage and tick; it turns the engine's figures into events. */
export interface BootEvents {
  stage(stage: EventStage, os?: EventOs, stats?: TransferStats, extra?: { seedLeft?: number }): void;
  progress(os: EventOs, stats: TransferStats, extra?: { seedLeft?: number }): void;
  failed(os: EventOs | undefined, error: BtError): void;
  flush(ms: number): Promise<void>;
}

/**
 * The event for `stats` at `stage`: pure, so a test can check the figures without a host. The split by
 * source is of what arrived so far (`done`), in the proportion the engine reports per peer.
 */
export function eventFrom(o: {
  kind: ClientEvent['kind'];
  stage: EventStage;
  mac: string;
  run: string;
  seq: number;
  hostIp: string;
  engine: string;
  /** the network card it boots over (machine-facts' readLink) */
  link?: { driver?: string; mbps?: number } | undefined;
  os?: EventOs | undefined;
  stats?: TransferStats | undefined;
  seedLeft?: number | undefined;
  error?: BtError | undefined;
}): ClientEvent {
  const s = o.stats ?? ZERO_STATS;
  const got = splitSources(s.bySource ?? {}, o.hostIp, s.done);
  const whole = (n: number) => Math.max(0, Math.round(n));
  return {
    v: EVENT_VERSION,
    kind: o.kind,
    mac: o.mac,
    run: o.run,
    seq: o.seq,
    stage: o.stage,
    ...(o.os ? { os: o.os.name, label: o.os.label } : {}),
    engine: o.engine,
    ...(o.link?.driver ? { nic: o.link.driver } : {}),
    ...(o.link?.mbps ? { linkMbps: o.link.mbps } : {}),
    done: whole(s.done),
    total: whole(s.total),
    down: whole(s.downSpeed),
    up: whole(s.upSpeed),
    uploaded: whole(s.uploaded),
    fromHost: whole(got.fromHost),
    fromPeers: whole(got.fromPeers),
    peers: whole(s.peers),
    ...(o.seedLeft !== undefined ? { seedLeft: whole(o.seedLeft) } : {}),
    // the detail (a program's own output) stays in the client's log: the room needs the sentence
    ...(o.error ? { error: { message: o.error.message, hint: o.error.hint } } : {}),
  };
}

/** Numbers the events of one bttui run and remembers the last figures, so a stage event carries them. */
export function bootEvents(
  sink: EventSink,
  o: {
    mac: string;
    run: string;
    hostIp: string;
    engine: string;
    link?: { driver?: string; mbps?: number } | undefined;
  },
): BootEvents {
  let seq = 0;
  let last: { os?: EventOs | undefined; stats?: TransferStats | undefined } = {};
  const emit = (
    kind: ClientEvent['kind'],
    stage: EventStage,
    os?: EventOs,
    stats?: TransferStats,
    seedLeft?: number,
    error?: BtError,
  ) => {
    last = { os, stats };
    sink.send(eventFrom({ ...o, kind, stage, seq: seq++, os, stats, seedLeft, error }));
  };
  let stageNow: EventStage | undefined;
  return {
    stage(stage, os, stats, extra) {
      stageNow = stage;
      emit('stage', stage, os, stats, extra?.seedLeft);
    },
    progress(os, stats, extra) {
      emit('progress', stageNow ?? 'download', os, stats, extra?.seedLeft);
    },
    failed(os, error) {
      stageNow = 'failed';
      emit('stage', 'failed', os ?? last.os, last.stats, undefined, error);
    },
    flush: (ms) => sink.flush(ms),
  };
}
