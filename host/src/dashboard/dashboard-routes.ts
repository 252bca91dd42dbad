import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkClientEvent, EVENT_LIMITS } from '../../../client/src/shared.ts';
import { type Ipv4Net, inNetwork } from './lab-network.ts';
import type { Room } from './room.ts';

const PAGE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'page');
const UPLOT_DIR = path.dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.iife.min.js'));

/** What the page may load: its own files and uPlot from node_modules, nothing from elsewhere. */
const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: path.join(PAGE_DIR, 'index.html'), type: 'text/html; charset=utf-8' },
  '/_dashboard/dashboard.js': { file: path.join(PAGE_DIR, 'dashboard.js'), type: 'text/javascript' },
  '/_dashboard/dashboard.css': { file: path.join(PAGE_DIR, 'dashboard.css'), type: 'text/css' },
  '/_dashboard/uPlot.js': { file: path.join(UPLOT_DIR, 'uPlot.iife.min.js'), type: 'text/javascript' },
  '/_dashboard/uPlot.css': { file: path.join(UPLOT_DIR, 'uPlot.min.css'), type: 'text/css' },
};

// no inline script, nothing from another origin: a label that slipped past the page's escaping still
// could not run; uPlot sets element styles from script, which style-src 'unsafe-inline' allows
const SECURITY = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Streams at once, from one address, and how often they are fed. */
export const SSE_LIMITS = { maxStreams: 32, perAddress: 4, everyMs: 1000 } as const;

/** Whether a request comes from the lab network or from this machine (a forwarded port, a local browser). */
function labOrLoopback(ip: string | undefined, lab: Ipv4Net): boolean {
  return inNetwork(ip, lab) || inNetwork(ip, { base: 0x7f000000, bits: 8 }) || ip === '::1';
}

/**
 * The dashboard's part of the host's HTTP server:
 *   POST /api/events   a client's event (JSON, ≤ 4 KiB, from the lab network only) → 204
 *   GET  /api/status   the room as JSON (the Status type in room.ts)
 *   GET  /api/stream   server-sent events: the room once in full, then once a second what a page needs
 *                      (StreamView), made once per second for every stream open
 *   GET  /             the page, and its files under /_dashboard/
 * The GETs answer the lab network and loopback only; events come from the lab network only.
 * Returns false for any other request, which the file server then answers.
 */
export function dashboardRoutes(o: { room: Room; lab: Ipv4Net; now?: () => number }) {
  const now = o.now ?? Date.now;
  const json = (res: ServerResponse, code: number, body: unknown) =>
    res
      .writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(`${JSON.stringify(body)}\n`);
  const refuse = (res: ServerResponse, code: number, reason: string) => {
    o.room.refuse(reason);
    json(res, code, { refused: reason });
  };
  // the rest of a body too large is not read: the answer goes out, then the connection is closed
  const tooLarge = (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('connection', 'close');
    res.on('finish', () => req.destroy());
    refuse(res, 413, 'larger than 4 KiB');
  };

  async function takeEvent(req: IncomingMessage, res: ServerResponse) {
    if (!inNetwork(req.socket.remoteAddress, o.lab)) return refuse(res, 403, 'outside the lab network');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > EVENT_LIMITS.maxBodyBytes) return tooLarge(req, res);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      // a body without a length (chunked) is counted as it comes
      if (size > EVENT_LIMITS.maxBodyBytes) return tooLarge(req, res);
      chunks.push(chunk);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return refuse(res, 400, 'not JSON');
    }
    const checked = checkClientEvent(raw);
    if (!checked.ok) return refuse(res, 400, checked.reason);
    const taken = o.room.applyEvent(checked.value, req.socket.remoteAddress ?? '', now());
    if (taken === 'full') return refuse(res, 503, `more than ${EVENT_LIMITS.maxClients} clients`);
    if (taken === 'not its lease') return refuse(res, 403, 'not from the address its MAC was leased');
    res.writeHead(204).end();
  }

  // one view per tick, serialized once for every stream: its cost does not grow with the streams open
  const streams = new Map<ServerResponse, { ip: string; behind: boolean }>();
  let lastTick = 0;
  let ticker: NodeJS.Timeout | undefined;
  const full = () => `data: ${JSON.stringify(o.room.snapshot(now(), { stages: false }))}\n\n`;
  const tick = () => {
    const t = now();
    const delta = `data: ${JSON.stringify(o.room.streamView(t, lastTick))}\n\n`;
    lastTick = t;
    for (const [res, s] of streams) {
      // a page that has not taken the last push is not sent another (its socket would only fill);
      // when it drains it gets the room in full again, chart and all
      if (res.writableNeedDrain) s.behind = true;
      else if (s.behind) {
        s.behind = false;
        res.write(full());
      } else res.write(delta);
    }
  };

  function stream(req: IncomingMessage, res: ServerResponse) {
    const ip = req.socket.remoteAddress ?? '';
    const fromHere = [...streams.values()].filter((s) => s.ip === ip).length;
    if (streams.size >= SSE_LIMITS.maxStreams || fromHere >= SSE_LIMITS.perAddress)
      return json(res, 503, { refused: 'too many dashboards open' });
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(full());
    streams.set(res, { ip, behind: false });
    lastTick ||= now();
    ticker ??= setInterval(tick, SSE_LIMITS.everyMs);
    req.on('close', () => {
      streams.delete(res);
      if (streams.size === 0) {
        clearInterval(ticker);
        ticker = undefined;
      }
    });
  }

  return {
    /** true when the request was the dashboard's */
    handle(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
      if (pathname === '/api/events') {
        if (req.method !== 'POST') json(res, 405, { refused: 'POST events here' });
        else
          void takeEvent(req, res).catch(() => {
            if (!res.headersSent) refuse(res, 400, 'unreadable body');
          });
        return true;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const ours = pathname === '/api/status' || pathname === '/api/stream' || pathname in ASSETS;
      if (!ours) return false;
      if (!labOrLoopback(req.socket.remoteAddress, o.lab)) {
        json(res, 403, { refused: 'the dashboard answers the lab network and this machine only' });
        return true;
      }
      if (pathname === '/api/status') {
        json(res, 200, o.room.snapshot(now()));
        return true;
      }
      if (pathname === '/api/stream') {
        stream(req, res);
        return true;
      }
      const asset = ASSETS[pathname];
      if (!asset) return false;
      void readFile(asset.file).then(
        (body) => res.writeHead(200, { 'content-type': asset.type, ...SECURITY }).end(body),
        () => res.writeHead(500).end(),
      );
      return true;
    },
    /** ends the open streams, so the server can close */
    close() {
      clearInterval(ticker);
      ticker = undefined;
      for (const res of streams.keys()) res.end();
      streams.clear();
    },
  };
}

export type DashboardRoutes = ReturnType<typeof dashboardRoutes>;
