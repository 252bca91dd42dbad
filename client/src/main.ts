import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';
import { dryRunBooter, noExecBooter } from './boot/booter.ts';
import { realBooter } from './boot/real-booter.ts';
import { verifyFiles } from './boot/verify-files.ts';
import { parseBttuiArgs, USAGE } from './cli-args.ts';
import { checkClientConfig } from './config/client-config.ts';
import { consoleSafe } from './config/console-text.ts';
import { formatProblem } from './config/problem.ts';
import { PROFILES_FILE } from './config/profiles-config.ts';
import { btError, formatBtError } from './core/bt-error.ts';
import { LIMITS } from './core/limits.ts';
import { noNetwork } from './core/network-cause.ts';
import { aria2Engine } from './engines/aria2-engine.ts';
import type { DownloadEngine } from './engines/engine.ts';
import { startFractionOf } from './engines/piece-start.ts';
import { webtorrentEngine } from './engines/webtorrent-engine.ts';
import { bootEvents, NO_EVENTS } from './events/boot-events.ts';
import { eventsUrl } from './events/client-event.ts';
import { httpEventSink } from './events/http-event-sink.ts';
import { runFlow } from './flow/run-flow.ts';
import { realClock } from './flow/watch-transfer.ts';
import {
  readBootLink,
  readCmdline,
  readDiskFree,
  readLockdown,
  readMacs,
  readMemAvailable,
  readNetFacts,
} from './machine-facts.ts';
import { plainUi } from './ui/plain-ui.ts';
import { safeUi } from './ui/safe-ui.ts';
import type { Ui } from './ui/ui.ts';

export const VERSION = '0.1.0';
const LOG = '/tmp/bttui.log';

function log(line: string): void {
  try {
    appendFileSync(LOG, `${new Date().toISOString()} ${line}\n`);
  } catch {
    // the log is a help, never a reason to fail
  }
}

class TooLarge extends Error {}

function readConfigFile(file: string): string {
  const size = statSync(file).size;
  if (size > LIMITS.maxConfigBytes)
    throw new TooLarge(`${file} is ${size} bytes, more than the ${LIMITS.maxConfigBytes} bttui reads`);
  return readFileSync(file, 'utf8');
}

