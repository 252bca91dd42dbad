/**
 * Stage times of a UEFI client from its serial log (the lab writes each line as "SECONDS text", seconds
 * since power-on): when GRUB started loading Phase 1, and when Phase 1's init ran.
 */
export function uefiStages(log: string): { grub?: number; init?: number } {
  const at = (re: RegExp) => {
    for (const line of log.split('\n')) {
      const m = /^\s*(\d+\.\d+) (.*)$/.exec(line);
      if (m && re.test(m[2]!)) return Number(m[1]);
    }
    return undefined;
  };
  return { grub: at(/^BT-GRUB: loading Phase 1 over /), init: at(/^BT-PHASE1: init on /) };
}

/** grub.cfg as `boottorrent build` writes it for HTTP, turned into the TFTP form it writes without HTTP. */
export function grubCfgOverTftp(cfg: string): string {
  return cfg.replace(/\(http,[^)]*\)/g, '').replaceAll('over HTTP', 'over TFTP');
}
