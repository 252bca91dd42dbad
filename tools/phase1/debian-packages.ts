import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * apt options for resolving and downloading as if nothing were installed: a private, empty dpkg status
 * and a private cache. The machine's own packages and apt state are neither read nor changed.
 */
function privateApt(work: string, archives: string): string[] {
  const status = path.join(work, 'status');
  mkdirSync(path.join(archives, 'partial'), { recursive: true });
  if (!existsSync(status)) writeFileSync(status, '');
  return [
    '-o',
    `Dir::State::status=${status}`,
    '-o',
    `Dir::Cache::archives=${archives}`,
    '-o',
    'Debug::NoLocking=1',
    '-o',
    'APT::Sandbox::User=root',
    '--no-install-recommends',
    '-y',
    '-qq',
  ];
}

/** The .deb file names of `pkgs` and everything they depend on, as apt would install them on an empty system. */
export function resolveClosure(pkgs: string[], work: string): string[] {
  const empty = path.join(work, 'empty-archives');
  const ask = () =>
    execFileSync('apt-get', ['install', '--print-uris', ...privateApt(work, empty), ...pkgs], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 16 << 20,
    });
  let said: string;
  try {
    said = ask();
  } catch {
    // a fresh machine may never have fetched package lists
    execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'] });
    said = ask();
  }
  return said
    .split('\n')
    .map((l) => /^'[^']+' (\S+\.deb) /.exec(l)?.[1])
    .filter((f): f is string => !!f)
    .sort();
}

/** Downloads `pkgs` with their dependencies into `archives` (apt skips what is already there). */
export function downloadClosure(pkgs: string[], work: string, archives: string): void {
  execFileSync('apt-get', ['install', '--download-only', ...privateApt(work, archives), ...pkgs], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Downloads single packages without their dependencies (a part of a package whose other parts we do not run). */
export function downloadAlone(pkgs: string[], into: string): void {
  mkdirSync(into, { recursive: true });
  execFileSync('apt-get', ['download', '-qq', ...pkgs], { cwd: into, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Unpacks .deb files into `root` with dpkg-deb -x: files only, no maintainer scripts, nothing installed. */
export function extractDebs(debs: string[], root: string): void {
  mkdirSync(root, { recursive: true });
  for (const d of debs) execFileSync('dpkg-deb', ['-x', d, root]);
}