/** A serial line or a pipe gets plain lines; the Linux console gets the full-screen menu. */
function pickUi(mode: 'auto' | 'plain' | 'tui', cmdline: Map<string, string>): 'plain' | 'tui' {
  const asked = mode !== 'auto' ? mode : cmdline.get('bt.ui');
  if (asked === 'plain' || asked === 'tui') return asked;
  if (!process.stdout.isTTY || !process.stdin.isTTY || process.env.TERM === 'dumb') return 'plain';
  try {
    const tty = path.basename(readlinkSync('/proc/self/fd/0'));
    if (/^tty(S|AMA|USB)\d+$/.test(tty)) return 'plain';
  } catch {
    // no /proc: assume a console
  }
  return 'tui';
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseBttuiArgs(argv);
  if (!parsed.ok) {
    console.error(`bttui: ${parsed.message}\n\n${USAGE}`);
    return 2;
  }
  const args = parsed.args;
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.version) {
    console.log(`bttui ${VERSION} (node ${process.version})`);
    return 0;
  }
  const cmdline = await readCmdline(args.proc);
  const btFile = path.join(args.root, 'Boottorrent.yaml');
  const cfFile = path.join(args.root, 'configs.yaml');
  let checked: ReturnType<typeof checkClientConfig>;
  try {
    const pfFile = path.join(args.root, PROFILES_FILE);
    checked = checkClientConfig(
      { text: readConfigFile(btFile), file: btFile },
      { text: readConfigFile(cfFile), file: cfFile },
      existsSync(pfFile) ? { text: readConfigFile(pfFile), file: pfFile } : undefined,
    );
  } catch (e) {
    console.error(
      consoleSafe(
        `bttui: ${formatBtError(
          btError(
            `cannot read the host's configuration: ${(e as Error).message}`,
            e instanceof TooLarge
              ? 'an OS folder with thousands of files makes configs.yaml this large; pack them into an image on the host (`boottorrent build` now refuses it).'
              : 'torrents.gz was not loaded; check INITRD in pxelinux.cfg on the host.',
          ),
        )}`,
      ),
    );
    return 1;
  }
  for (const w of checked.warnings) log(`warning: ${formatProblem(w)}`);
  if (!checked.ok) {
    const list = checked.problems.map((p) => `\n  ${formatProblem(p)}`).join('');
    console.error(
      `bttui: ${formatBtError(
        btError(
          `the configuration from the host has problems:${list}`,
          'fix them on the host, run `boottorrent start` again and reboot this client.',
        ),
      )}`,
    );
    return 1;
  }
  const config = checked.value;
  const macs = await readMacs(args.sys);
  const engineName = args.engine ?? config.settings.boottorrent.engine;
  const engine: DownloadEngine =
    engineName === 'webtorrent'
      ? webtorrentEngine({ swarm: config.settings.aria2, startFraction: startFractionOf(macs[0] ?? '') })
      : aria2Engine({ swarm: config.settings.aria2, logFile: '/tmp/bttui-aria2.log' });

  const uiKind = pickUi(args.ui, cmdline);
  const ui: Ui = safeUi(uiKind === 'tui' ? (await import('./ui/blessed-ui.ts')).blessedUi() : plainUi());
  const logged: Ui = {
    ...ui,
    info: (l) => {
      log(l);
      ui.info(l);
    },
    error: (e) => {
      log(`error: ${formatBtError(e, '')}${e.detail ? ` (${e.detail})` : ''}`.replace('\n', ' '));
      ui.error(e);
    },
  };
  log(`bttui ${VERSION} starting: engine ${engine.name}, ui ${uiKind}, root ${args.root}`);
  const { host_ip } = config.settings.boottorrent;
  // the host's dashboard listens where it serves Phase 1 over HTTP; a machine without a MAC has no row
  const sink =
    config.settings.http.enable && macs[0]
      ? httpEventSink({ url: eventsUrl(host_ip, config.settings.http.port), log })
      : NO_EVENTS;
  // the card it boots over: its MAC is the one the host's DHCP lease knows (a PC may have two cards)
  // (one /sys does not show, as a test's own folder, is not this machine's)
  const found = await readBootLink(args.sys);
  const link = found && macs.includes(found.mac) ? found : undefined;
  const events = bootEvents(sink, {
    mac: link?.mac ?? macs[0] ?? '',
    link,
    run: randomBytes(6).toString('hex'),
    hostIp: host_ip,
    engine: engine.name,
  });
  const say = (l: string) => logged.info(l);
  const real = realBooter(undefined, log, { system: args.system, sys: args.sys, proc: args.proc, say });
  // the last effect wrapped, not a flag threaded through the flow
  const booter = args.dryRun ? dryRunBooter(real, say) : args.noExec ? noExecBooter(real, say) : real;
  try {
    const end = await runFlow({
      config,
      rootDir: args.root,
      dataDir: args.data,
      engine,
      booter,
      ui: logged,
      events,
      clock: realClock,
      memAvailable: () => readMemAvailable(args.proc),
      diskFree: readDiskFree,
      lockdown: () => readLockdown(args.sys),
      verify: verifyFiles,
      checkNetwork: async () => noNetwork(await readNetFacts(args.sys, args.system, args.kmsg)),
      once: args.once,
      cmdline,
      macs,
    });
    ui.close();
    // what the last attempt reported reaches the host before bttui exits (bounded: the host may be gone)
    await sink.flush(1000);
    if (end.kind === 'shell') {
      console.log('bttui: leaving to a shell; exit it to come back to the menu.');
      spawnSync(process.env.SHELL || '/bin/sh', ['-l'], { stdio: 'inherit' });
      return 0;
    }
    return end.code;
  } catch (e) {
    ui.close();
    // a bug, not a user error: one line on screen, the stack in the log
    log(`internal error: ${(e as Error).stack ?? String(e)}`);
    console.error(
      `bttui: ${formatBtError(btError(`internal error: ${(e as Error).message}`, `the details are in ${LOG}; please report them.`))}`,
    );
    return 70;
  }
}
