import type { ClientConfig } from '../config/client-config.ts';

/** Which OS boots without a keypress, after how long, and why (shown on screen). */
export interface Autoboot {
  name: string;
  /** seconds; 0 = at once, no menu */
  delay: number;
  reason: string;
}

/**
 * The unattended choice, strongest first: `bt.os=<name>` on the kernel command line, this machine's MAC
 * in `by_mac`, then `default_os` after `timeout` (0 = at once; < 0 = never, the menu waits).
 * A name that is not offered is ignored here and reported by `unknownChoice`.
 */
export function chooseAutoboot(
  cfg: ClientConfig,
  cmdline: Map<string, string>,
  macs: string[],
): Autoboot | undefined {
  const offered = (n: string | undefined) => n !== undefined && cfg.oss.some((o) => o.name === n);
  const fromCmdline = cmdline.get('bt.os');
  if (offered(fromCmdline))
    return { name: fromCmdline!, delay: 0, reason: 'bt.os on the kernel command line' };
  for (const mac of macs) {
    const n = cfg.settings.boottorrent.by_mac[mac.toLowerCase()];
    if (offered(n)) return { name: n!, delay: 0, reason: `by_mac entry for ${mac}` };
  }
  const { timeout, default_os } = cfg.settings.boottorrent;
  if (timeout >= 0 && offered(default_os)) return { name: default_os!, delay: timeout, reason: 'default_os' };
  return undefined;
}

/** A `bt.os=` naming an OS this env does not offer: worth a line on screen, not a silent fallback. */
export function unknownChoice(cfg: ClientConfig, cmdline: Map<string, string>): string | undefined {
  const n = cmdline.get('bt.os');
  return n !== undefined && !cfg.oss.some((o) => o.name === n) ? n : undefined;
}
