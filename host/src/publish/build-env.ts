import { readFileSync } from 'node:fs';
import { copyFile, link, mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Checked, controlCharAt, type FileFact, type Problem } from '../../../client/src/shared.ts';
import { KERNEL_HEAD_BYTES } from './boot-image-facts.ts';
import { kernelSigned } from './kernel-signature.ts';
import { FileChanged, makeTorrent } from './make-torrent.ts';
import type { BuildResult } from './out-plan.ts';
import { type OutFacts, type OutFile, planOut } from './out-plan.ts';
import { DRIVERS_ALL, driversAllFile, locate, PROJECT_ROOT, phase1Files } from './phase1-files.ts';
import { publishQemuProfile, qemuProfileFile } from './qemu-profile-out.ts';
import { type Env, readEnv } from './read-env.ts';

export type { BuildResult } from './out-plan.ts';
export { BUILD_SUMMARY, packTorrents } from './out-plan.ts';

export interface BuildOptions {
  onProgress?: (os: string, done: number, total: number) => void;
  /** the OS torrents' piece length instead of the one chosen for their size (the swarm bench's lever) */
  pieceLength?: number;
  /** where the project's own Phase-1 builds are looked for (dist/); a test points it elsewhere */
  distDir?: string;
}

const ERRNO_WORDS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  EIO: 'the disk reported an input/output error',
  ENOENT: 'a file disappeared while building',
  EISDIR: 'a file became a folder while building',
};

/**
 * Whatever went wrong while reading the OS files or writing out/, as a problem naming the file: a disk
 * that fills or a file that changes under us is the user's to fix, and deserves a sentence, not a trace.
 */
export function problemOf(e: unknown, out: string): Problem {
  if (e instanceof FileChanged) return { file: e.path, field: '', message: e.message };
  const err = e as NodeJS.ErrnoException;
  const words = err?.code ? ERRNO_WORDS[err.code] : undefined;
  return {
    file: err?.path ?? out,
    field: '',
    message: words ? `${words} (${err.code})` : `could not be built: ${err?.message ?? String(e)}`,
  };
}

/** A limit found only while writing out/: reported like a config problem, out/ left as it was. */
class BuildRefused extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.message);
    this.problem = problem;
  }
}

/**
 * env/ → env/out/. Everything is written to a temporary folder next to out/ and swapped in only when
 * complete, so a failed build (bad config, unreadable file, full disk) leaves the previous out/ as it was.
 */
