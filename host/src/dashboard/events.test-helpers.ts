import type { AddressInfo } from 'node:net';
import { type ClientEvent, eventFrom } from '../../../client/src/shared.ts';
import { type Mount, startHttpServer } from '../start/http-server.ts';
import { dashboardRoutes } from './dashboard-routes.ts';
import { type Ipv4Net, labNetwork } from './lab-network.ts';
import type { Room } from './room.ts';

/** A client's first event (download has begun) as bttui would post it to a host on loopback. */
export function downloadEvent(o: {
  label: string;
  done?: number;
  total?: number;
  mac?: string;
  link?: { driver?: string; mbps?: number };
}): ClientEvent {
  return eventFrom({
    kind: 'stage',
    stage: 'download',
    mac: o.mac ?? '52:54:00:12:34:01',
    run: 'r',
    seq: 0,
    hostIp: '127.0.0.1',
    engine: 'aria2',
    link: o.link,
    os: { name: 'debian', label: o.label },
    stats: { done: o.done ?? 0, total: o.total ?? 0, downSpeed: 2048, upSpeed: 0, uploaded: 0, peers: 1 },
  });
}

/**
 * The dashboard's routes for `room` on an HTTP server on 127.0.0.1, as start serves them; close() ends
 * the streams, the connections and the server.
 */
export async function serveDashboard(
  room: Room,
  o: { lab?: Ipv4Net; mounts?: Record<string, Mount> } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const routes = dashboardRoutes({ room, lab: o.lab ?? labNetwork('127.0.0.1', {}) });
  const server = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    mounts: o.mounts ?? {},
    routes: routes.handle,
    log: () => {},
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      routes.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
