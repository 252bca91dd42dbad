#!/usr/bin/env node
// `npm run overlay`: diff.gz = rootfs-overlay/ + the single-file bttui at /sbin/bttui + its libraries.
import { chmod, cp, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { cpioNewc, DIR } from '../../host/src/build/cpio-newc.ts';
import { PROJECT_ROOT } from '../../host/src/build/phase1-files.ts';
import { copyWithLibs } from '../lib/copy-into.ts';
import { stageTree } from '../lib/stage-tree.ts';
import { buildBttui } from './build-bttui.ts';

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

export async function buildOverlay(): Promise<string> {
  const exe = await buildBttui();
  const stage = path.join(PROJECT_ROOT, 'dist', 'overlay', 'root');
  await rm(stage, { recursive: true, force: true });
  await mkdir(stage, { recursive: true });
  await cp(path.join(PROJECT_ROOT, 'rootfs-overlay'), stage, { recursive: true });
  // the executable's needs (glibc, libstdc++, libgcc_s, libm…) travel with it, so diff.gz runs on any
  // x86_64 base with a busybox init; ldd names any library this machine lacks and the build stops
  const libs = await copyWithLibs(stage, exe, '/sbin/bttui');
  await chmod(path.join(stage, 'sbin', 'bttui'), 0o755);
  await writeFile(path.join(stage, 'etc', 'bttui-libs'), `${libs.slice(1).join('\n')}\n`);
  const entries = await stageTree(stage);
  // /tmp for the logs and aria2's session, whatever the base has
  entries.push({ path: 'tmp', mode: DIR | 0o1777 });
  const out = path.join(PROJECT_ROOT, 'dist', 'overlay', 'diff.gz');
  // gzip, not xz: measured faster to unpack under emulation, and every kernel takes it
  await writeFile(out, gzipSync(cpioNewc(entries), { level: 6 }));
  const raw = (await stat(exe)).size;
  const gz = (await stat(out)).size;
  console.log(`bttui (single executable, Node ${process.versions.node}): ${mib(raw)}`);
  console.log(
    `libraries carried: ${libs
      .slice(1)
      .map((l) => path.basename(l))
      .join(', ')}`,
  );
  console.log(`diff.gz: ${mib(gz)}  ->  ${out}`);
  return out;
}

if (import.meta.main) await buildOverlay();
