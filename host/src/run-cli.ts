import { cp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { buildEnv } from './build/build-env.ts';
import { PROJECT_ROOT } from './build/phase1-files.ts';
import { hashProgress, printBuild } from './build/print-build.ts';

const USAGE = `usage: boottorrent <command> DIR

  init DIR    make a skeleton env (Boottorrent.yaml, oss/README.md) in DIR
  build DIR   turn the env DIR into DIR/out/: torrents, torrents.gz, dnsmasq and pxelinux config
  start DIR   build, then serve DIR: dnsmasq (DHCP/TFTP), tracker, seeder, HTTP; Ctrl+C stops all
              options: --seed-limit RATE (e.g. 2M), --seeder aria2|webtorrent, --seeder-port PORT, --no-build
  status [DIR] what the running host sees, client by client (the dashboard at http://host_ip:port/)
              options: --url URL (another dashboard), --json
`;

export async function runCli(argv: string[], log = console): Promise<number> {
  const [cmd, dir, ...rest] = argv;
  if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    log.log(USAGE);
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === 'start') {
    const { start } = await import('./start/start.ts');
    return start(argv.slice(1), log);
  }
  if (cmd === 'status') {
    const { status } = await import('./dashboard/status-command.ts');
    return status(argv.slice(1), log);
  }
  if (!dir || rest.length) {
    log.error(`boottorrent ${cmd}: needs exactly one env folder\n\n${USAGE}`);
    return 2;
  }
  switch (cmd) {
    case 'init':
      return init(dir, log);
    case 'build':
      return build(dir, log);
    default:
      log.error(`boottorrent: unknown command "${cmd}"\n\n${USAGE}`);
      return 2;
  }
}

async function init(dir: string, log: Console): Promise<number> {
  const existing = await readdir(dir).catch(() => []);
  if (existing.length) {
    log.error(`boottorrent init: ${dir} is not empty; nothing was written`);
    return 1;
  }
  try {
    await cp(path.join(PROJECT_ROOT, 'assets', 'skel'), dir, { recursive: true });
  } catch (e) {
    log.error(`boottorrent init: cannot write ${dir}: ${(e as Error).message}`);
    return 1;
  }
  log.log(
    `made ${dir}: edit Boottorrent.yaml, add OS folders under oss/ (see oss/README.md), then \`boottorrent build ${dir}\``,
  );
  return 0;
}

export async function build(dir: string, log: Console): Promise<number> {
  return printBuild(await buildEnv(dir, { onProgress: hashProgress(log) }), dir, log) ? 0 : 1;
}
