/**
 * What a client tells the host while it boots: one event per stage change and a progress sample about
 * once a second, posted as JSON to the host's `/api/events`. bttui builds them and the host checks them
 * with the same module, so the two cannot drift apart; the dashboard, `boottorrent status`, the demo and
 * the tests read these figures instead of bttui's sentences.
 */
import { normalizeMac } from '../config/boottorrent-config.ts';

export const EVENT_VERSION = 1;

/**
 * menu: waiting for a person (or a countdown); download … seed: the stages of a load; vm: the OS runs
 * in qemu on this client; boot: the point of no return, kexec -e, is next (the last event of this Phase 1,
 * sent also when --no-exec stops the client there);
 * failed: the attempt ended with `error`, and the client is back at its menu or retrying.
 */
export const EVENT_STAGES = ['menu', 'download', 'verify', 'load', 'seed', 'vm', 'boot', 'failed'] as const;
export type EventStage = (typeof EVENT_STAGES)[number];

/** A client's transfer as it reports it; the host's row for the client carries the same figures. */
export interface TransferFigures {
  /** bytes of the OS (and, for a VM, the qemu profile) verified so far, of `total` */
  done: number;
  total: number;
  /** bytes per second right now */
  down: number;
  up: number;
  /** bytes this client sent to the others (in this run; the host's row: over all runs) */
  uploaded: number;
  /** of the bytes received, how many came from the host (seeder and web seeds) and how many from peers */
  fromHost: number;
  fromPeers: number;
  peers: number;
  /** seconds of seed_time left, while seeding before kexec */
  seedLeft?: number;
  /** with stage failed: what the person at the client reads (the host keeps the last one) */
  error?: { message: string; hint: string };
}

export interface ClientEvent extends TransferFigures {
  v: typeof EVENT_VERSION;
  /** a stage change, or a sample within the current stage */
  kind: 'stage' | 'progress';
  /** the machine (lower case); the host keys its row by it, and joins its DHCP lease by it */
  mac: string;
  /** random per bttui run: a rebooted client starts its counters (seq, uploaded) again */
  run: string;
  /** increases within a run; the host keeps the newest when posts arrive out of order */
  seq: number;
  stage: EventStage;
  /** the OS being booted (its folder name and its menu label); absent at the menu */
  os?: string;
  label?: string;
  engine?: string;
  /** the driver of the network card it boots over, and its link speed when the driver says it */
  nic?: string;
  linkMbps?: number;
}

export const EVENT_LIMITS = {
  /** a POST body larger than this is refused before parsing */
  maxBodyBytes: 4096,
  maxText: { run: 32, os: 64, label: 200, engine: 16, nic: 32, message: 600, hint: 600 },
  /** clients the host keeps a row for: a flood of made-up MACs must not grow its memory */
  maxClients: 1024,
} as const;

const NUMBERS = ['seq', 'done', 'total', 'down', 'up', 'uploaded', 'fromHost', 'fromPeers', 'peers'] as const;

/** an event, or why it was refused (counted by the host, never shown to a client) */
export type EventCheck = { ok: true; value: ClientEvent } | { ok: false; reason: string };

function text(v: unknown, field: keyof typeof EVENT_LIMITS.maxText): string | undefined | Error {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') return new Error(`${field} must be a string`);
  if (v.length > EVENT_LIMITS.maxText[field])
    return new Error(`${field} is longer than ${EVENT_LIMITS.maxText[field]} characters`);
  return v;
}

/**
 * Checks a parsed POST body against the schema and returns a fresh object with only the known fields:
 * whatever else a sender put in never reaches the dashboard. Strings are kept as they are (the page and
 * the terminal show them as text), but bounded.
 */
export function checkClientEvent(raw: unknown): EventCheck {
  const bad = (reason: string): EventCheck => ({ ok: false, reason });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad('not a JSON object');
  const r = raw as Record<string, unknown>;
  if (r.v !== EVENT_VERSION) return bad(`v must be ${EVENT_VERSION}`);
  if (r.kind !== 'stage' && r.kind !== 'progress') return bad('kind must be stage or progress');
  const mac = typeof r.mac === 'string' ? normalizeMac(r.mac) : undefined;
  if (!mac) return bad('mac must be a MAC address (aa:bb:cc:dd:ee:ff)');
  if (!(EVENT_STAGES as readonly unknown[]).includes(r.stage))
    return bad(`stage must be one of ${EVENT_STAGES.join(', ')}`);
  for (const k of NUMBERS) {
    const n = r[k];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
      return bad(`${k} must be a whole number ≥ 0`);
  }
  if (
    r.seedLeft !== undefined &&
    (typeof r.seedLeft !== 'number' || !Number.isSafeInteger(r.seedLeft) || r.seedLeft < 0)
  )
    return bad('seedLeft must be a whole number ≥ 0');
  if (
    r.linkMbps !== undefined &&
    (typeof r.linkMbps !== 'number' || !Number.isSafeInteger(r.linkMbps) || r.linkMbps <= 0)
  )
    return bad('linkMbps must be a whole number > 0');
  const texts: Record<string, string | undefined> = {};
  for (const k of ['run', 'os', 'label', 'engine', 'nic'] as const) {
    const t = text(r[k], k);
    if (t instanceof Error) return bad(t.message);
    texts[k] = t;
  }
  if (!texts.run) return bad('run must be a non-empty string');
  let error: ClientEvent['error'];
  if (r.error !== undefined) {
    if (typeof r.error !== 'object' || r.error === null) return bad('error must be an object');
    const e = r.error as Record<string, unknown>;
    const message = text(e.message, 'message');
    const hint = text(e.hint, 'hint');
    if (message instanceof Error) return bad(`error.${message.message}`);
    if (hint instanceof Error) return bad(`error.${hint.message}`);
    if (message === undefined) return bad('error.message must be a string');
    error = { message, hint: hint ?? '' };
  }
  const n = (k: (typeof NUMBERS)[number]) => r[k] as number;
  return {
    ok: true,
    value: {
      v: EVENT_VERSION,
      kind: r.kind,
      mac,
      run: texts.run,
      seq: n('seq'),
      stage: r.stage as EventStage,
      ...(texts.os !== undefined ? { os: texts.os } : {}),
      ...(texts.label !== undefined ? { label: texts.label } : {}),
      ...(texts.engine !== undefined ? { engine: texts.engine } : {}),
      ...(texts.nic !== undefined ? { nic: texts.nic } : {}),
      ...(r.linkMbps !== undefined ? { linkMbps: r.linkMbps as number } : {}),
      done: n('done'),
      total: n('total'),
      down: n('down'),
      up: n('up'),
      uploaded: n('uploaded'),
      fromHost: n('fromHost'),
      fromPeers: n('fromPeers'),
      peers: n('peers'),
      ...(r.seedLeft !== undefined ? { seedLeft: r.seedLeft as number } : {}),
      ...(error ? { error } : {}),
    },
  };
}

/** Where bttui posts its events: the host's HTTP server, which also serves Phase 1 and the dashboard. */
export function eventsUrl(hostIp: string, port: number): string {
  return `http://${hostIp}:${port}/api/events`;
}
