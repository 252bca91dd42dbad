import { MAX_CMDLINE } from './boottorrent-config.ts';
import { FieldReader, isObject } from './field-reader.ts';
import { torrentEntryProblem } from './names.ts';
import type { Checked } from './problem.ts';

export const METHODS = ['kexec', 'bin-qemu-x86_64', 'qemu-iso'] as const;
export type Method = (typeof METHODS)[number];

/** What the host measured about one file of an OS, so the client can verify what it downloaded. */
export interface FileFact {
  size: number;
  sha256: string;
  /**
   * a kexec OS's kernel: whether it carries a Secure Boot (Authenticode) signature, so a client under
   * Secure Boot refuses an unsigned one before downloading it (absent: not known, e.g. an older build)
   */
  signed?: boolean;
}

/**
 * oss/<name>/config.yaml, plus (in configs.yaml) what the host added for verification. What a method
 * needs is required by its type (a kexec OS has a kernel), so the plan reads it without a `!`; the
 * other keys stay optional on every method, as the original format allows them.
 */
export type OsConfig =
  | (OsFields & { method: 'kexec'; kernel: string })
  | (OsFields & { method: 'qemu-iso'; isofile: string })
  | (OsFields & { method: 'bin-qemu-x86_64'; args: string });

interface OsFields {
  dispname: string;
  kernel?: string;
  initrd?: string;
  cmdline?: string;
  /** bin-qemu-x86_64: qemu arguments, split on white space, run in the OS folder */
  args?: string;
  isofile?: string;
  /** added by `boottorrent build` — absent in an env's own config.yaml */
  torrent?: string;
  infohash?: string;
  files?: Record<string, FileFact>;
}

const KNOWN = [
  'dispname',
  'method',
  'kernel',
  'initrd',
  'cmdline',
  'args',
  'isofile',
  'torrent',
  'infohash',
  'files',
];

/** The file names each method reads from the OS folder (qemu `args` may name any; they are not guessed). */
export function filesNamedBy(os: OsConfig): string[] {
  switch (os.method) {
    case 'kexec':
      return [os.kernel, os.initrd].filter((f): f is string => !!f);
    case 'qemu-iso':
      return os.isofile ? [os.isofile] : [];
    case 'bin-qemu-x86_64':
      return [];
  }
}

/** A path inside the OS folder: relative, no `..`, no empty segments. */
export function isInsideFolder(p: string): boolean {
  if (!p || p.startsWith('/') || p.includes('\\') || p.includes('\0')) return false;
  return p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

/**
 * Validates one OS's config. `prefix` is the dot path of the OS inside the file (`""` for an
 * oss/<name>/config.yaml, `"<name>"` inside configs.yaml) so messages point at the right place.
 */
export function checkOsConfig(raw: unknown, file: string, prefix = ''): Checked<OsConfig> {
  const r = new FieldReader(file);
  const at = (k: string) => (prefix ? `${prefix}.${k}` : k);
  if (!isObject(raw)) {
    r.fail(prefix, 'must be a mapping with at least dispname and method');
    return { ok: false, problems: r.problems, warnings: r.warnings };
  }
  r.unknownKeys(raw, KNOWN, prefix);
  const dispname = r.requiredStr(raw, 'dispname', at('dispname'));
  const method = r.requiredStr(raw, 'method', at('method'));
  if (method?.trim() && !(METHODS as readonly string[]).includes(method))
    r.fail(at('method'), `"${method}" is not one of ${METHODS.join(', ')}`);
  // filled as read; the checks below make it the union member its method names, or fail
  const os = { dispname: dispname ?? '', method: method as Method } as OsFields & { method: Method };
  for (const k of ['kernel', 'initrd', 'cmdline', 'args', 'isofile', 'torrent', 'infohash'] as const) {
    const v = r.str(raw, k, at(k));
    if (v !== undefined) os[k] = v;
  }
  if (method === 'kexec' && os.kernel === undefined) r.fail(at('kernel'), 'is required for method kexec');
  if (method === 'qemu-iso' && os.isofile === undefined)
    r.fail(at('isofile'), 'is required for method qemu-iso');
  if (method === 'bin-qemu-x86_64' && os.args === undefined)
    r.fail(at('args'), 'is required for method bin-qemu-x86_64 (e.g. "-fda floppy.img")');
  if (os.cmdline !== undefined && os.cmdline.length > MAX_CMDLINE)
    r.fail(at('cmdline'), `is ${os.cmdline.length} characters; a kernel takes ${MAX_CMDLINE} at most`);
  for (const k of ['kernel', 'initrd', 'isofile'] as const) {
    const v = os[k];
    if (v !== undefined && !isInsideFolder(v)) r.fail(at(k), `"${v}" must be a path inside the OS folder`);
  }
  // written by the host's build; a path there would have the client read any file as a torrent
  const badTorrent = os.torrent === undefined ? undefined : torrentEntryProblem(os.torrent);
  if (badTorrent) r.fail(at('torrent'), `"${os.torrent}" ${badTorrent}`);
  if (os.infohash !== undefined && !/^[0-9a-f]{40}$/.test(os.infohash))
    r.fail(at('infohash'), 'must be 40 lower-case hex digits');
  if (raw.files !== undefined) os.files = readFileFacts(r, raw.files, at('files'));
  return r.problems.length
    ? { ok: false, problems: r.problems, warnings: r.warnings }
    : { ok: true, value: os as OsConfig, warnings: r.warnings };
}

/** `files:` of configs.yaml (or of profiles.yaml): each name inside the folder, its size and sha256. */
export function readFileFacts(r: FieldReader, raw: unknown, path: string): Record<string, FileFact> {
  const out: Record<string, FileFact> = {};
  if (!isObject(raw)) {
    r.fail(path, 'must map file names to {size, sha256}');
    return out;
  }
  for (const [name, fact] of Object.entries(raw)) {
    const size = isObject(fact) ? fact.size : undefined;
    const sha256 = isObject(fact) ? fact.sha256 : undefined;
    const signed = isObject(fact) ? fact.signed : undefined;
    if (!isInsideFolder(name)) r.fail(`${path}.${name}`, 'must be a path inside the OS folder');
    else if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
      r.fail(`${path}.${name}.size`, 'must be a byte count');
    else if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256))
      r.fail(`${path}.${name}.sha256`, 'must be 64 lower-case hex digits');
    else if (signed !== undefined && typeof signed !== 'boolean')
      r.fail(`${path}.${name}.signed`, 'must be true or false');
    else out[name] = { size, sha256, ...(signed !== undefined ? { signed } : {}) };
  }
  return out;
}
