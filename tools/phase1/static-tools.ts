#!/usr/bin/env node
// Static aria2c and kexec for Phase 1, built once from Debian's source packages and cached under
// dist/cache/static/. Debian's own binaries drag their libraries along (aria2c: libxml2 → ICU, GnuTLS,
// libssh2 → OpenSSL, SQLite; kexec: eight Xen libraries): 57 of the old rootfs's 64 MB. bttui drives
// aria2 over JSON-RPC, which aria2 has built in, and BitTorrent brings its own SHA-1, so none is needed.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { isStaticElf } from '../lib/elf.ts';
import { dist, PROJECT_ROOT } from '../lib/paths.ts';
import { fetchDebianSource } from './debian-source.ts';

export interface StaticTool {
  /** Debian source package */
  pkg: string;
  /** pinned Debian version */
  version: string;
  configure: string[];
  /** the program inside the built tree */
  output: string;
  /** minutes a 2-core machine takes, for the message that says why a build pauses */
  minutes: number;
  /** what `<program> --version` must show, and why: configure drops a library it cannot find silently */
  mustShow?: readonly { pattern: RegExp; why: string }[];
}

/**
 * `-static` on its own is not enough for aria2: ARIA2_STATIC=yes makes its configure link libstdc++ and
 * libgcc statically too. Static glibc has no NSS, so these programs resolve no host names: Phase 1 hands
 * them IP addresses only (the tracker and web seeds are `host_ip`, which the env format requires to be
 * an address).
 */
export const STATIC_TOOLS = {
  aria2c: {
    pkg: 'aria2',
    version: '1.36.0-1',
    configure: [
      '--disable-dependency-tracking',
      '--disable-nls',
      '--enable-bittorrent',
      '--disable-metalink',
      '--disable-websocket',
      // no TLS library is linked, so no TLS; not --disable-ssl, which turns nettle and GMP off as well
      '--without-gnutls',
      '--without-openssl',
      // nettle's SHA-1 and ARC4 and GMP's Diffie-Hellman, linked statically: aria2's own bignum fails
      // the encrypted handshake with WebTorrent about 2 times in 5, and its own SHA-1 is slow
      '--with-libnettle',
      '--with-libgmp',
      '--without-libgcrypt',
      '--without-sqlite3',
      '--without-libxml2',
      '--without-libexpat',
      '--without-libcares',
      '--without-libz',
      '--without-libssh2',
      '--without-libuv',
      '--disable-shared',
      '--enable-static',
      'ARIA2_STATIC=yes',
      'CXXFLAGS=-O2 -g0',
      'LDFLAGS=-static -s',
    ],
    output: 'src/aria2c',
    minutes: 8,
    mustShow: [
      { pattern: /^Libraries:.*\bnettle\b/m, why: 'its SHA-1 and RC4 come from nettle' },
      { pattern: /^Libraries:.*\bGMP\b/m, why: 'its Diffie-Hellman for encrypted handshakes comes from GMP' },
    ],
  },
  kexec: {
    pkg: 'kexec-tools',
    version: '1:2.0.25-3+deb12u3',
    // bzImage kernels and initrds are loaded as they are: no zlib or lzma needed; no Xen on a lab PC
    configure: ['--without-zlib', '--without-lzma', '--without-xen', 'CFLAGS=-Os', 'LDFLAGS=-static -s'],
    output: 'build/sbin/kexec',
    minutes: 0.2,
  },
} as const satisfies Record<string, StaticTool>;

export type StaticToolName = keyof typeof STATIC_TOOLS;

const CACHE = dist('cache', 'static');

/** The cache folder's name: the pinned version and everything that changes the binary. */
export function cacheKey(name: string, t: StaticTool): string {
  const h = createHash('sha256').update(JSON.stringify([t.pkg, t.version, t.configure, t.output]));
  return `${name}-${t.version.replace(/[^\w.+-]/g, '_')}-${h.digest('hex').slice(0, 10)}`;
}

/** What a built program's `--version` lacks of what its recipe requires, as sentences; none when all is there. */
export function missingFromVersion(name: string, t: StaticTool, version: string): string[] {
  return (t.mustShow ?? [])
    .filter((m) => !m.pattern.test(version))
    .map((m) => `${name} --version does not show ${m.pattern.source}: ${m.why}`);
}

/** Path of the cached static program, building it first when the cache has none. */
export async function staticTool(
  name: StaticToolName,
  log: (line: string) => void = console.log,
): Promise<{ path: string; version: string }> {
  const t: StaticTool = STATIC_TOOLS[name];
  const dir = path.join(CACHE, cacheKey(name, t));
  const bin = path.join(dir, name);
  if (existsSync(bin)) return { path: bin, version: readFileSync(path.join(dir, 'version'), 'utf8').trim() };

  const work = path.join(CACHE, `build-${name}-${process.pid}`);
  await rm(work, { recursive: true, force: true });
  const logFile = path.join(CACHE, `${cacheKey(name, t)}.log`);
  try {
    const src = fetchDebianSource(t.pkg, t.version, path.join(work, 'src'), path.join(CACHE, 'apt'), log);
    log(
      `building a static ${name} from Debian's ${t.pkg} ${src.version} ` +
        `(about ${Math.max(1, Math.round(t.minutes))} min on 2 cores, once; log: ${path.relative(PROJECT_ROOT, logFile)})`,
    );
    await mkdir(CACHE, { recursive: true });
    const out = createWriteStream(logFile);
    try {
      await run('./configure', [...t.configure], src.tree, out);
      await run('make', [`-j${availableParallelism()}`], src.tree, out);
    } finally {
      out.end();
    }
    const built = path.join(src.tree, t.output);
    if (!isStaticElf(await readFile(built)))
      throw new Error(`${built} is not a statically linked program; see ${logFile}`);
    const lacks = missingFromVersion(name, t, execFileSync(built, ['--version'], { encoding: 'utf8' }));
    if (lacks.length) throw new Error(`${lacks.join('; ')} (configure's summary is in ${logFile})`);
    const tmp = `${dir}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    await copyFile(built, path.join(tmp, name));
    await chmod(path.join(tmp, name), 0o755);
    await writeFile(path.join(tmp, 'version'), `${src.version}\n`);
    await rename(tmp, dir);
    return { path: bin, version: src.version };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[], cwd: string, out: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const keep = (b: Buffer) => {
      out.write(b);
      tail.push(...b.toString().split('\n'));
      tail.splice(0, Math.max(0, tail.length - 15));
    };
    p.stdout.on('data', keep);
    p.stderr.on('data', keep);
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}) in ${cwd}:\n${tail.join('\n')}`)),
    );
  });
}

/** `node tools/phase1/static-tools.ts [name…]`: build (or find) them and print where they are. */
if (import.meta.main) {
  const names = (
    process.argv.length > 2 ? process.argv.slice(2) : Object.keys(STATIC_TOOLS)
  ) as StaticToolName[];
  for (const n of names) {
    if (!(n in STATIC_TOOLS))
      throw new Error(`unknown tool ${n}; known: ${Object.keys(STATIC_TOOLS).join(', ')}`);
    const t = await staticTool(n);
    console.log(`${n} ${t.version}: ${t.path}`);
    execFileSync(t.path, ['--version'], { stdio: ['ignore', 'ignore', 'ignore'] });
  }
}
