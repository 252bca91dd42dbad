import { readFileSync } from 'node:fs';
import { cp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { STATUS_USAGE } from './dashboard/status-command.ts';
import { buildEnv } from './publish/build-env.ts';
import { PROJECT_ROOT } from './publish/phase1-files.ts';
import { hashProgress, printBuild } from './publish/print-build.ts';
import { START_USAGE } from './start/start-args.ts';

const USAGE = `usage: boottorrent <command> DIR

  init DIR    make a skeleton env (Boottorrent.yaml, oss/README.md) in DIR
  build DIR   turn the env DIR into DIR/out/: torrents, torrents.gz, dnsmasq and pxelinux config
  start DIR   build, then serve DIR: dnsmasq (DHCP/TFTP), tracker, seeder, HTTP; Ctrl+C stops all
              options: --seed-limit RATE (e.g. 2M), --seeder aria2|webtorrent, --seeder-port PORT, --no-build
  status [DIR] what the running host sees, client by client (the dashboard at http://host_ip:port/)
              options: --url URL (another dashboard), --json

  boottorrent <command> --help   that command's options;  boottorrent --version
`;

/** Each command's own usage: what `boottorrent <command> --help` prints, and an unknown option with it. */
const USAGES: Record<string, string> = {
  init: `usage: boottorrent init DIR

  make a skeleton env in DIR (which must be empty or not exist): Boottorrent.yaml with every setting
  explained, and oss/README.md on how to add an OS folder`,
  build: `usage: boottorrent build DIR

  turn the env DIR into DIR/out/: a torrent per OS, torrents.gz, dnsmasq.conf, pxelinux and GRUB config;
  a build that fails leaves the previous out/ as it was`,
  start: START_USAGE,
  status: STATUS_USAGE,
};

function version(): string {
  return (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
}

export async function runCli(argv: string[], log = console): Promise<number> {
  const [cmd, ...args] = argv;
  if (cmd === '--version' || cmd === '-V' || cmd === 'version') {
    log.log(`boottorrent ${version()} (node ${process.version})`);
    return 0;
  }
  if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    log.log(USAGE);
    return cmd === undefined ? 2 : 0;
  }
  const usage = USAGES[cmd];
  if (usage === undefined) {
    log.error(`boottorrent: unknown command "${cmd}"\n\n${USAGE}`);
    return 2;
  }
  // before anything else: asking for help must never act (init --help once made a folder named --help)
  const options = args.slice(0, args.includes('--') ? args.indexOf('--') : args.length);
  if (options.includes('--help') || options.includes('-h')) {
    log.log(usage);
    return 0;
  }
  if (cmd === 'start') {
    const { start } = await import('./start/start.ts');
    return start(args, log);
  }
  if (cmd === 'status') {
    const { status } = await import('./dashboard/status-command.ts');
    return status(args, log);
  }
  const unknown = options.find((a) => a.startsWith('-'));
  if (unknown) {
    log.error(`boottorrent ${cmd}: unknown option '${unknown}'\n\n${usage}`);
    return 2;
  }
  const dirs = args.filter((a) => a !== '--');
  if (dirs.length !== 1) {
    log.error(`boottorrent ${cmd}: needs exactly one env folder\n\n${usage}`);
    return 2;
  }
  return cmd === 'init' ? init(dirs[0]!, log) : build(dirs[0]!, log);
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
