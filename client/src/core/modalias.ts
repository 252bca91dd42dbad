/**
 * The kernel's modules.alias, read as modprobe reads it: a device's modalias (e.g.
 * `pci:v000010ECd00008139sv00001AF4sd00001100bc02sc00i00`) matches an alias pattern with shell-style
 * wildcards (`*`, `?`, `[...]`), and the line names the module that drives such a device.
 */
export interface ModuleAlias {
  pattern: string;
  module: string;
}

/** `alias <pattern> <module>` lines; anything else is skipped. */
export function parseAliases(text: string): ModuleAlias[] {
  const out: ModuleAlias[] = [];
  for (const line of text.split('\n')) {
    const m = /^alias\s+(\S+)\s+(\S+)\s*$/.exec(line);
    if (m) out.push({ pattern: m[1]!, module: m[2]! });
  }
  return out;
}

const compiled = new Map<string, RegExp>();

/** Whether `modalias` matches `pattern` as fnmatch does (no special meaning for `/`). */
export function aliasMatches(pattern: string, modalias: string): boolean {
  let re = compiled.get(pattern);
  if (!re) {
    let src = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i]!;
      if (c === '*') src += '.*';
      else if (c === '?') src += '.';
      else if (c === '[') {
        const end = pattern.indexOf(']', i + 2);
        if (end < 0) src += '\\[';
        else {
          const body = pattern.slice(i + 1, end);
          src += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`.replace(/\\/g, '\\\\');
          i = end;
        }
      } else src += c.replace(/[.+^${}()|\\]/g, '\\$&');
    }
    re = new RegExp(`^${src}$`, 's');
    compiled.set(pattern, re);
  }
  return re.test(modalias);
}

/** The modules whose aliases match `modalias`, each once, in the file's order. */
export function modulesFor(modalias: string, aliases: ModuleAlias[]): string[] {
  const out: string[] = [];
  for (const a of aliases)
    if (!out.includes(a.module) && aliasMatches(a.pattern, modalias)) out.push(a.module);
  return out;
}
