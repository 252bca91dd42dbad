import { cp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { formatProblem, type Problem } from '../../client/src/config/problem.ts';
import { buildEnv } from './build/build-env.ts';
import { PROJECT_ROOT } from './build/phase1-files.ts';

const USAGE = `usage: boottorrent <command> DIR

  init DIR    make a skeleton env (Boottorrent.yaml, oss/README.md) in DIR
  build DIR   turn the env DIR into DIR/out/: torrents, torrents.gz, dnsmasq and pxelinux config
`;

export async function runCli(argv: string[], log = console): Promise<number> {
  const [cmd, dir, ...rest] = argv;
  if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    log.log(USAGE);
    return cmd === undefined ? 2 : 0;
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
  await cp(path.join(PROJECT_ROOT, 'assets', 'skel'), dir, { recursive: true });
  log.log(
    `made ${dir}: edit Boottorrent.yaml, add OS folders under oss/ (see oss/README.md), then \`boottorrent build ${dir}\``,
  );
  return 0;
}

export async function build(dir: string, log: Console): Promise<number> {
  let last = 0;
  const r = await buildEnv(dir, {
    onProgress: (os, done, total) => {
      // a line every ~5 % for images large enough to take a while; silence for small ones
      if (total < 64 << 20) return;
      const pct = Math.floor((done / total) * 20) * 5;
      if (pct !== last || done === total) log.log(`hashing ${os}: ${pct}% of ${mib(total)}`);
      last = pct;
    },
  });
  printProblems('warning', r.warnings, log);
  if (!r.ok) {
    printProblems('error', r.problems, log);
    log.error(
      `boottorrent build: ${r.problems.length} problem(s); ${path.join(dir, 'out')} was left as it was`,
    );
    return 1;
  }
  for (const o of r.value.oss)
    log.log(
      `${o.name}: ${o.files} file(s), ${mib(o.totalLength)}, pieces of ${o.pieceLength >> 10} KiB, infohash ${o.infohash}`,
    );
  for (const m of r.value.missing)
    log.warn(`warning: Phase-1 file ${m.name} not found; make it with \`${m.makeWith}\``);
  log.log(`wrote ${r.value.out}`);
  return 0;
}

function printProblems(kind: string, ps: Problem[], log: Console): void {
  for (const p of ps) (kind === 'error' ? log.error : log.warn)(`${kind}: ${formatProblem(p)}`);
}

function mib(n: number): string {
  return `${(n / 1048576).toFixed(1)} MiB`;
}
