// Over 250 lines: every check of an env folder on disk (links, modes, names, sizes), each a few lines, reported all at once.
import { readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  type BoottorrentConfig,
  type Checked,
  checkBoottorrentConfig,
  checkOsConfig,
  filesNamedBy,
  isObject,
  LIMITS,
  type OsConfig,
  osNameProblem,
  type Problem,
  parseYaml,
} from '../../../client/src/shared.ts';

export interface EnvOs {
  name: string;
  folder: string;
  os: OsConfig;
  /** what goes into the torrent: every regular file in the folder but config.yaml and dot files */
  files: { path: string; size: number }[];
}

export interface Env {
  dir: string;
  config: BoottorrentConfig;
  /** display_oss resolved: the listed folders, or every folder of oss/ with a config.yaml */
  oss: EnvOs[];
  text: string;
}

/** Reads and checks a whole env folder; every problem in every file is returned at once. */
export async function readEnv(dir: string): Promise<Checked<Env>> {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const btFile = path.join(dir, 'Boottorrent.yaml');
  const envReal = await realpath(dir).catch(() => dir);
  const bt = await readInside(envReal, btFile);
  if (!('text' in bt)) {
    problems.push({
      file: btFile,
      field: '',
      message: 'why' in bt ? bt.why : `not found; is ${dir} an env? (\`boottorrent init ${dir}\` makes one)`,
    });
    return { ok: false, problems, warnings };
  }
  const text = bt.text;
  const parsed = parseYaml(text, btFile);
  if ('problem' in parsed) return { ok: false, problems: [parsed.problem], warnings };
  const checked = checkBoottorrentConfig(parsed.value, btFile);
  warnings.push(...checked.warnings);
  if (!checked.ok) problems.push(...checked.problems);

  // even when Boottorrent.yaml has problems, its display_oss (if readable) says which OS folders to check
  const listed = checked.ok ? checked.value.boottorrent.display_oss : rawDisplayOss(parsed.value);
  const found = listed ?? (await foldersWithConfig(path.join(dir, 'oss')));
  // without display_oss, the folders' own names: each becomes a menu entry, a torrent and a line of the
  // seeder's list, so one that could not be listed is refused as display_oss would refuse it
  const names = found.filter((name) => {
    const bad = listed ? undefined : osNameProblem(name);
    if (bad)
      problems.push({ file: path.join(dir, 'oss', name), field: '', message: `the folder’s name ${bad}` });
    return !bad;
  });
  const oss: EnvOs[] = [];
  for (const [i, name] of names.entries()) {
    const folder = path.join(dir, 'oss', name);
    const cfgFile = path.join(folder, 'config.yaml');
    const cfg = await readInside(envReal, cfgFile);
    if ('why' in cfg) {
      problems.push({ file: cfgFile, field: '', message: cfg.why });
      continue;
    }
    const cfgText = 'text' in cfg ? cfg.text : undefined;
    if (cfgText === undefined) {
      const isDir = await stat(folder).then(
        (s) => s.isDirectory(),
        () => false,
      );
      problems.push({
        file: btFile,
        field: `boottorrent.display_oss[${i}]`,
        message: isDir ? `oss/${name}/config.yaml is missing` : `"${name}": there is no folder oss/${name}/`,
      });
      continue;
    }
    const p = parseYaml(cfgText, cfgFile);
    if ('problem' in p) {
      problems.push(p.problem);
      continue;
    }
    const c = checkOsConfig(p.value, cfgFile);
    warnings.push(...c.warnings);
    if (!c.ok) {
      problems.push(...c.problems);
      continue;
    }
    const { files, refused } = await listShared(folder);
    for (const r of refused) problems.push({ file: path.join(folder, r.path), field: '', message: r.why });
    for (const f of filesNamedBy(c.value)) {
      if (!files.some((x) => x.path === f)) {
        const field = (['kernel', 'initrd', 'isofile'] as const).find((k) => c.value[k] === f) ?? '';
        problems.push({ file: cfgFile, field, message: `"${f}" is not a file in oss/${name}/` });
      }
    }
    if (files.length === 0 && refused.length === 0)
      problems.push({
        file: cfgFile,
        field: '',
        message: `oss/${name}/ has no files to share besides config.yaml`,
      });
    else if (files.length > 0 && files.every((f) => f.size === 0))
      problems.push({
        file: cfgFile,
        field: '',
        message: `oss/${name}/ holds only empty files: there is nothing to download or boot`,
      });
    const estimate = configsYamlEstimate(files);
    if (estimate > LIMITS.maxConfigBytes)
      problems.push({
        file: cfgFile,
        field: '',
        message:
          `oss/${name}/ has ${files.length} files: their checksums would make configs.yaml about ` +
          `${Math.round(estimate / 1024)} KiB, more than the ${LIMITS.maxConfigBytes >> 10} KiB a client reads; ` +
          'pack them into an image (ISO, disk image or initrd) and boot that',
      });
    oss.push({ name, folder, os: c.value, files });
  }
  if (found.length === 0)
    problems.push({
      file: btFile,
      field: 'boottorrent.display_oss',
      message: 'no OS to serve: add folders under oss/',
    });
  if (checked.ok && listed === undefined) {
    const def = checked.value.boottorrent.default_os;
    if (def !== undefined && !names.includes(def))
      problems.push({
        file: btFile,
        field: 'boottorrent.default_os',
        message: `"${def}" is not a folder of oss/ with a config.yaml`,
      });
  }
  if (!checked.ok || problems.length) return { ok: false, problems, warnings };
  return { ok: true, value: { dir, config: checked.value, oss, text }, warnings };
}

