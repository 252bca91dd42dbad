/**
 * What busybox's modprobe reads in Phase 1 (`modules.dep`, `modules.alias`), written at build time from
 * each module's `.modinfo` section: no depmod on the build machine, and only the modules Phase 1 carries.
 */

/** Every `key=value` of a module's `.modinfo` section for `key` (alias, firmware, depends…), in order. */
export function modinfoValues(ko: Uint8Array, key: string): string[] {
  const text = Buffer.from(ko).toString('latin1');
  const out: string[] = [];
  const re = new RegExp(`\\0${key}=([^\\0]*)`, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1]!);
  return out;
}

export interface IndexedModule {
  /** the kernel's name for it, dashes as underscores */
  name: string;
  /** its path under /lib/modules/<version>/, e.g. kernel/drivers/net/ethernet/intel/igc/igc.ko */
  rel: string;
  depends: string[];
  aliases: string[];
}

/**
 * modules.dep as depmod writes it: each module, then everything it needs, the one to load first last
 * (busybox's modprobe loads the list from its end).
 */
export function modulesDep(mods: IndexedModule[]): string {
  const by = new Map(mods.map((m) => [m.name, m]));
  const lines = mods.map((m) => {
    const order: string[] = [];
    const visit = (n: string) => {
      if (order.includes(n)) return;
      for (const d of by.get(n)?.depends ?? []) visit(d);
      order.push(n);
    };
    for (const d of m.depends) visit(d);
    const deps = order.filter((n) => n !== m.name && by.has(n)).reverse();
    return `${m.rel}:${deps.map((n) => ` ${by.get(n)!.rel}`).join('')}`;
  });
  return `${lines.join('\n')}\n`;
}

/** modules.alias as depmod writes it: `alias <pattern> <module>`, one line per alias. */
export function modulesAlias(mods: IndexedModule[]): string {
  return mods.flatMap((m) => m.aliases.map((a) => `alias ${a} ${m.name}\n`)).join('');
}
