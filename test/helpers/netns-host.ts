import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { LAB_SWARM } from '../../client/src/shared.ts';
import {
  aria2SeederArgs,
  opentrackerArgs,
  spawnComponent,
  WEBTORRENT_SEEDER_PROCESS,
  type WebtorrentSeederOptions,
} from '../../host/src/shared.ts';
import { LabNet } from '../../tools/lab/netns.ts';
import { BOOTTORRENT_CLI } from '../../tools/lib/paths.ts';

export interface NetnsHost {
  net: LabNet;
  /** the client namespace, its eth0 at 10.79.0.20 on the host's bridge */
  client: string;
  env: string;
  /** a scratch folder for the client, removed afterwards */
  work: string;
  output: () => string;
  hostLog: () => Promise<string>;
}

/**
 * `boottorrent start ARGS` for the env `makeEnv` writes (its host at 10.79.0.1 on a bridge named
 * btbr0), in a fresh namespace with one client namespace; everything is stopped by PID and removed after
 * `body`, and no process may be left.
 */
export async function withNetnsHost(
  name: string,
  o: { makeEnv: () => Promise<string>; args?: string[] },
  body: (h: NetnsHost) => Promise<void>,
) {
  const net = new LabNet(`bt-${name}-${process.pid}`, '10.79.0');
  const client = net.addClient('c1');
  await execa('ip', ['-n', client, 'addr', 'replace', '10.79.0.20/24', 'dev', 'eth0']);
  const env = await o.makeEnv();
  const work = await mkdtemp(path.join(tmpdir(), 'bt-leech-'));
  let output = '';
  const host = execa(
    'ip',
    ['netns', 'exec', net.ns, process.execPath, BOOTTORRENT_CLI, 'start', env, ...(o.args ?? [])],
    { reject: false, all: true, stdin: 'ignore', buffer: false },
  );
  host.all!.on('data', (b: Buffer) => {
    output += b.toString();
  });
  let exited = false;
  void host.finally(() => {
    exited = true;
  });
  try {
    for (const until = Date.now() + 60_000; !/Ctrl\+C stops everything/.test(output); ) {
      if (Date.now() > until || exited) throw new Error(`the host did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await body({
      net,
      client,
      env,
      work,
      output: () => output,
      hostLog: () => readFile(path.join(env, 'out', 'logs', 'host.log'), 'utf8'),
    });
  } finally {
    host.kill('SIGTERM');
    await host;
    const left = await net.destroy();
    await rm(env, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
    assert.deepEqual(left, [], 'no process left in the namespaces');
  }
}

/** A plain aria2c in the client's namespace fetches one OS of the env into `dir`, leaving when done. */
export function leech(h: NetnsHost, os: string, dir: string) {
  return execa(
    'ip',
    [
      'netns',
      'exec',
      h.client,
      'aria2c',
      '--seed-time=0',
      '--enable-dht=false',
      '--bt-enable-lpd=false',
      `--dir=${dir}`,
      path.join(h.env, 'out', 'torrents', `${os}.torrent`),
    ],
    { reject: false, all: true, timeout: 60_000 },
  );
}

/**
 * The host's tracker and seeder in `net`'s namespace, started as `boottorrent start` starts them but
 * without its supervision: a seeder killed here stays dead. For an env already built for net.hostIp.
 */
export async function startBareHost(
  net: LabNet,
  env: string,
  o: { seeder: 'aria2' | 'webtorrent'; seedLimit?: number },
) {
  const built = JSON.parse(await readFile(path.join(env, 'out', 'build.json'), 'utf8')) as {
    seeds: { torrent: string; dir: string }[];
  };
  await mkdir(path.join(env, 'out', 'opentracker'), { recursive: true });
  const inNs = (name: string, cmd: string, args: string[]) =>
    spawnComponent({ name, cmd: 'ip', args: ['netns', 'exec', net.ns, cmd, ...args], log: () => {} });
  const tracker = inNs(
    'tracker',
    'opentracker',
    opentrackerArgs({ ip: net.hostIp, port: 6969, dir: path.join(env, 'out', 'opentracker'), asRoot: true }),
  );
  const seeder =
    o.seeder === 'aria2'
      ? inNs(
          'seeder',
          'aria2c',
          aria2SeederArgs({
            seedList: path.join(env, 'out', 'aria2', 'seed.list'),
            torrents: built.seeds.length,
            listenPort: 6881,
            swarm: LAB_SWARM,
            maxUploadLimit: o.seedLimit,
          }),
        )
      : inNs('seeder', process.execPath, [
          WEBTORRENT_SEEDER_PROCESS,
          JSON.stringify({
            seeds: built.seeds,
            port: 6881,
            swarm: LAB_SWARM,
            uploadLimit: o.seedLimit,
          } satisfies WebtorrentSeederOptions),
        ]);
  return {
    /** SIGKILL, as a crash; the tracker stays */
    async killSeeder() {
      // `ip netns exec` became the program: its PID is the seeder's
      if (seeder.pid) process.kill(seeder.pid, 'SIGKILL');
      await seeder.exited;
    },
    async stop() {
      await Promise.all([seeder.stop(), tracker.stop()]);
    },
  };
}
