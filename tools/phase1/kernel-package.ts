import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** The versioned Debian kernel package behind the `linux-image-amd64` meta-package. */
export function kernelPackageName(): string {
  const ask = () => {
    try {
      return execFileSync('apt-cache', ['depends', 'linux-image-amd64'], { encoding: 'utf8' });
    } catch {
      return '';
    }
  };
  let said = ask();
  if (!/Depends: linux-image-/.test(said)) {
    // a fresh machine may never have fetched package lists
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    said = ask();
  }
  const m = /Depends: (linux-image-[\w.+-]+-amd64)/.exec(said);
  if (!m)
    throw new Error(
      'apt-cache does not know linux-image-amd64; is this a Debian machine with its package lists?',
    );
  return m[1]!;
}

/**
 * Downloads (once, into `cache`) and unpacks a Debian kernel package with dpkg -x: no root file system
 * is touched and nothing is installed. Returns the unpacked tree.
 */
export function fetchKernel(cache: string, pkg = kernelPackageName()): { root: string; version: string } {
  mkdirSync(cache, { recursive: true });
  const root = path.join(cache, pkg);
  if (!existsSync(path.join(root, 'boot'))) {
    let deb = readdirSync(cache).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
    if (!deb) {
      execFileSync('apt-get', ['download', '-q', pkg], { cwd: cache, stdio: ['ignore', 'inherit', 'pipe'] });
      deb = readdirSync(cache).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
      if (!deb) throw new Error(`apt-get download ${pkg} left no .deb in ${cache}`);
    }
    execFileSync('dpkg-deb', ['-x', path.join(cache, deb), root]);
  }
  const version = readdirSync(path.join(root, 'lib', 'modules'))[0];
  if (!version) throw new Error(`${pkg} has no modules folder`);
  return { root, version };
}
