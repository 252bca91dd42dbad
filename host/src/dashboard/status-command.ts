import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import axios from 'axios';
import {
  btError,
  checkBoottorrentConfig,
  formatBtError,
  formatProblem,
  parseYaml,
} from '../../../client/src/shared.ts';
import { optionError } from '../option-error.ts';
import { formatStatus } from './format-status.ts';
import type { Status } from './room.ts';

export const STATUS_USAGE = `usage: boottorrent status [DIR] [--url URL] [--json]

  what the running host sees: each client's stage, progress and sources (the dashboard, in the terminal)
  DIR     the env being served (default: .); its Boottorrent.yaml gives host_ip and http.port
  --url   ask this dashboard instead, e.g. http://127.0.0.1:8000 (the demo's forwarded port)
  --json  print /api/status as it is`;

/** Where the env's dashboard answers: http://host_ip:port, from its Boottorrent.yaml. */
async function envUrl(dir: string): Promise<{ url: string } | { error: string }> {
  const file = path.join(dir, 'Boottorrent.yaml');
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return { error: `${file} cannot be read; name the env folder, or give --url` };
  const parsed = parseYaml(text, file);
  if ('problem' in parsed) return { error: formatProblem(parsed.problem) };
  const c = checkBoottorrentConfig(parsed.value, file);
  if (!c.ok) return { error: c.problems.map(formatProblem).join('\n') };
  if (!c.value.http.enable)
    return { error: `${file}: http.enable is false, so the host serves no dashboard (set it to True)` };
  return { url: `http://${c.value.boottorrent.host_ip}:${c.value.http.port}` };
}

export async function status(argv: string[], log: Console): Promise<number> {
  let values: { url?: string | undefined; json?: boolean | undefined };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: { url: { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: true,
    }));
  } catch (e) {
    log.error(`boottorrent status: ${optionError(e)}\n\n${STATUS_USAGE}`);
    return 2;
  }
  if (positionals.length > 1) {
    log.error(`boottorrent status: one env folder at most\n\n${STATUS_USAGE}`);
    return 2;
  }
  const where = values.url ? { url: values.url.replace(/\/+$/, '') } : await envUrl(positionals[0] ?? '.');
  if ('error' in where) {
    log.error(`boottorrent status: ${where.error}`);
    return 1;
  }
  let s: Status;
  try {
    s = (await axios.get<Status>(`${where.url}/api/status`, { timeout: 5000, proxy: false })).data;
  } catch (e) {
    log.error(
      `boottorrent status: ${formatBtError(
        btError(
          `no dashboard answers at ${where.url} (${(e as Error).message})`,
          'is `boottorrent start` running for this env? In the demo, use the URL it printed (--url).',
        ),
      )}`,
    );
    return 1;
  }
  log.log(values.json ? JSON.stringify(s, null, 2) : formatStatus(s));
  return 0;
}
