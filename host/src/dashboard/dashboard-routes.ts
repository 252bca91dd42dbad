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

export const SSE_LIMITS = { maxStreams: 32, everyMs: 1000 } as const;

/**
 * The dashboard's part of the host's HTTP server:
 *   POST /api/events   a client's event (JSON, ≤ 4 KiB, from the lab network only) → 204
 *   GET  /api/status   the room as JSON (the Status type in room.ts)
 *   GET  /api/stream   the same, as server-sent events, once a second
 *   GET  /             the page, and its files under /_dashboard/
 * Returns false for any other request, which the file server then answers.
 */
export function dashboardRoutes(o: { room: Room; lab: Ipv4Net; now?: () => number }) {
  const now = o.now ?? Date.now;
  const streams = new Set<ServerResponse>();
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
    res.writeHead(204).end();
  }

  function stream(req: IncomingMessage, res: ServerResponse) {
    if (streams.size >= SSE_LIMITS.maxStreams) return json(res, 503, { refused: 'too many dashboards open' });
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const push = () => res.write(`data: ${JSON.stringify(o.room.snapshot(now()))}\n\n`);
    push();
    const timer = setInterval(push, SSE_LIMITS.everyMs);
    streams.add(res);
    req.on('close', () => {
      clearInterval(timer);
      streams.delete(res);
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
      for (const s of streams) s.end();
      streams.clear();
    },
  };
}

export type DashboardRoutes = ReturnType<typeof dashboardRoutes>;
