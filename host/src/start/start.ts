import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { formatBtError, formatProblem, freePort } from '../../../client/src/shared.ts';
import { dashboardRoutes } from '../dashboard/dashboard-routes.ts';
import { labNetwork } from '../dashboard/lab-network.ts';
import { parseLeases } from '../dashboard/leases.ts';
import { Room } from '../dashboard/room.ts';
import { BUILD_SUMMARY, type BuildResult, buildEnv } from '../publish/build-env.ts';
import { hashProgress, printBuild } from '../publish/print-build.ts';
import { QEMU_PROFILE } from '../publish/qemu-profile-out.ts';
import { readEnv } from '../publish/read-env.ts';
import { type Component, spawnComponent } from './component.ts';
import { lockEnv } from './env-lock.ts';
import { startHttpServer } from './http-server.ts';
import { preflight, which } from './preflight.ts';
import { aria2SeederArgs } from './seeder.ts';
import { SeederTotal, seederUploaded, watchSeeder } from './seeder-stats.ts';
import { parseStartArgs, START_USAGE } from './start-args.ts';
import { type Supervised, supervise } from './supervise.ts';
import { opentrackerArgs } from './tracker.ts';
import {
  type SeederReport,
  WEBTORRENT_SEEDER_PROCESS,
  type WebtorrentSeederOptions,
} from './webtorrent-seeder.ts';

/** `<os>/<file>` for every file the torrents publish, as configs.yaml lists them: what web seeds serve. */
async function publishedFiles(out: string): Promise<Set<string>> {
  const configs = yaml.load(await readFile(path.join(out, 'torrents', 'configs.yaml'), 'utf8')) as Record<
    string,
    { files?: Record<string, unknown> }
  >;
  return new Set(
    Object.entries(configs ?? {}).flatMap(([os, c]) =>
      Object.keys(c.files ?? {}).map((f) => path.join(os, f)),
    ),
  );
}

async function freshBuild(dir: string, log: Console): Promise<BuildResult | undefined> {
  const built = await buildEnv(dir, { onProgress: hashProgress(log) });
  return printBuild(built, dir, log) && built.ok ? built.value : undefined;
}

/** The env's config as it is now, and what the last build wrote; refuses when there was none. */
async function lastBuild(dir: string, log: Console): Promise<BuildResult | undefined> {
  const summary = await readFile(path.join(dir, 'out', BUILD_SUMMARY), 'utf8').catch(() => undefined);
  if (!summary) {
    log.error(
      `boottorrent start --no-build: ${path.join(dir, 'out')} has no build; run \`boottorrent build ${dir}\` first`,
    );
    return undefined;
  }
  const env = await readEnv(dir);
  if (!env.ok) {
    for (const p of env.problems) log.error(`error: ${formatProblem(p)}`);
    return undefined;
  }
  return { ...(JSON.parse(summary) as Omit<BuildResult, 'config'>), config: env.value.config };
}

/**
 * `boottorrent start`: build, then run dnsmasq (DHCP/TFTP), the tracker, the seeder and HTTP until
 * Ctrl+C or SIGTERM. A component that dies is started again (supervise.ts) while the others keep serving.
 */