export async function buildEnv(dir: string, opts: BuildOptions = {}): Promise<Checked<BuildResult>> {
  if (controlCharAt(path.resolve(dir)) !== undefined)
    return {
      ok: false,
      problems: [
        {
          file: path.resolve(dir),
          field: '',
          message:
            'the env folder’s path has a control character (a line break or escape); dnsmasq.conf names it: rename the folder',
        },
      ],
      warnings: [],
    };
  const env = await readEnv(path.resolve(dir));
  if (!env.ok) return env;
  const out = path.join(env.value.dir, 'out');
  const tmp = path.join(env.value.dir, `.out.tmp-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  try {
    const plan = planOut(await gather(env.value, tmp, out, opts));
    if (!plan.ok) throw new BuildRefused(plan.problem);
    await apply(plan.files, tmp);
    await swapIn(tmp, out);
    return { ok: true, value: plan.result, warnings: env.warnings };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    if (e instanceof BuildRefused) return { ok: false, problems: [e.problem], warnings: env.warnings };
    return { ok: false, problems: [problemOf(e, out)], warnings: env.warnings };
  }
}

/** Reads and hashes what out/ is made of (torrents, signatures, the Phase-1 files, the qemu profile). */
async function gather(env: Env, tmp: string, out: string, opts: BuildOptions): Promise<OutFacts> {
  const c = env.config;
  const driversAll = c.phase1.drivers === 'all' ? driversAllFile(env.dir, opts.distDir) : undefined;
  // pxelinux stops at an initrd it cannot fetch: a missing one would leave every client at its prompt
  // (said before hashing: an env's images may take minutes)
  if (driversAll && !(await locate(driversAll)))
    throw new BuildRefused({
      file: path.join(env.dir, 'Boottorrent.yaml'),
      field: 'phase1.drivers',
      message: `is all, and ${DRIVERS_ALL} is not built (looked for ${driversAll.candidates.join(' and ')}): run \`${driversAll.makeWith}\`, or set it to default`,
    });
  const announce = c.opentracker.enable
    ? `http://${c.boottorrent.host_ip}:${c.opentracker.port}/announce`
    : undefined;
  const webSeeds = c.http.web_seeds ? [`http://${c.boottorrent.host_ip}:${c.http.port}/oss/`] : undefined;
  const oss: OutFacts['oss'] = [];
  for (const o of env.oss) {
    const t = await makeTorrent({
      folder: o.folder,
      name: o.name,
      files: o.files,
      announce,
      webSeeds,
      ...(opts.pieceLength ? { pieceLength: opts.pieceLength } : {}),
      onProgress: (d, n) => opts.onProgress?.(o.name, d, n),
    });
    const files: Record<string, FileFact> = t.files;
    // a client under Secure Boot can kexec only a signed kernel: it learns which before downloading
    if (o.os.method === 'kexec' && o.os.kernel && files[o.os.kernel]) {
      const kernel = path.join(o.folder, o.os.kernel);
      const signed = kernelSigned(await readHead(kernel, 4096), files[o.os.kernel]!.size);
      files[o.os.kernel] = { ...files[o.os.kernel]!, signed: signed === true };
    }
    oss.push({
      name: o.name,
      os: o.os,
      folder: o.folder,
      fileCount: o.files.length,
      torrent: t.torrent,
      infohash: t.infohash,
      totalLength: t.totalLength,
      pieceLength: t.pieceLength,
      files,
    });
  }

  // OSes that run in qemu need Xorg and qemu on the client: one more torrent, kexec-only envs pay nothing
  const inQemu = env.oss.filter((o) => o.os.method !== 'kexec').map((o) => o.name);
  let profile: OutFacts['profile'];
  let qemuProfileMissing: string[] | undefined;
  if (inQemu.length) {
    const from = await locate(qemuProfileFile(env.dir));
    if (!from) qemuProfileMissing = inQemu;
    else
      profile = await publishQemuProfile({
        from,
        profilesDir: path.join(tmp, 'profiles'),
        announce,
        webSeeds: c.http.web_seeds ? [`http://${c.boottorrent.host_ip}:${c.http.port}/profiles/`] : undefined,
      });
  }

  const phase1: OutFacts['phase1'] = [];
  const missing: OutFacts['missing'] = [];
  for (const f of [...phase1Files(env.dir, opts.distDir), ...(driversAll ? [driversAll] : [])]) {
    const from = await locate(f);
    if (!from) {
      missing.push({ name: f.name, makeWith: f.makeWith });
      continue;
    }
    phase1.push({
      name: f.name,
      source: from,
      size: (await stat(from)).size,
      from: path.relative(from.startsWith(env.dir) ? env.dir : PROJECT_ROOT, from),
      head: await readHead(from, f.name === 'vmlinuz' ? KERNEL_HEAD_BYTES : 0x400),
      makeWith: f.makeWith,
    });
  }
  const tpl = (n: string) => readFileSync(path.join(PROJECT_ROOT, 'assets', 'tpls', n), 'utf8');
  return {
    envDir: env.dir,
    config: c,
    configText: env.text,
    out,
    oss,
    ...(profile ? { profile } : {}),
    ...(qemuProfileMissing ? { qemuProfileMissing } : {}),
    phase1,
    missing,
    templates: {
      dnsmasq: tpl('dnsmasq.conf.tpl'),
      pxelinux: tpl('pxelinux.cfg.tpl'),
      grub: tpl('grub.cfg.tpl'),
    },
  };
}

/** Writes the plan's files into `tmp` (the Phase-1 files as hard links where the file system allows). */
async function apply(files: OutFile[], tmp: string): Promise<void> {
  for (const f of files) {
    const to = path.join(tmp, f.rel);
    await mkdir(path.dirname(to), { recursive: true });
    if ('linkFrom' in f) await linkOrCopy(f.linkFrom, to);
    else await writeFile(to, f.data);
  }
}

async function readHead(file: string, n: number): Promise<Buffer> {
  const h = await open(file);
  try {
    const b = Buffer.alloc(n);
    const { bytesRead } = await h.read(b, 0, n, 0);
    return b.subarray(0, bytesRead);
  } finally {
    await h.close();
  }
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  // a hard link costs nothing for a 40 MB rootfs; across file systems it cannot exist, so copy
  await link(from, to).catch(() => copyFile(from, to));
}

async function swapIn(tmp: string, out: string): Promise<void> {
  const old = `${out}.old-${process.pid}`;
  const hadOld = await rename(out, old).then(
    () => true,
    (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return false;
      throw e;
    },
  );
  try {
    await rename(tmp, out);
  } catch (e) {
    if (hadOld) await rename(old, out);
    throw e;
  }
  if (hadOld) await rm(old, { recursive: true, force: true });
}
