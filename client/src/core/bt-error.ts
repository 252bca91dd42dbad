/**
 * A failure shown to the person at the client: one sentence of what went wrong and one of what to do.
 * Never a stack trace; `detail` keeps the underlying text for logs.
 */
export interface BtError {
  message: string;
  hint: string;
  detail?: string;
}

export function btError(message: string, hint: string, detail?: string): BtError {
  return detail === undefined ? { message, hint } : { message, hint, detail };
}

export function isBtError(v: unknown): v is BtError {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as BtError).message === 'string' &&
    typeof (v as BtError).hint === 'string'
  );
}

/** errno codes the client meets, in words a lab user can act on. */
const ERRNO: Record<string, [string, string]> = {
  ENOENT: ['a file or program is missing', 'check that the Phase-1 system was built with it'],
  ENOSPC: ['the RAM disk is full', 'free memory or use a client with more RAM'],
  ENOMEM: ['the client ran out of memory', 'use a client with more RAM or a smaller OS image'],
  EACCES: ['permission denied', 'bttui must run as root on the Phase-1 system'],
  EPERM: ['operation not permitted', 'bttui must run as root on the Phase-1 system'],
  ETXTBSY: ['the kernel file is busy', 'stop seeding before loading it (a bttui bug: please report it)'],
  ECONNREFUSED: ['a local service refused the connection', 'the download engine may have crashed; try again'],
  EADDRINUSE: ['a network port is already in use', 'another bttui or aria2c may still be running'],
};

/** Turns anything thrown by node or execa into a BtError, saying what we were doing. */
export function fromThrown(doing: string, e: unknown): BtError {
  if (isBtError(e)) return e;
  const err = e as NodeJS.ErrnoException & { shortMessage?: string };
  const known = err?.code ? ERRNO[err.code] : undefined;
  const detail = err?.shortMessage ?? err?.message ?? String(e);
  if (known) return btError(`Could not ${doing}: ${known[0]}.`, `${known[1]}.`, detail);
  return btError(`Could not ${doing}.`, 'bttui’s log (a root shell is on TTY2) has the details.', detail);
}

/** The one way a BtError is printed on a terminal: the sentence, then the hint on its own line. */
export function formatBtError(e: BtError, indent = '  '): string {
  return `${e.message}\n${indent}Hint: ${e.hint}`;
}

/** stands for "see <aria2's log file>": the file is chosen where aria2c is started */
const SEE_LOG = 'see the log';

/** aria2c error codes (its manual, "EXIT STATUS") that a download can end with. */
export const ARIA2_ERRORS: Record<number, [string, string]> = {
  1: ['aria2 failed for an unknown reason', SEE_LOG],
  2: ['the download timed out', 'check the network cable and that the host is running `boottorrent start`'],
  3: ['the host no longer has this OS', 'restart `boottorrent start` on the host, then reboot this client'],
  6: ['a network problem stopped the download', 'check the network cable and the host'],
  9: ['there is not enough space in RAM for this OS', 'use a client with more RAM or a smaller OS'],
  12: ['the same OS is already being downloaded', 'wait for it, or reboot this client'],
  13: ['the OS files already exist in RAM and could not be replaced', 'reboot this client'],
  15: ['a downloaded file could not be opened', 'reboot this client'],
  16: ['a file could not be created in RAM', 'check free memory'],
  17: ['writing to RAM failed', 'check free memory'],
  19: [
    'the tracker address could not be resolved',
    'the torrent names a host by name; use host_ip in Boottorrent.yaml',
  ],
  24: [
    'the tracker refused access',
    'check that the host tracker whitelists this torrent (rebuild with `boottorrent start`)',
  ],
  28: ['aria2 rejected an option', 'this aria2c is too old for bttui; rebuild the Phase-1 system'],
};

export function fromAria2Code(code: number, text: string, logFile?: string): BtError {
  const [what, hint] = ARIA2_ERRORS[code] ?? [`aria2 stopped with error ${code}`, SEE_LOG];
  const said = hint === SEE_LOG ? (logFile ? `see ${logFile}` : 'see bttui’s log') : hint;
  return btError(`Download failed: ${what}.`, `${said}.`, text);
}