function rawDisplayOss(doc: unknown): string[] | undefined {
  const list = isObject(doc) && isObject(doc.boottorrent) ? doc.boottorrent.display_oss : undefined;
  return Array.isArray(list) && list.every((x) => typeof x === 'string') ? list : undefined;
}

/**
 * A config file's text, read only from inside the env: a link that leads out of it (to /etc/shadow, say)
 * is refused with where it leads, so no line of such a file is ever parsed or echoed.
 */
async function readInside(
  envReal: string,
  file: string,
): Promise<{ text: string } | { missing: true } | { why: string }> {
  const real = await realpath(file).catch(() => undefined);
  if (real === undefined) return { missing: true };
  if (real !== envReal && !real.startsWith(envReal + path.sep))
    return {
      why: `is a symbolic link to ${real}, outside the env: config files are read only from inside it; copy the file in instead`,
    };
  if (!(await stat(real)).isFile()) return { why: 'is not a regular file' };
  return { text: await readFile(real, 'utf8') };
}

async function foldersWithConfig(ossDir: string): Promise<string[]> {
  const entries = await readdir(ossDir, { withFileTypes: true }).catch(() => []);
  const names: string[] = [];
  for (const e of entries) {
    if (
      e.isDirectory() &&
      !e.name.startsWith('.') &&
      (await stat(path.join(ossDir, e.name, 'config.yaml')).catch(() => null))
    )
      names.push(e.name);
  }
  return names.sort();
}

/** Bytes configs.yaml spends on one OS's file list: each file's path, size and sha256 (as yaml.dump writes). */
function configsYamlEstimate(files: { path: string; size: number }[]): number {
  return files.reduce((n, f) => n + f.path.length + String(f.size).length + 110, 0);
}

/**
 * A file that only its owner or group may read (a private key, /etc/shadow hard-linked in) is not
 * published: every client and anyone on the lab network could fetch it.
 */
function notForEveryone(mode: number): string {
  const m = (mode & 0o777).toString(8).padStart(4, '0');
  return `is readable only by its owner or group (mode ${m}), so it is not published; if it is meant for every client, \`chmod o+r\` it`;
}

/**
 * What an OS folder publishes: regular files, in real folders, sorted by path so torrents are
 * reproducible. A symbolic link is published only when it leads to a regular file inside the same OS
 * folder (its content, under the link's name); a link that leaves the folder, to a folder, dangling or
 * looping, and anything that is not a regular file, is refused and named: the seeder and the HTTP server
 * would otherwise hand the target (say /etc/shadow) to every client.
 */
async function listShared(
  folder: string,
): Promise<{ files: { path: string; size: number }[]; refused: { path: string; why: string }[] }> {
  const files: { path: string; size: number }[] = [];
  const refused: { path: string; why: string }[] = [];
  const real = await realpath(folder);
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(folder, rel), { withFileTypes: true });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name.startsWith('.') || (rel === '' && e.name === 'config.yaml')) continue;
      const p = rel ? `${rel}/${e.name}` : e.name;
      const full = path.join(folder, p);
      if (e.isDirectory()) {
        await walk(p);
        continue;
      }
      if (e.isFile()) {
        const st = await stat(full);
        if (st.mode & 0o004) files.push({ path: p, size: st.size });
        else refused.push({ path: p, why: notForEveryone(st.mode) });
        continue;
      }
      if (!e.isSymbolicLink()) {
        refused.push({
          path: p,
          why: 'is not a regular file (a device, pipe or socket); it is not published',
        });
        continue;
      }
      const to = await readlink(full);
      const target = await realpath(full).catch((err: NodeJS.ErrnoException) => err);
      if (target instanceof Error) {
        refused.push({
          path: p,
          why: `is a symbolic link to ${to}, which ${target.code === 'ELOOP' ? 'loops' : 'does not exist'}`,
        });
        continue;
      }
      if (target !== real && !target.startsWith(real + path.sep)) {
        refused.push({
          path: p,
          why: `is a symbolic link to ${to}, outside the OS folder: only files inside it are published; copy the file in instead`,
        });
        continue;
      }
      const s = await stat(target);
      if (s.isFile() && !(s.mode & 0o004)) {
        refused.push({ path: p, why: `is a symbolic link to ${to}, which ${notForEveryone(s.mode)}` });
        continue;
      }
      if (!s.isFile()) {
        refused.push({
          path: p,
          why: `is a symbolic link to ${to}, which is not a regular file: links to folders are not followed; move the folder in instead`,
        });
        continue;
      }
      files.push({ path: p, size: s.size });
    }
  };
  await walk('');
  return { files, refused };
}
