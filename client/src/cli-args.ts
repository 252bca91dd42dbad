import { parseArgs } from 'node:util';

export interface BttuiArgs {
  root: string;
  data: string;
  proc: string;
  sys: string;
  /** the kernel's log, for firmware it could not load */
  kmsg: string;
  /** where the qemu profile (Xorg, qemu) is unpacked and Xorg's config written */
  system: string;
  ui: 'auto' | 'plain' | 'tui';
  engine?: 'aria2' | 'webtorrent';
  noExec: boolean;
  dryRun: boolean;
  once: boolean;
  help: boolean;
  version: boolean;
}

export const USAGE = `usage: bttui [options]

Shows the BootTorrent menu (or autoboots), fetches the chosen OS into RAM over BitTorrent, verifies it
and boots it. Runs on TTY1 of the Phase-1 system; every option is for tests and debugging.

  --root DIR        torrents and configs (default /torrents)
  --data DIR        where OS files are downloaded (default: the root)
  --proc DIR        read cmdline and meminfo here (default /proc)
  --sys DIR         read network MACs, graphics and input devices here (default /sys)
  --kmsg FILE       read the kernel's log here (default /dev/kmsg)
  --system DIR      unpack Xorg and qemu (the qemu profile) under DIR (default /)
  --plain | --tui   line output, or the full-screen menu (default: full screen on a console, lines otherwise)
  --engine NAME     aria2 or webtorrent (default: boottorrent.engine of Boottorrent.yaml)
  --no-exec         do everything up to, not including, kexec -e
  --dry-run         do not load or run anything: print the command lines
  --once            exit after the first attempt instead of returning to the menu
  --version`;

export function parseBttuiArgs(
  argv: string[],
): { ok: true; args: BttuiArgs } | { ok: false; message: string } {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        root: { type: 'string', default: '/torrents' },
        data: { type: 'string' },
        proc: { type: 'string', default: '/proc' },
        sys: { type: 'string', default: '/sys' },
        kmsg: { type: 'string', default: '/dev/kmsg' },
        system: { type: 'string', default: '/' },
        plain: { type: 'boolean', default: false },
        tui: { type: 'boolean', default: false },
        engine: { type: 'string' },
        'no-exec': { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        once: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.engine !== undefined && values.engine !== 'aria2' && values.engine !== 'webtorrent')
      return { ok: false, message: `--engine must be aria2 or webtorrent, not "${values.engine}"` };
    if (values.plain && values.tui) return { ok: false, message: '--plain and --tui exclude each other' };
    return {
      ok: true,
      args: {
        root: values.root,
        data: values.data ?? values.root,
        proc: values.proc,
        sys: values.sys,
        kmsg: values.kmsg,
        system: values.system,
        ui: values.plain ? 'plain' : values.tui ? 'tui' : 'auto',
        ...(values.engine ? { engine: values.engine as 'aria2' | 'webtorrent' } : {}),
        noExec: values['no-exec'],
        dryRun: values['dry-run'],
        once: values.once,
        help: values.help,
        version: values.version,
      },
    };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}
