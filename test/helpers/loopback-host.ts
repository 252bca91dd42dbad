import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before } from 'node:test';
import { formatProblem, freePort } from '../../client/src/shared.ts';
import { buildEnv, lastBuild, planHost, publishedFiles, serve } from '../../host/src/shared.ts';
import { ORIGINAL_BOOTTORRENT_YAML } from './make-env.ts';

/** Boottorrent.yaml for a swarm on 127.0.0.1 with the tracker on `trackerPort`. */
export function loopbackYaml(trackerPort: number, extra = ''): string {
  return ORIGINAL_BOOTTORRENT_YAML.replace('host_ip: 10.77.0.1', 'host_ip: 127.0.0.1')
    .replace('port: 6969', `port: ${trackerPort}`)
    .replace('seed_time: 30', 'seed_time: 0')
    .concat(extra);
}

/**
 * The host's tracker and seeder (or the tracker alone), and its HTTP server with the dashboard when the
 * env enables it, for an env already built, on loopback: planned and served as `boottorrent start`
 * does, without dnsmasq. stop() ends every process by PID.
 */
export async function startLoopbackHost(
  env: string,
  opts: { seedLimit?: number; seeder?: 'aria2' | 'webtorrent' | 'none' } = {},
) {
  const logs: string[] = [];
  const said: string[] = [];
  const build = await lastBuild(env, { error: (l: string) => said.push(l) } as unknown as Console);
  if (!build) throw new Error(`no build of ${env} to serve: ${said.join('; ')}`);
  await mkdir(path.join(build.out, 'opentracker'), { recursive: true });
  const seederPort = await freePort();
  const plan = planHost(build, {
    dir: env,
    seeder: opts.seeder ?? 'aria2',
    seederPort,
    seedLimit: opts.seedLimit ?? 0,
    programs: { opentracker: 'opentracker', aria2c: 'aria2c' },
    rpc: { port: await freePort(), secret: randomBytes(16).toString('hex') },
    isRoot: process.getuid?.() === 0,
    published: await publishedFiles(build.out),
    noDnsmasq: true,
  });
  const serving = await serve(plan, (name, line) => logs.push(`${name}: ${line}`));
  return {
    logs,
    seederPort,
    /** what the clients reported (nothing without http.enable in the env) */
    room: serving.room,
    stop: () => serving.stop(),
  };
}

/**
 * For the tests of one describe: an env made by `makeEnv` (given a free tracker port), built, and a
 * loopback host serving it; started before them, stopped and removed after. Read `env` and `host` in
 * the tests, not at definition time.
 */
export function loopbackRoom(
  makeEnv: (trackerPort: number) => Promise<string>,
  opts: Parameters<typeof startLoopbackHost>[1] = {},
) {
  const room = {} as { env: string; host: Awaited<ReturnType<typeof startLoopbackHost>> };
  before(async () => {
    room.env = await makeEnv(await freePort());
    const r = await buildEnv(room.env);
    assert.ok(r.ok, r.ok ? '' : r.problems.map(formatProblem).join('\n'));
    room.host = await startLoopbackHost(room.env, opts);
  });
  after(async () => {
    await room.host?.stop();
    if (room.env) await rm(room.env, { recursive: true, force: true });
  });
  return room;
}
