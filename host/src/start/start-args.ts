import path from 'node:path';
import { parseArgs } from 'node:util';
import { optionError } from '../option-error.ts';

export interface StartOptions {
  dir: string;
  /** bytes/s, 0 = unlimited */
  seedLimit: number;
  seederPort: number;
  seeder: 'aria2' | 'webtorrent';
  noBuild: boolean;
}

export const START_USAGE = `usage: boottorrent start DIR [--seed-limit RATE] [--seeder aria2|webtorrent] [--seeder-port PORT] [--no-build]

  --seed-limit   cap the host seeder's upload (e.g. 2M): clients then feed each other (default: none)
  --seeder       webtorrent (default: sends every piece once before any twice, so the clients hold the
                 OS after one copy) or aria2; each a process of its own, both speak TCP
  --seeder-port  the seeder's BitTorrent port (default 6881)
  --no-build     serve DIR/out as the last build left it (skips hashing large images again)`;

/** `2M`, `500K`, `1.5M`, `1000` → bytes per second. */
export function bytesArg(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([kKmMgG]?)$/.exec(s);
  if (!m) return undefined;
  return Math.round(
    Number(m[1]) * { '': 1, k: 1024, m: 1 << 20, g: 1 << 30 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'],
  );
}

export function parseStartArgs(
  argv: string[],
): { ok: true; opts: StartOptions } | { ok: false; message: string } {
  let parsed: ReturnType<typeof parse>;
  const parse = () =>
    parseArgs({
      args: argv,
      options: {
        'seed-limit': { type: 'string' },
        'seeder-port': { type: 'string', default: '6881' },
        seeder: { type: 'string', default: 'webtorrent' },
        'no-build': { type: 'boolean', default: false },
      },
      allowPositionals: true,
    });
  try {
    parsed = parse();
  } catch (e) {
    return { ok: false, message: optionError(e) };
  }
  const { values: v, positionals } = parsed;
  if (positionals.length !== 1) return { ok: false, message: 'needs exactly one env folder' };
  const seedLimit = v['seed-limit'] === undefined ? 0 : bytesArg(v['seed-limit']);
  if (seedLimit === undefined)
    return { ok: false, message: `--seed-limit "${v['seed-limit']}" is not a rate like 2M or 500K` };
  const seederPort = Number(v['seeder-port']);
  if (!Number.isInteger(seederPort) || seederPort < 1 || seederPort > 65535)
    return { ok: false, message: `--seeder-port "${v['seeder-port']}" is not a port (1-65535)` };
  if (v.seeder !== 'aria2' && v.seeder !== 'webtorrent')
    return { ok: false, message: `--seeder must be aria2 or webtorrent, not "${v.seeder}"` };
  return {
    ok: true,
    opts: {
      dir: path.resolve(positionals[0]!),
      seedLimit,
      seederPort,
      seeder: v.seeder,
      noBuild: v['no-build'],
    },
  };
}