export async function start(argv: string[], log: Console): Promise<number> {
  const args = parseStartArgs(argv);
  if (!args.ok) {
    log.error(`boottorrent start: ${args.message}\n\n${START_USAGE}`);
    return 2;
  }
  const { dir, seedLimit, seederPort, seeder, noBuild } = args.opts;

  const lock = await lockEnv(dir);
  if (!lock.ok) {
    log.error(
      `boottorrent start: ${dir} is already being served (pid ${lock.pid}); stop that one first (kill ${lock.pid})`,
    );
    return 1;
  }
  const parts: Supervised[] = [];
  let http: Server | undefined;
  let stopping = false;
  let stats: ReturnType<typeof watchSeeder> | undefined;
  let dashboard: ReturnType<typeof dashboardRoutes> | undefined;
  let roomTimer: NodeJS.Timeout | undefined;
  const stopAll = async () => {
    stopping = true;
    clearInterval(roomTimer);
    dashboard?.close();
    await stats?.stop();
    await Promise.all(parts.map((p) => p.stop()));
    // idle keep-alive connections would hold close() open: end them first
    http?.closeAllConnections();
    await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
    await lock.release();
  };
  try {
    const env = noBuild ? await lastBuild(dir, log) : await freshBuild(dir, log);
    if (!env) {
      await lock.release();
      return 1;
    }
    const config = env.config;
    const blockers = await preflight(config, { seederPort, seeder, isRoot: process.getuid?.() === 0 });
    if (blockers.length) {
      for (const b of blockers) log.error(`boottorrent start: ${formatBtError(b)}`);
      await lock.release();
      return 1;
    }

    const out = env.out;
    await mkdir(path.join(out, 'logs'), { recursive: true });
    const file = createWriteStream(path.join(out, 'logs', 'host.log'), { flags: 'a' });
    const line = (name: string, l: string) => {
      const text = `${name.padEnd(8)} | ${l}`;
      log.log(text);
      file.write(`${new Date().toISOString()} ${text}\n`);
    };
    const ip = config.boottorrent.host_ip;
    const room = new Room({ ip, seeder, startedAt: Date.now() });
    const run = async (name: string, spawn: () => Component | Promise<Component>) =>
      parts.push(
        await supervise({
          name,
          start: spawn,
          log: (l) => line('boottorrent', l),
          onChange: (s) => room.applyComponent(s),
        }),
      );
    // what the seeder says it sent, summed over its restarts, feeds the log line and the dashboard alike
    const total = new SeederTotal();
    const counted = (read: () => Promise<number | undefined>) => async () => {
      const n = await read();
      if (n === undefined) return undefined;
      const sum = total.add(n);
      room.applySeeder(sum);
      return sum;
    };
    if (config.opentracker.enable) {
      const cmd = (await which('opentracker'))!;
      await run('tracker', () =>
        spawnComponent({
          name: 'tracker',
          cmd,
          args: opentrackerArgs({
            ip,
            port: config.opentracker.port,
            dir: path.join(out, 'opentracker'),
            asRoot: process.getuid?.() === 0,
          }),
          log: line,
        }),
      );
    }
    // an out/ from before the seeds list: every OS from oss/
    const seeds =
      env.seeds ??
      env.oss.map((o) => ({
        torrent: path.join(out, 'torrents', `${o.name}.torrent`),
        dir: path.join(dir, 'oss'),
      }));
    if (seeder === 'webtorrent') {
      let uploaded = 0;
      const options: WebtorrentSeederOptions = {
        seeds,
        port: seederPort,
        swarm: config.aria2,
        uploadLimit: seedLimit,
      };
      await run('seeder', () => {
        uploaded = 0;
        return spawnComponent({
          name: 'seeder',
          cmd: process.execPath,
          args: [WEBTORRENT_SEEDER_PROCESS, JSON.stringify(options)],
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
    } else {
      const rpc = { port: await freePort(), secret: randomBytes(16).toString('hex') };
      const cmd = (await which('aria2c'))!;
      await run('seeder', () =>
        spawnComponent({
          name: 'seeder',
          cmd,
          args: aria2SeederArgs({
            seedList: path.join(out, 'aria2', 'seed.list'),
            torrents: seeds.length,
            listenPort: seederPort,
            swarm: config.aria2,
            maxUploadLimit: seedLimit,
            rpc,
          }),
          log: line,
        }),
      );
      stats = watchSeeder(
        counted(() => seederUploaded(rpc)),
        (l) => line('seeder', l),
      );
    }
    if (config.http.enable) {
      dashboard = dashboardRoutes({ room, lab: labNetwork(ip, networkInterfaces()) });
      const leaseFile = path.join(out, 'dnsmasq', 'dnsmasq.leases');
      const ownLeases = config.dnsmasq.enable_dhcp && !config.dnsmasq.proxy_dhcp;
      roomTimer = setInterval(async () => {
        // only our own DHCP leaves leases (proxy DHCP hands out no address)
        if (ownLeases)
          room.applyLeases(parseLeases(await readFile(leaseFile, 'utf8').catch(() => '')), Date.now());
        room.sample(Date.now());
      }, 2000);
      http = await startHttpServer({
        host: ip,
        port: config.http.port,
        routes: dashboard.handle,
        mounts: {
          '/oss/': { root: path.join(dir, 'oss'), files: await publishedFiles(out) },
          '/profiles/': {
            root: path.join(out, 'profiles'),
            files: new Set([path.join(QEMU_PROFILE.name, QEMU_PROFILE.archive)]),
          },
          '/': { root: path.join(out, 'dnsmasq', 'ph1') },
        },
        log: (l) => line('http', l),
      });
    }
    if (config.dnsmasq.enable_dhcp || config.dnsmasq.enable_tftp) {
      const cmd = (await which('dnsmasq'))!;
      await run('dnsmasq', () =>
        spawnComponent({
          name: 'dnsmasq',
          cmd,
          // no PID file: several envs (and tests) may run side by side
          args: ['-k', '--pid-file=', '-C', path.join(out, 'dnsmasq', 'dnsmasq.conf')],
          log: line,
        }),
      );
    }
    const d = config.dnsmasq;
    log.log(
      [
        `BootTorrent is serving ${dir}`,
        `  on ${d.interface || '(no DHCP)'} as ${ip}: ${d.enable_dhcp ? (d.proxy_dhcp ? `proxy DHCP for ${d.dhcp_range}` : `DHCP ${d.dhcp_range}`) : 'no DHCP'}, ${d.enable_tftp ? 'TFTP' : 'no TFTP'}${config.http.enable ? `, HTTP :${config.http.port}` : ''}`,
        config.http.enable
          ? `  dashboard http://${ip}:${config.http.port}/ (boottorrent status ${dir})`
          : '  dashboard off: it is served with HTTP (http.enable: True in Boottorrent.yaml)',
        `  tracker ${config.opentracker.enable ? `http://${ip}:${config.opentracker.port}/announce` : 'off'}, seeder :${seederPort}${seedLimit ? ` capped at ${seedLimit} B/s` : ''}`,
        ...env.oss.map((o) => `  ${o.name}: ${o.infohash}`),
        `  processes: ${parts.map((p) => `${p.name} ${p.state().pid}`).join(', ')}`,
        '  Ctrl+C stops everything.',
      ].join('\n'),
    );
    room.ready = true;

    // `on`, not `once`: a later signal (a second Ctrl+C) must find a listener of ours, or execa's exit
    // hook re-raises it and the host dies before its children are stopped
    const signal = await new Promise<string>((resolve) => {
      for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, () => resolve(s));
    });
    log.log(`boottorrent: ${signal}, stopping ${parts.map((p) => p.name).join(', ')}`);
    await stopAll();
    return 0;
  } catch (e) {
    if (!stopping) await stopAll();
    log.error(`boottorrent start: ${(e as Error).message}`);
    return 1;
  }
}
