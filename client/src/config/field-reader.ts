import { controlCharAt } from './console-text.ts';
import type { Problem } from './problem.ts';

type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads typed fields out of parsed YAML and collects every problem instead of stopping at the first,
 * so one run tells the user everything that is wrong with a file.
 */
export class FieldReader {
  readonly problems: Problem[] = [];
  readonly warnings: Problem[] = [];
  readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  fail(field: string, message: string): void {
    this.problems.push({ file: this.file, field, message });
  }

  /** Whether `field` already has a problem: a value refused as text should not also be "required". */
  failed(field: string): boolean {
    return this.problems.some((p) => p.field === field);
  }

  warn(field: string, message: string): void {
    this.warnings.push({ file: this.file, field, message });
  }

  /** A mapping at `path`; absent → `{}` (every field in it then takes its default). */
  section(parent: Obj, key: string, path = key): Obj {
    const v = parent[key];
    if (v === undefined || v === null) return {};
    if (!isObject(v)) {
      this.fail(path, `must be a mapping of keys to values, got ${describe(v)}`);
      return {};
    }
    return v;
  }

  /**
   * Text fields are one line of printable characters: every one of them ends up in a generated file
   * (dnsmasq.conf, pxelinux.cfg, configs.yaml) or on a console, where a line break adds a directive
   * and an escape sequence takes over the screen.
   */
  str(o: Obj, key: string, path: string, fallback?: string): string | undefined {
    const v = o[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'string') {
      const at = controlCharAt(v);
      if (at === undefined) return v;
      const c = v.charCodeAt(at);
      this.fail(
        path,
        `contains ${c === 10 ? 'a line break' : c === 9 ? 'a tab' : c === 27 ? 'an escape character' : 'a control character'} ` +
          `at character ${at + 1}; a text field is one line of printable characters`,
      );
      return fallback;
    }
    // YAML turns `timeout: 10` or `name: 2024` into numbers; for a text field the number's text is meant
    if (typeof v === 'number') return String(v);
    this.fail(path, `must be text, got ${describe(v)}`);
    return fallback;
  }

  requiredStr(o: Obj, key: string, path: string): string | undefined {
    const v = this.str(o, key, path);
    if (v === undefined && o[key] === undefined) this.fail(path, 'is required');
    else if (v !== undefined && v.trim() === '') this.fail(path, 'must not be empty');
    return v;
  }

  int(o: Obj, key: string, path: string, fallback: number, range?: { min?: number; max?: number }): number {
    const v = o[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.fail(path, `must be a whole number, got ${describe(v)}`);
      return fallback;
    }
    if (range?.min !== undefined && v < range.min) this.fail(path, `must be at least ${range.min}, got ${v}`);
    if (range?.max !== undefined && v > range.max) this.fail(path, `must be at most ${range.max}, got ${v}`);
    return v;
  }

  bool(o: Obj, key: string, path: string, fallback: boolean): boolean {
    const v = o[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') {
      this.fail(path, `must be true or false, got ${describe(v)}`);
      return fallback;
    }
    return v;
  }

  strList(o: Obj, key: string, path: string): string[] | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' && typeof x !== 'number')) {
      this.fail(path, `must be a list of names, got ${describe(v)}`);
      return undefined;
    }
    const bad = v.findIndex((x) => controlCharAt(String(x)) !== undefined);
    if (bad >= 0) {
      this.fail(
        `${path}[${bad}]`,
        'contains a control character; a name is one line of printable characters',
      );
      return undefined;
    }
    return v.map(String);
  }

  /** Keys we do not know are warned about, never fatal: newer or older envs must still build. */
  /**
   * Warns of keys this format does not have. A key is named only when it looks like one: a file that is
   * not a Boottorrent.yaml at all (a password file) would otherwise be printed line by line.
   */
  unknownKeys(o: Obj, known: readonly string[], path: string): void {
    const unknown = Object.keys(o).filter((k) => !known.includes(k));
    const named = unknown.filter((k) => /^[A-Za-z_][A-Za-z0-9_-]{0,39}$/.test(k));
    for (const k of named.slice(0, 8)) this.warn(path ? `${path}.${k}` : k, 'unknown key, ignored');
    const rest = unknown.length - Math.min(named.length, 8);
    if (rest > 0)
      this.warn(
        path,
        `${rest} more unknown key(s), not shown${named.length < unknown.length ? ' (some are not key names: is this the right file?)' : ''}`,
      );
  }
}

export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return `${typeof v} ${String(v)}`;
}
