import type { ClientConfig } from '../config/client-config.ts';
import { type BtError, btError } from '../core/bt-error.ts';
import { type Autoboot, chooseAutoboot, unknownChoice } from '../core/choose-os.ts';
import { LIMITS } from '../core/limits.ts';
import { type BootDeps, bootOs } from './boot-os.ts';

export interface FlowDeps extends BootDeps {
  cmdline: Map<string, string>;
  macs: string[];
  /** exit after the first attempt instead of returning to the menu (tests, scripted use) */
  once: boolean;
}

/** What main does next: exit with a code, or leave to a shell on request. */
export type FlowEnd = { kind: 'exit'; code: number } | { kind: 'shell' };

/** Menu or autoboot, then boot; any failure comes back here with its reason on screen. */
export async function runFlow(d: FlowDeps): Promise<FlowEnd> {
  const cfg: ClientConfig = d.config;
  const auto = chooseAutoboot(cfg, d.cmdline, d.macs);
  const unknown = unknownChoice(cfg, d.cmdline);
  const items = cfg.oss.map((o) => ({ name: o.name, label: o.os.dispname }));
  const label = (n: string) => items.find((i) => i.name === n)?.label ?? n;
  let notice: BtError | undefined = unknown
    ? btError(
        `bt.os=${unknown} on the kernel command line is not an OS on this menu.`,
        auto
          ? `${label(auto.name)} boots instead (${auto.reason}); correct bt.os= in the boot loader's APPEND line.`
          : 'choose one below.',
      )
    : undefined;
  let pending: Autoboot | undefined = auto;

  for (;;) {
    let name: string;
    if (pending && pending.delay === 0) {
      name = pending.name;
      // no menu will show the notice: say it now, or a typo in bt.os= would go unnoticed
      if (notice) d.ui.error(notice);
      notice = undefined;
      d.ui.info(`Booting ${label(name)} (${pending.reason})`);
    } else {
      const selected = Math.max(
        0,
        items.findIndex((i) => i.name === (pending?.name ?? cfg.settings.boottorrent.default_os)),
      );
      d.events.stage('menu');
      const choice = await d.ui.menu({
        title: 'BootTorrent: choose an operating system',
        items,
        selected,
        ...(pending ? { countdown: { seconds: pending.delay, name: pending.name } } : {}),
        ...(notice ? { notice } : {}),
      });
      if (choice.kind === 'shell') return { kind: 'shell' };
      name = choice.name;
    }
    const outcome = await bootOs(d, name);
    if (outcome.kind === 'ready') return { kind: 'exit', code: 0 };
    if (outcome.kind === 'failed') {
      d.ui.error(outcome.error);
      d.events.failed({ name, label: label(name) }, outcome.error);
    }
    if (d.once) return { kind: 'exit', code: outcome.kind === 'failed' ? 1 : 0 };
    notice = outcome.kind === 'failed' ? outcome.error : undefined;
    // an unattended machine retries its autoboot after a failure, slowly enough for a person to step in;
    // after a VM ends normally, the person gets the menu
    pending =
      outcome.kind === 'failed' && auto
        ? { ...auto, delay: Math.max(auto.delay, LIMITS.retryDelayS) }
        : undefined;
  }
}
