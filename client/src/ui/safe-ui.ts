import { consoleSafe } from '../config/console-text.ts';
import type { BtError } from '../core/bt-error.ts';
import type { Ui } from './ui.ts';

/**
 * The one door to the screen: every text a Ui shows passes consoleSafe here, whichever Ui it is, so an
 * OS label from configs.yaml with escape sequences is printed as text in the menu and in every message
 * that names it.
 */
export function safeUi(ui: Ui): Ui {
  // the same error must stay the same object: the plain UI recognises a notice it has just printed
  const seen = new WeakMap<BtError, BtError>();
  const safeError = (e: BtError): BtError => {
    let s = seen.get(e);
    if (!s) {
      s = { message: consoleSafe(e.message), hint: consoleSafe(e.hint) };
      if (e.detail !== undefined) s.detail = consoleSafe(e.detail);
      seen.set(e, s);
    }
    return s;
  };
  return {
    menu: (req) =>
      ui.menu({
        ...req,
        title: consoleSafe(req.title),
        items: req.items.map((i) => ({ ...i, label: consoleSafe(i.label) })),
        ...(req.notice ? { notice: safeError(req.notice) } : {}),
      }),
    progress: (p) =>
      ui.progress({
        ...p,
        dispname: consoleSafe(p.dispname),
        stats: p.stats.files
          ? { ...p.stats, files: p.stats.files.map((f) => ({ ...f, path: consoleSafe(f.path) })) }
          : p.stats,
      }),
    info: (line) => ui.info(consoleSafe(line)),
    error: (e) => ui.error(safeError(e)),
    close: () => ui.close(),
  };
}
