import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { networkInterfaces } from 'node:os';
import { dashboardRoutes } from '../dashboard/dashboard-routes.ts';
import { labNetwork } from '../dashboard/lab-network.ts';
import { parseLeases } from '../dashboard/leases.ts';
import { Room } from '../dashboard/room.ts';
import { type Component, spawnComponent } from './component.ts';
import type { HostPlan, ProgramSpec } from './host-plan.ts';
import { startHttpServer } from './http-server.ts';
import { SeederTotal, seederUploaded, watchSeeder } from './seeder-stats.ts';
import { type Supervised, supervise } from './supervise.ts';
import { type SeederReport, WEBTORRENT_SEEDER_PROCESS } from './webtorrent-seeder.ts';

export interface Serving {
  room: Room;
  parts: Supervised[];
  /** stops everything it started, by PID, and the HTTP server; safe to call twice */
  stop(): Promise<void>;
}

/**
 * Starts what `plan` says, in order (tracker, seeder, HTTP with the dashboard, dnsmasq last: a client
 * that gets its lease finds the rest up), each supervised: one that dies is started again while the
 * others keep serving. `line` gets every component's output as `name | text`. If a start fails, what
 * already runs is stopped before the error is passed on.
 */
export async function serve(plan: HostPlan, line: (name: string, text: string) => void): Promise<Serving> {
  const room = new Room({ ip: plan.ip, seeder: plan.seederName, startedAt: Date.now() });
  const parts: Supervised[] = [];
  let http: Server | undefined;
  let stats: ReturnType<typeof watchSeeder> | undefined;
  let dashboard: ReturnType<typeof dashboardRoutes> | undefined;
  let roomTimer: NodeJS.Timeout | undefined;
  let stopped: Promise<void> | undefined;
  const stopAll = async () => {
    clearInterval(roomTimer);
    dashboard?.close();
    await stats?.stop();
    await Promise.all(parts.map((p) => p.stop()));
    // idle keep-alive connections would hold close() open: end them first
    http?.closeAllConnections();
    await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
  };
  const stop = () => {
    stopped ??= stopAll();
    return stopped;
  };
  const run = async (name: string, spawn: () => Component | Promise<Component>) =>
    parts.push(
      await supervise({
        name,
        start: spawn,
        log: (l) => line('boottorrent', l),
        onChange: (s) => room.applyComponent(s),
      }),
    );
  const program = (p: ProgramSpec) => () => spawnComponent({ ...p, log: line });
  try {
    if (plan.tracker) await run('tracker', program(plan.tracker));
    // what the seeder says it sent, summed over its restarts, feeds the log line and the dashboard alike
    const total = new SeederTotal();
    const counted = (read: () => Promise<number | undefined>) => async () => {
      const n = await read();
      if (n === undefined) return undefined;
      const sum = total.add(n);
      room.applySeeder(sum);
      return sum;
    };
    const s = plan.seeder;
    if (s?.kind === 'webtorrent') {
      let uploaded = 0;
      await run('seeder', () => {
        uploaded = 0;
        return spawnComponent({
          name: 'seeder',
          cmd: process.execPath,
          args: [WEBTORRENT_SEEDER_PROCESS, JSON.stringify(s.options)],
          log: line,
          onMessage: (m) => {
            uploaded = (m as SeederReport).uploaded;
          },
        });
      });
      stats = watchSeeder(
        counted(async () => uploaded),
        (l) => line('seeder', l),
      );
    } else if (s?.kind === 'aria2') {
      await run('seeder', program(s.program));
      stats = watchSeeder(
        counted(() => seederUploaded(s.rpc)),
        (l) => line('seeder', l),
      );
    }
    const h = plan.http;
    if (h) {
      dashboard = dashboardRoutes({ room, lab: labNetwork(plan.ip, networkInterfaces()) });
      roomTimer = setInterval(async () => {
        if (h.leases)
          room.applyLeases(parseLeases(await readFile(h.leases, 'utf8').catch(() => '')), Date.now());
        room.sample(Date.now());
      }, 2000);
      http = await startHttpServer({
        host: plan.ip,
        port: h.port,
        routes: dashboard.handle,
        mounts: h.mounts,
        log: (l) => line('http', l),
      });
    }
    if (plan.dnsmasq) await run('dnsmasq', program(plan.dnsmasq));
  } catch (e) {
    await stop();
    throw e;
  }
  room.ready = true;
  return { room, parts, stop };
}
