import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** One apt source, as either of apt's two formats describes it. */
export interface AptSource {
  uri: string;
  suites: string[];
  components: string[];
  signedBy?: string;
}

/**
 * The Debian archives among this machine's binary sources, read from sources.list (one-line format) and
 * sources.list.d/*.sources (deb822). Third-party repositories (nodesource, cloud SDKs…) publish no
 * source indexes, and asking them for one fails the whole `apt-get update`, so only Debian's are kept.
 */
export function debianSources(files: { name: string; text: string }[]): AptSource[] {
  const out: AptSource[] = [];
  const isDebian = (uri: string) => /\/debian(-security)?\/?$/.test(uri);
  for (const f of files) {
    if (f.name.endsWith('.sources')) {
      for (const para of f.text.split(/\n\s*\n/)) {
        const field = (k: string) => {
          const m = new RegExp(`^${k}:[ \\t]*(.*)$`, 'im').exec(para.replace(/^#.*$/gm, ''));
          return m ? m[1]!.trim() : undefined;
        };
        if (!(field('Types') ?? '').split(/\s+/).includes('deb')) continue;
        if (/^(no|false)$/i.test(field('Enabled') ?? '')) continue;
        for (const uri of (field('URIs') ?? '').split(/\s+/).filter(Boolean)) {
          if (!isDebian(uri)) continue;
          out.push({
            uri,
            suites: (field('Suites') ?? '').split(/\s+/).filter(Boolean),
            components: (field('Components') ?? '').split(/\s+/).filter(Boolean),
            signedBy: field('Signed-By'),
          });
        }
      }
    } else {
      for (const raw of f.text.split('\n')) {
        const line = raw.replace(/#.*/, '').trim();
        const m = /^deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
        if (!m || !isDebian(m[2]!)) continue;
        const signedBy = /signed-by=(\S+)/.exec(m[1] ?? '')?.[1];
        out.push({
          uri: m[2]!,
          suites: [m[3]!],
          components: m[4]!.split(/\s+/).filter(Boolean),
          ...(signedBy ? { signedBy } : {}),
        });
      }
    }
  }
  return out;
}

/** The same archives as `deb-src` lines, for a private sources.list. */
export function debSrcList(sources: AptSource[]): string {
  return asList(
    sources.flatMap((s) => s.suites.map((suite) => aptLine('deb-src', s, suite, s.components.join(' ')))),
  );
}

/** One sources.list line for `s`'s archive, keeping the key it is signed with. */
function aptLine(type: 'deb' | 'deb-src', s: AptSource, suite: string, components: string): string {
  return `${type} ${s.signedBy ? `[signed-by=${s.signedBy}] ` : ''}${s.uri} ${suite} ${components}`;
}

const asList = (lines: string[]) => lines.map((l) => `${l}\n`).join('');

/**
 * The same archives as `deb` lines for Debian's non-free-firmware component only (the machine's own
 * sources name `main`): what fetches firmware packages without touching anything else.
 */
export function firmwareList(sources: AptSource[]): string {
  const lines = sources.flatMap((s) =>
    s.suites.map((suite) => aptLine('deb', s, suite, 'non-free-firmware')),
  );
  return asList([...new Set(lines)]);
}

/**
 * Debian's main archive (not -security or -updates) as `deb` lines for another release, `main` only: what
 * fetches a package of that release (the UEFI loaders of Debian 13) on a machine of an older one.
 */
export function releaseList(release: string): (sources: AptSource[]) => string {
  return (sources) => {
    const lines = sources
      .filter((s) => !/-security\/?$/.test(s.uri))
      .map((s) => aptLine('deb', s, release, 'main'));
    return asList([...new Set(lines)]);
  };
}

/**
 * `apt-get download` of `packages` into `dir` through a private apt state under dir/apt whose sources
 * are `list` of the machine's Debian archives: the machine's own apt configuration is neither read for
 * packages nor changed, and nothing is installed.
 */
export function aptDownload(into: string, list: (s: AptSource[]) => string, packages: string[]): void {
  // absolute: apt reads a relative path in its configuration as under /etc/apt/, and a sources.list it
  // cannot find silently leaves the machine's own in force
  const dir = path.resolve(into);
  mkdirSync(dir, { recursive: true });
  const conf = privateAptConfig(path.join(dir, 'apt'), list);
  const env = { ...process.env, APT_CONFIG: conf, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('apt-get', ['download', '-qq', ...packages], {
    cwd: dir,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export function machineSourceFiles(): { name: string; text: string }[] {
  const files: { name: string; text: string }[] = [];
  const add = (p: string) => {
    if (existsSync(p)) files.push({ name: path.basename(p), text: readFileSync(p, 'utf8') });
  };
  add('/etc/apt/sources.list');
  const d = '/etc/apt/sources.list.d';
  if (existsSync(d))
    for (const n of readdirSync(d).sort())
      if (n.endsWith('.list') || n.endsWith('.sources')) add(path.join(d, n));
  return files;
}

/**
 * A private apt state (its own sources.list with deb-src lines, lists and cache) under `dir`: the
 * machine's own apt configuration lists only binary packages, and nothing here changes it.
 */
export function privateAptConfig(dir: string, list: (s: AptSource[]) => string = debSrcList): string {
  const sources = debianSources(machineSourceFiles());
  if (!sources.length)
    throw new Error(
      'no Debian archive found in /etc/apt/sources.list or /etc/apt/sources.list.d; ' +
        'building the static Phase-1 tools needs Debian source packages',
    );
  for (const d of ['lists/partial', 'cache/archives/partial', 'etc/apt.conf.d', 'etc/preferences.d'])
    mkdirSync(path.join(dir, d), { recursive: true });
  writeFileSync(path.join(dir, 'etc', 'sources.list'), list(sources));
  const conf = path.join(dir, 'apt.conf');
  writeFileSync(
    conf,
    [
      `Dir::Etc::sourcelist "${path.join(dir, 'etc', 'sources.list')}";`,
      'Dir::Etc::sourceparts "/nonexistent";',
      `Dir::Etc::parts "${path.join(dir, 'etc', 'apt.conf.d')}";`,
      `Dir::Etc::preferencesparts "${path.join(dir, 'etc', 'preferences.d')}";`,
      `Dir::State::Lists "${path.join(dir, 'lists')}";`,
      `Dir::Cache "${path.join(dir, 'cache')}";`,
      // downloads land in folders root owns; apt's _apt sandbox user could not write there
      'APT::Sandbox::User "root";',
      '',
    ].join('\n'),
  );
  return conf;
}

/** The epoch-less upstream part of a Debian version: 1:2.0.25-3+deb12u3 → 2.0.25. */
export function upstreamOf(version: string): string {
  return version.replace(/^\d+:/, '').replace(/-[^-]+$/, '');
}

/**
 * The version to build: the pinned one when the archive has it; otherwise the archive's build of the
 * same upstream release (Debian replaces a stable package's revision in point releases, and a fresh
 * machine must still build), said out loud; a different upstream release is never taken silently.
 */
export function chooseVersion(
  pkg: string,
  pinned: string,
  available: string[],
): { version: string; note?: string } | { error: string } {
  if (available.includes(pinned)) return { version: pinned };
  const same = available.filter((v) => upstreamOf(v) === upstreamOf(pinned));
  if (same.length)
    return {
      version: same.at(-1)!,
      note: `${pkg} ${pinned} is no longer in the archive; building ${same.at(-1)} (same upstream release)`,
    };
  return {
    error:
      `${pkg} ${pinned} is not in the archive` +
      (available.length ? ` (it has ${available.join(', ')})` : ' (no source package found)') +
      `; update the pinned version in tools/phase1/static-tools.ts`,
  };
}

/**
 * Downloads and unpacks `pkg` (dpkg-source applies Debian's patches) into `into`, and returns the
 * source tree and the version built. The package lists are refreshed on every call: it runs only when
 * the cache misses.
 */
export function fetchDebianSource(
  pkg: string,
  pinned: string,
  into: string,
  aptDir: string,
  log: (line: string) => void,
): { tree: string; version: string } {
  const conf = privateAptConfig(aptDir);
  const env = { ...process.env, APT_CONFIG: conf, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  let available: string[] = [];
  try {
    available = execFileSync('apt-cache', ['showsrc', '--only-source', pkg], { env, encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.startsWith('Version: '))
      .map((l) => l.slice('Version: '.length).trim());
  } catch {}
  const pick = chooseVersion(pkg, pinned, available);
  if ('error' in pick) throw new Error(pick.error);
  if (pick.note) log(pick.note);
  mkdirSync(into, { recursive: true });
  try {
    execFileSync('apt-get', ['source', '-qq', `${pkg}=${pick.version}`], {
      cwd: into,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (e) {
    throw new Error(
      `apt-get source ${pkg}=${pick.version} failed: ${String((e as { stderr?: Buffer }).stderr ?? e).trim()}`,
    );
  }
  const tree = path.join(into, `${pkg}-${upstreamOf(pick.version)}`);
  if (!existsSync(tree)) throw new Error(`apt-get source ${pkg}=${pick.version} did not unpack ${tree}`);
  return { tree, version: pick.version };
}
