import { type BoottorrentConfig, checkBoottorrentConfig } from './boottorrent-config.ts';
import { isObject } from './field-reader.ts';
import { osNameProblem } from './names.ts';
import { checkOsConfig, type OsConfig } from './os-config.ts';
import { parseYaml } from './parse-yaml.ts';
import type { Checked, Problem } from './problem.ts';
import { checkProfiles, type Profiles } from './profiles-config.ts';

/** Everything bttui knows before it touches the network: what `boottorrent build` packed into torrents.gz. */
export interface ClientConfig {
  /** Boottorrent.yaml: the env's settings, defaults filled in */
  settings: BoottorrentConfig;
  /** in menu order */
  oss: { name: string; os: OsConfig }[];
  /** what travels besides the OSes (the qemu profile), from profiles.yaml when the host wrote one */
  profiles: Profiles;
}

/** Combines /torrents/Boottorrent.yaml and /torrents/configs.yaml; pure, the caller reads the files. */
export function checkClientConfig(
  boottorrentYaml: { text: string; file: string },
  configsYaml: { text: string; file: string },
  profilesYaml?: { text: string; file: string },
): Checked<ClientConfig> {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const bt = parseYaml(boottorrentYaml.text, boottorrentYaml.file);
  const cf = parseYaml(configsYaml.text, configsYaml.file);
  if ('problem' in bt) problems.push(bt.problem);
  if ('problem' in cf) problems.push(cf.problem);
  if (!('value' in bt) || !('value' in cf)) return { ok: false, problems, warnings };

  const boot = checkBoottorrentConfig(bt.value, boottorrentYaml.file);
  warnings.push(...boot.warnings);
  if (!boot.ok) problems.push(...boot.problems);

  const oss: ClientConfig['oss'] = [];
  if (!isObject(cf.value))
    problems.push({ file: configsYaml.file, field: '', message: 'must map OS names to their configs' });
  else {
    for (const [name, raw] of Object.entries(cf.value)) {
      const bad = osNameProblem(name);
      if (bad) {
        problems.push({ file: configsYaml.file, field: name, message: bad });
        continue;
      }
      const c = checkOsConfig(raw, configsYaml.file, name);
      warnings.push(...c.warnings);
      if (c.ok) oss.push({ name, os: c.value });
      else problems.push(...c.problems);
    }
  }
  let profiles: Profiles = {};
  if (profilesYaml) {
    const pf = parseYaml(profilesYaml.text, profilesYaml.file);
    const checked = 'value' in pf ? checkProfiles(pf.value, profilesYaml.file) : undefined;
    if ('problem' in pf) problems.push(pf.problem);
    else if (checked && !checked.ok) problems.push(...checked.problems);
    else if (checked) profiles = checked.value;
  }
  if (!boot.ok || problems.length) return { ok: false, problems, warnings };

  const order = boot.value.boottorrent.display_oss;
  if (order) {
    for (const name of order) {
      if (!oss.some((o) => o.name === name))
        problems.push({
          file: configsYaml.file,
          field: name,
          message: 'is in display_oss but has no config here',
        });
    }
    oss.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  }
  if (oss.length === 0) problems.push({ file: configsYaml.file, field: '', message: 'lists no OS to boot' });
  const def = boot.value.boottorrent.default_os;
  if (def !== undefined && !oss.some((o) => o.name === def))
    problems.push({
      file: boottorrentYaml.file,
      field: 'boottorrent.default_os',
      message: `"${def}" has no config in ${configsYaml.file}`,
    });
  return problems.length
    ? { ok: false, problems, warnings }
    : { ok: true, value: { settings: boot.value, oss, profiles }, warnings };
}
