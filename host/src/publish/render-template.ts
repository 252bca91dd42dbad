import { controlCharAt } from '../../../client/src/shared.ts';

/**
 * The smallest template language our config files need: `{{name}}` is replaced by a value, and a line
 * starting with `{{?flag}}` (or `{{!flag}}`) is kept only when the flag is (or is not) truthy, and a
 * line starting with `{{#}}` is a note for the template's reader, never rendered.
 * An unknown name throws: a silently empty field in dnsmasq.conf is worse than a failed build.
 */
export function renderTemplate(tpl: string, vars: Record<string, string | number | boolean>): string {
  const out: string[] = [];
  for (let line of tpl.split('\n')) {
    if (line.startsWith('{{#}}')) continue;
    let keep = true;
    for (let m = /^\{\{([?!])(\w+)\}\}/.exec(line); m; m = /^\{\{([?!])(\w+)\}\}/.exec(line)) {
      const v = lookup(vars, m[2]!);
      if ((m[1] === '?') !== Boolean(v)) keep = false;
      line = line.slice(m[0].length);
    }
    if (!keep) continue;
    out.push(line.replace(/\{\{(\w+)\}\}/g, (_, k: string) => oneLine(k, String(lookup(vars, k)))));
  }
  return out.join('\n');
}

/**
 * The last guard before a generated file: a value with a line break would add a directive of its own
 * (dnsmasq runs a dhcp-script= as root). Config values are refused long before, with the file and field.
 */
function oneLine(k: string, v: string): string {
  if (controlCharAt(v) !== undefined)
    throw new Error(`template value "${k}" contains a control character: ${JSON.stringify(v)}`);
  return v;
}

function lookup(vars: Record<string, string | number | boolean>, k: string): string | number | boolean {
  if (!(k in vars)) throw new Error(`template variable "${k}" has no value`);
  return vars[k]!;
}
