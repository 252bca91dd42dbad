import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  type BoottorrentConfig,
  checkBoottorrentConfig,
} from '../../../client/src/config/boottorrent-config.ts';
import { isObject } from '../../../client/src/config/field-reader.ts';
import { checkOsConfig, filesNamedBy, type OsConfig } from '../../../client/src/config/os-config.ts';
import { parseYaml } from '../../../client/src/config/parse-yaml.ts';
import type { Checked, Problem } from '../../../client/src/config/problem.ts';

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
  const text = await readFile(btFile, 'utf8').catch(() => undefined);
  if (text === undefined) {
    problems.push({
      file: btFile,
      field: '',
      message: `not found; is ${dir} an env? (\`boottorrent init ${dir}\` makes one)`,
    });
    return { ok: false, problems, warnings };
  }
  const parsed = parseYaml(text, btFile);
  if ('problem' in parsed) return { ok: false, problems: [parsed.problem], warnings };
  const checked = checkBoottorrentConfig(parsed.value, btFile);
  warnings.push(...checked.warnings);
  if (!checked.ok) problems.push(...checked.problems);

  // even when Boottorrent.yaml has problems, its display_oss (if readable) says which OS folders to check
  const listed = checked.ok ? checked.value.boottorrent.display_oss : rawDisplayOss(parsed.value);
  const names = listed ?? (await foldersWithConfig(path.join(dir, 'oss')));
  const oss: EnvOs[] = [];
  for (const [i, name] of names.entries()) {
    const folder = path.join(dir, 'oss', name);
    const cfgFile = path.join(folder, 'config.yaml');
    const cfgText = await readFile(cfgFile, 'utf8').catch(() => undefined);
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
    const files = await listShared(folder);
    for (const f of filesNamedBy(c.value)) {
      if (!files.some((x) => x.path === f)) {
        const field = (['kernel', 'initrd', 'isofile'] as const).find((k) => c.value[k] === f) ?? '';
        problems.push({ file: cfgFile, field, message: `"${f}" is not a file in oss/${name}/` });
      }
    }
    if (files.length === 0)
      problems.push({
        file: cfgFile,
        field: '',
        message: `oss/${name}/ has no files to share besides config.yaml`,
      });
    oss.push({ name, folder, os: c.value, files });
  }
  if (names.length === 0)
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

/** Regular files below `folder` (symlinks followed), sorted by path so torrents are reproducible. */
async function listShared(folder: string, rel = ''): Promise<{ path: string; size: number }[]> {
  const out: { path: string; size: number }[] = [];
  const entries = await readdir(path.join(folder, rel), { withFileTypes: true });
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith('.') || (rel === '' && e.name === 'config.yaml')) continue;
    const p = rel ? `${rel}/${e.name}` : e.name;
    const s = await stat(path.join(folder, p)).catch(() => null);
    if (s?.isDirectory()) out.push(...(await listShared(folder, p)));
    else if (s?.isFile()) out.push({ path: p, size: s.size });
  }
  return out;
}
