import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { formatBtError, freePort } from '../../../client/src/shared.ts';
import { freshBuild, lastBuild, publishedFiles } from './env-build.ts';
import { lockEnv } from './env-lock.ts';
import { planHost } from './host-plan.ts';
import { preflight } from './preflight.ts';
import { type Serving, serve } from './serve.ts';
import { parseStartArgs, START_USAGE } from './start-args.ts';

/**
 * `boottorrent start`: build, then run dnsmasq (DHCP/TFTP), the tracker, the seeder and HTTP until
 * Ctrl+C or SIGTERM: check (preflight), plan (host-plan.ts, pure), serve (serve.ts). A component that
 * dies is started again while the others keep serving.
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
  let serving: Serving | undefined;
  try {
    const env = noBuild ? await lastBuild(dir, log) : await freshBuild(dir, log);
    if (!env) return 1;
    const isRoot = process.getuid?.() === 0;
    const checked = await preflight(env.config, { seederPort, seeder, isRoot });
    if (checked.blockers.length) {
      for (const b of checked.blockers) log.error(`boottorrent start: ${formatBtError(b)}`);
      return 1;
    }
    const plan = planHost(env, {
      dir,
      seeder,
      seederPort,
      seedLimit,
      programs: checked.programs,
      rpc: { port: await freePort(), secret: randomBytes(16).toString('hex') },
      isRoot,
      published: await publishedFiles(env.out),
    });
    await mkdir(path.join(env.out, 'logs'), { recursive: true });
    const file = createWriteStream(path.join(env.out, 'logs', 'host.log'), { flags: 'a' });
    const line = (name: string, l: string) => {
      const text = `${name.padEnd(8)} | ${l}`;
      log.log(text);
      file.write(`${new Date().toISOString()} ${text}\n`);
    };
    serving = await serve(plan, line);
    const parts = serving.parts;
    log.log(
      [
        ...plan.banner,
        `  processes: ${parts.map((p) => `${p.name} ${p.state().pid}`).join(', ')}`,
        '  Ctrl+C stops everything.',
      ].join('\n'),
    );
    // `on`, not `once`: a later signal (a second Ctrl+C) must find a listener of ours, or execa's exit
    // hook re-raises it and the host dies before its children are stopped
    const signal = await new Promise<string>((resolve) => {
      for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, () => resolve(s));
    });
    log.log(`boottorrent: ${signal}, stopping ${parts.map((p) => p.name).join(', ')}`);
    return 0;
  } catch (e) {
    log.error(`boottorrent start: ${(e as Error).message}`);
    return 1;
  } finally {
    await serving?.stop();
    await lock.release();
  }
}
