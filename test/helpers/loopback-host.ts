import { mkdir, readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { freePort } from '../../client/src/engines/free-port.ts';
import { LAB_SWARM } from '../../client/src/engines/swarm-settings.ts';
import {
  aria2SeederArgs,
  BUILD_SUMMARY,
  type BuildResult,
  type Component,
  dashboardRoutes,
  labNetwork,
  opentrackerArgs,
  Room,
  spawnComponent,
  startHttpServer,
  startWebtorrentSeeder,
} from '../../host/src/shared.ts';
import { ORIGINAL_BOOTTORRENT_YAML } from './make-env.ts';

/** Boottorrent.yaml for a swarm on 127.0.0.1 with the tracker on `trackerPort`. */
export function loopbackYaml(trackerPort: number, extra = ''): string {
  return ORIGINAL_BOOTTORRENT_YAML.replace('host_ip: 10.77.0.1', 'host_ip: 127.0.0.1')
    .replace('port: 6969', `port: ${trackerPort}`)
    .replace('seed_time: 30', 'seed_time: 0')
    .concat(extra);
}

/** The host's tracker and seeder (or the tracker alone) for an env already built, on loopback; stop() ends both by PID. */
export async function startLoopbackHost(
  env: string,
  trackerPort: number,
  opts: {
    seedLimit?: number;
    seeder?: 'aria2' | 'webtorrent' | 'none';
    /** the host's dashboard on 127.0.0.1:port, as `boottorrent start` serves it: bttui posts its events there */
    dashboardPort?: number;
  } = {},
) {
  const logs: string[] = [];
  const log = (name: string, line: string) => logs.push(`${name}: ${line}`);
  const out = path.join(env, 'out');
  await mkdir(path.join(out, 'opentracker'), { recursive: true });
  const parts: Component[] = [
    spawnComponent({
      name: 'tracker',
      cmd: 'opentracker',
      args: opentrackerArgs({
        ip: '127.0.0.1',
        port: trackerPort,
        dir: path.join(out, 'opentracker'),
        asRoot: process.getuid?.() === 0,
      }),
      log,
    }),
  ];
  const built = JSON.parse(await readFile(path.join(out, BUILD_SUMMARY), 'utf8')) as BuildResult;
  if (opts.seeder === 'webtorrent') {
    parts.push(
      await startWebtorrentSeeder({
        seeds: built.seeds,
        port: await freePort(),
        swarm: LAB_SWARM,
        log,
      }),
    );
  } else if (opts.seeder !== 'none') {
    parts.push(
      spawnComponent({
        name: 'seeder',
        cmd: 'aria2c',
        args: aria2SeederArgs({
          seedList: path.join(out, 'aria2', 'seed.list'),
          torrents: built.seeds.length,
          listenPort: await freePort(),
          swarm: LAB_SWARM,
          maxUploadLimit: opts.seedLimit,
        }),
        log,
      }),
    );
  }
  const room = new Room({ ip: '127.0.0.1', seeder: opts.seeder ?? 'aria2', startedAt: Date.now() });
  const routes = dashboardRoutes({ room, lab: labNetwork('127.0.0.1', networkInterfaces()) });
  const http =
    opts.dashboardPort === undefined
      ? undefined
      : await startHttpServer({
          host: '127.0.0.1',
          port: opts.dashboardPort,
          mounts: {},
          routes: routes.handle,
          log: (l) => log('http', l),
        });
  room.ready = true;
  return {
    logs,
    /** what the clients reported (empty without a dashboardPort) */
    room,
    async stop() {
      routes.close();
      http?.closeAllConnections();
      await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
      await Promise.all(parts.map((p) => p.stop()));
    },
  };
}
