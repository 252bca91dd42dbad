import assert from 'node:assert/strict';
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { eventFrom } from '../../../client/src/shared.ts';
import { startHttpServer } from '../start/http-server.ts';
import { dashboardRoutes, SSE_LIMITS } from './dashboard-routes.ts';
import { labNetwork } from './lab-network.ts';
import { ROOM_LIMITS, Room } from './room.ts';

const STAGES = ['download', 'verify', 'load', 'seed', 'failed', 'menu'] as const;

/** A room at its limits: 1,024 clients, each with a full list of stage changes and an error, a full chart. */
function fullRoom(): Room {
  const room = new Room({ ip: '127.0.0.1', seeder: 'webtorrent', startedAt: 0 });
  room.ready = true;
  for (let c = 0; c < 1024; c++) {
    const mac = `52:54:00:00:${(c >> 8).toString(16).padStart(2, '0')}:${(c & 255).toString(16).padStart(2, '0')}`;
    for (let seq = 0; seq < ROOM_LIMITS.stagesKept + 2; seq++)
      room.applyEvent(
        eventFrom({
          kind: 'stage',
          stage: STAGES[seq % STAGES.length]!,
          mac,
          run: 'r',
          seq,
          hostIp: '127.0.0.1',
          engine: 'aria2',
          os: { name: 'debian', label: `Debian 12 on client ${c}` },
          stats: {
            done: seq * 1e6,
            total: 4e9,
            downSpeed: 1e7,
            upSpeed: 1e7,
            uploaded: seq * 1e5,
            peers: 12,
          },
          ...(seq % STAGES.length === 4
            ? { error: { message: 'No verified data arrived for 60 s.', hint: 'x'.repeat(200) } }
            : {}),
        }),
        `10.0.${c >> 8}.${c & 255}`,
        seq * 1000,
      );
  }
  for (let t = 0; t < ROOM_LIMITS.historyKept; t++) room.sample(t * 2000);
  return room;
}

describe('the dashboard under a full room', { timeout: 60_000 }, () => {
  it(`1,024 rows and ${SSE_LIMITS.maxStreams} open streams: /api/status answers within 200 ms`, async (t) => {
    const room = fullRoom();
    const routes = dashboardRoutes({ room, lab: labNetwork('127.0.0.1', {}) });
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      mounts: {},
      routes: routes.handle,
      log: () => {},
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const streamed: number[] = [];
    const open = Array.from(
      { length: SSE_LIMITS.maxStreams },
      (_, i) =>
        new Promise<void>((resolve) => {
          streamed[i] = 0;
          get(`${base}/api/stream`, (res) => {
            res.on('data', (b: Buffer) => {
              streamed[i]! += b.length;
            });
            resolve();
          });
        }),
    );
    try {
      await Promise.all(open);
      await new Promise((r) => setTimeout(r, 2500));
      const times: number[] = [];
      for (let i = 0; i < 8; i++) {
        const t0 = performance.now();
        const body = await fetch(`${base}/api/status`).then(
          (r) => r.json() as Promise<{ clients: unknown[] }>,
        );
        times.push(performance.now() - t0);
        assert.equal(body.clients.length, 1024);
        await new Promise((r) => setTimeout(r, 150));
      }
      const worst = Math.max(...times);
      t.diagnostic(
        `/api/status ${times.map((x) => x.toFixed(0)).join(', ')} ms; each stream got ${Math.round(Math.max(...streamed) / 1024)} KiB in ~3 s`,
      );
      assert.ok(
        worst < 200,
        `/api/status took ${times.map((t) => t.toFixed(0)).join(', ')} ms; each stream got ${Math.round(Math.max(...streamed) / 1024)} KiB`,
      );
    } finally {
      routes.close();
      server.closeAllConnections();
      server.close();
    }
  });
});
