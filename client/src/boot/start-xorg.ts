import { readFile } from 'node:fs/promises';
import { type BtError, btError } from '../core/bt-error.ts';
import { LIMITS } from '../core/limits.ts';
import { loadExeca } from '../lazy-deps.ts';

export const XORG_LOG = '/tmp/Xorg.bttui.log';

/**
 * What an Xorg log says killed it: the lines after "Fatal server error:", else its error lines without
 * the routine ones (a module it tried and did without, an empty "(EE)"), else its last lines. Pure.
 */
export function xorgCause(log: string): string {
  const lines = log.split('\n').map((l) => l.replace(/^\[\s*[\d.]+\]\s*/, '').trimEnd());
  const fatal = lines.findIndex((l) => /Fatal server error:/.test(l));
  if (fatal >= 0) {
    const after: string[] = [];
    for (const l of lines.slice(fatal + 1)) {
      if (/^\(EE\)\s*$/.test(l) || /^Please consult/.test(l) || l === '') break;
      after.push(l);
    }
    if (after.length) return after.join('\n');
  }
  const routine = /Failed to load module|^\(EE\)\s*$|No input driver matching|Failed to load .*\.so/;
  const errors = lines.filter((l) => /\(EE\)|Fatal|error/i.test(l) && !routine.test(l));
  return (errors.length ? errors : lines.filter(Boolean)).slice(-3).join('\n');
}

/**
 * Starts Xorg and waits until it says (via -displayfd) which display is ready, within `boundMs` (a
 * minute: a slow machine with a big framebuffer takes its time, and running out of it is said as time,
 * not as Xorg's routine complaints).
 */
export async function startXorg(o: {
  bin: string;
  conf: string;
  log: (l: string) => void;
  missingHint: string;
  boundMs?: number;
  logFile?: string;
}): Promise<{ error: BtError } | { display: string; stop: () => Promise<void> }> {
  const boundMs = o.boundMs ?? LIMITS.xorgStartupMs;
  const logFile = o.logFile ?? XORG_LOG;
  const args = ['-config', o.conf, '-logfile', logFile, '-displayfd', '3', '-nolisten', 'tcp'];
  o.log(`run: ${o.bin} ${args.join(' ')}`);
  const execa = await loadExeca();
  const child = execa(o.bin, args, {
    reject: false,
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    buffer: false,
    // stop() sends SIGTERM; an Xorg that ignores it is killed 3 s later
    forceKillAfterDelay: 3000,
  });
  const fd3 = child.stdio[3] as NodeJS.ReadableStream;
  let said = '';
  let exited: { code?: string; exitCode?: number; signal?: string } | undefined;
  void child.then((r) => {
    exited = r as typeof exited;
  });
  const ready = new Promise<string | undefined>((resolve) => {
    fd3.on('data', (b: Buffer) => {
      said += b.toString();
      if (said.includes('\n')) resolve(said.trim());
    });
    void child.then(() => resolve(undefined));
    setTimeout(() => resolve(undefined), boundMs).unref();
  });
  const display = await ready;
  const stop = async () => {
    child.kill('SIGTERM');
    await child;
  };
  if (display !== undefined && /^\d+$/.test(display)) return { display, stop };
  // what ended the wait: Xorg gone (it says why in its log), or the bound with Xorg still starting
  await Promise.race([child, new Promise((r) => setTimeout(r, 10))]);
  const gone = exited;
  await stop();
  if (gone?.code === 'ENOENT')
    return { error: btError(`${o.bin} is not on this Phase-1 system.`, o.missingHint) };
  const log = await readFile(logFile, 'utf8').catch(() => '');
  if (!gone)
    return {
      error: btError(
        `The graphical display (Xorg) was still starting after ${Math.round(boundMs / 1000)} s, the time bttui gives it: this machine is slow, or Xorg hangs on its graphics.`,
        `choose the OS again (a second start is often faster); the whole log is ${logFile}.`,
        log.split('\n').filter(Boolean).slice(-3).join('\n'),
      ),
    };
  return {
    error: btError(
      `The graphical display (Xorg) did not start (it exited with ${gone.signal ?? `code ${gone.exitCode}`}).`,
      `what it said killed it is below; the whole log is ${logFile}.`,
      xorgCause(log),
    ),
  };
}
