import path from 'node:path';
import type { BuildResult } from '../publish/build-env.ts';
import { QEMU_PROFILE } from '../publish/qemu-profile-out.ts';
import { bootChains } from './boot-chains.ts';
import type { Mount } from './http-server.ts';
import { aria2SeederArgs } from './seeder.ts';
import { opentrackerArgs } from './tracker.ts';
import type { WebtorrentSeederOptions } from './webtorrent-seeder.ts';

/** A program the host runs and supervises, as it will be started. */
export interface ProgramSpec {
  name: 'tracker' | 'seeder' | 'dnsmasq';
  cmd: string;
  args: string[];
}

export type SeederPlan =
  | { kind: 'webtorrent'; options: WebtorrentSeederOptions }
  | { kind: 'aria2'; program: ProgramSpec; rpc: { port: number; secret: string } };

/** What `boottorrent start` will run for an env, decided before anything runs: see serve.ts. */
export interface HostPlan {
  dir: string;
  out: string;
  ip: string;
  seederName: 'aria2' | 'webtorrent';
  tracker?: ProgramSpec;
  seeder?: SeederPlan;
  /** Phase-1 files, OS folders and the qemu profile over HTTP, with the dashboard's routes */
  http?: {
    port: number;
    mounts: Record<string, Mount>;
    /** dnsmasq's lease file, when its own DHCP hands out the addresses (proxy DHCP leaves none) */
    leases?: string;
  };
  dnsmasq?: ProgramSpec;
  /** what the console says once it serves (the processes' PIDs are added then) */
  banner: string[];
}

export interface HostOptions {
  dir: string;
  /** `none`: the tracker alone (a test that brings its own peers) */
  seeder: 'aria2' | 'webtorrent' | 'none';
  seederPort: number;
  /** bytes/s, 0 = unlimited */
  seedLimit: number;
  /** the programs' paths, as preflight found them */
  programs: Partial<Record<'opentracker' | 'aria2c' | 'dnsmasq', string>>;
  /** the aria2 seeder's RPC, where its upload count is read */
  rpc: { port: number; secret: string };
  isRoot: boolean;
  /** `<os>/<file>` of every file the torrents publish: all that /oss/ may serve (web seeds) */
  published: Set<string>;
  /** leave dnsmasq out though the env asks for DHCP or TFTP (a host on loopback) */
  noDnsmasq?: boolean;
}

/** The plan for `build`'s env: pure, so every choice is a value a test can read. */
export function planHost(build: BuildResult, o: HostOptions): HostPlan {
  const c = build.config;
  const out = build.out;
  const ip = c.boottorrent.host_ip;
  const need = (p: keyof HostOptions['programs']) => {
    const found = o.programs[p];
    // preflight refuses to start without them: a plan without one is a caller's mistake
    if (!found) throw new Error(`planHost: no path for ${p}`);
    return found;
  };
  const tracker: ProgramSpec | undefined = c.opentracker.enable
    ? {
        name: 'tracker',
        cmd: need('opentracker'),
        args: opentrackerArgs({
          ip,
          port: c.opentracker.port,
          dir: path.join(out, 'opentracker'),
          asRoot: o.isRoot,
        }),
      }
    : undefined;
  // an out/ from before the seeds list: every OS from oss/
  const seeds =
    build.seeds ??
    build.oss.map((x) => ({
      torrent: path.join(out, 'torrents', `${x.name}.torrent`),
      dir: path.join(o.dir, 'oss'),
    }));
  const seeder: SeederPlan | undefined =
    o.seeder === 'webtorrent'
      ? {
          kind: 'webtorrent',
          options: { seeds, port: o.seederPort, swarm: c.aria2, uploadLimit: o.seedLimit },
        }
      : o.seeder === 'aria2'
        ? {
            kind: 'aria2',
            rpc: o.rpc,
            program: {
              name: 'seeder',
              cmd: need('aria2c'),
              args: aria2SeederArgs({
                seedList: path.join(out, 'aria2', 'seed.list'),
                torrents: seeds.length,
                listenPort: o.seederPort,
                swarm: c.aria2,
                maxUploadLimit: o.seedLimit,
                rpc: o.rpc,
              }),
            },
          }
        : undefined;
  const d = c.dnsmasq;
  const http: HostPlan['http'] = c.http.enable
    ? {
        port: c.http.port,
        mounts: {
          '/oss/': { root: path.join(o.dir, 'oss'), files: o.published },
          '/profiles/': {
            root: path.join(out, 'profiles'),
            files: new Set([path.join(QEMU_PROFILE.name, QEMU_PROFILE.archive)]),
          },
          '/': { root: path.join(out, 'dnsmasq', 'ph1') },
        },
        ...(d.enable_dhcp && !d.proxy_dhcp ? { leases: path.join(out, 'dnsmasq', 'dnsmasq.leases') } : {}),
      }
    : undefined;
  const dnsmasq: ProgramSpec | undefined =
    (d.enable_dhcp || d.enable_tftp) && !o.noDnsmasq
      ? {
          name: 'dnsmasq',
          cmd: need('dnsmasq'),
          // no PID file: several envs (and tests) may run side by side
          args: ['-k', '--pid-file=', '-C', path.join(out, 'dnsmasq', 'dnsmasq.conf')],
        }
      : undefined;
  const banner = [
    `BootTorrent is serving ${o.dir}`,
    `  on ${d.interface || '(no DHCP)'} as ${ip}: ${d.enable_dhcp ? (d.proxy_dhcp ? `proxy DHCP for ${d.dhcp_range}` : `DHCP ${d.dhcp_range}`) : 'no DHCP'}, ${d.enable_tftp ? 'TFTP' : 'no TFTP'}${http ? `, HTTP :${http.port}` : ''}`,
    http
      ? `  dashboard http://${ip}:${http.port}/ (boottorrent status ${o.dir})`
      : '  dashboard off: it is served with HTTP (http.enable: True in Boottorrent.yaml)',
    ...bootChains(c),
    `  tracker ${tracker ? `http://${ip}:${c.opentracker.port}/announce` : 'off'}, seeder :${o.seederPort}${o.seedLimit ? ` capped at ${o.seedLimit} B/s` : ''}`,
    ...build.oss.map((x) => `  ${x.name}: ${x.infohash}`),
  ];
  return {
    dir: o.dir,
    out,
    ip,
    seederName: o.seeder === 'none' ? 'aria2' : o.seeder,
    ...(tracker ? { tracker } : {}),
    ...(seeder ? { seeder } : {}),
    ...(http ? { http } : {}),
    ...(dnsmasq ? { dnsmasq } : {}),
    banner,
  };
}
