import { readdirSync, readFileSync } from 'node:fs';
import { copyFile, link, mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import yaml from 'js-yaml';
import {
  type BoottorrentConfig,
  type Checked,
  type CpioEntry,
  controlCharAt,
  cpioNewc,
  DIR,
  FILE,
  type FileFact,
  LIMITS,
  type OsConfig,
  PROFILES_FILE,
  type Problem,
} from '../../../client/src/shared.ts';
import { KERNEL_HEAD_BYTES, type Phase1Part, unpackWarnings } from './boot-image-facts.ts';
import { kernelSigned } from './kernel-signature.ts';
import { FileChanged, makeTorrent } from './make-torrent.ts';
import {
  DRIVERS_ALL,
  driversAllFile,
  locate,
  PHASE1_PARTS,
  PROJECT_ROOT,
  phase1Files,
  phase1Initrds,
} from './phase1-files.ts';
import { publishQemuProfile, qemuProfileFile } from './qemu-profile-out.ts';
import { type Env, readEnv } from './read-env.ts';
import { renderTemplate } from './render-template.ts';

export interface BuildResult {
  out: string;
  config: BoottorrentConfig;
  oss: { name: string; infohash: string; totalLength: number; pieceLength: number; files: number }[];
  /** Phase-1 files that could not be found, with the command that makes each */
  missing: { name: string; makeWith: string }[];
  /** bytes each client fetches in Phase 1: kernel and the three initrds, as found */
  phase1Bytes: Record<string, number>;
  /** initrds the kernel beside them may not unpack, with the fix */
  phase1Warnings: string[];
  /** every torrent the host seeds and the folder its files are found in (the seeder's list) */
  seeds: { torrent: string; dir: string }[];
  /** the qemu profile as published, when an OS runs in qemu and the profile is built */
  qemuProfile?: { infohash: string; bytes: number; unpackedBytes: number };
  /** OSes that run in qemu while no profile is built: they cannot boot until `npm run phase1` */
  qemuProfileMissing?: string[];
}

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

/** The summary `start` and the lab read back, so they never re-derive what build decided. */
export const BUILD_SUMMARY = 'build.json';

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
    const result = await writeOut(env.value, tmp, out, opts);
    await swapIn(tmp, out);
    return { ok: true, value: result, warnings: env.warnings };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    if (e instanceof BuildRefused) return { ok: false, problems: [e.problem], warnings: env.warnings };
    return { ok: false, problems: [problemOf(e, out)], warnings: env.warnings };
  }
}

async function writeOut(env: Env, tmp: string, out: string, opts: BuildOptions): Promise<BuildResult> {
  const c = env.config;
  const driversAll = c.phase1.drivers === 'all' ? driversAllFile(env.dir, opts.distDir) : undefined;
  // pxelinux stops at an initrd it cannot fetch: a missing one would leave every client at its prompt
  if (driversAll && !(await locate(driversAll)))
    throw new BuildRefused({
      file: path.join(env.dir, 'Boottorrent.yaml'),
      field: 'phase1.drivers',
      message: `is all, and ${DRIVERS_ALL} is not built (looked for ${driversAll.candidates.join(' and ')}): run \`${driversAll.makeWith}\`, or set it to default`,
    });
  const torrents = path.join(tmp, 'torrents');
  const ph1 = path.join(tmp, 'dnsmasq', 'ph1');
  await mkdir(torrents, { recursive: true });
  await mkdir(path.join(ph1, 'pxelinux.cfg'), { recursive: true });

  const announce = c.opentracker.enable
    ? `http://${c.boottorrent.host_ip}:${c.opentracker.port}/announce`
    : undefined;
  const webSeeds = c.http.web_seeds ? [`http://${c.boottorrent.host_ip}:${c.http.port}/oss/`] : undefined;
  const configs: Record<string, OsConfig> = {};
  const result: BuildResult = {
    out,
    config: c,
    oss: [],
    missing: [],
    phase1Bytes: {},
    phase1Warnings: [],
    seeds: env.oss.map((o) => ({
      torrent: path.join(out, 'torrents', `${o.name}.torrent`),
      dir: path.join(env.dir, 'oss'),
    })),
  };
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
    if (t.torrent.length > LIMITS.maxTorrentBytes)
      throw new BuildRefused({
        file: path.join(o.folder, 'config.yaml'),
        field: '',
        message: `its torrent would be ${t.torrent.length} bytes, more than the ${LIMITS.maxTorrentBytes} a client reads; pack its files into an image`,
      });
    await writeFile(path.join(torrents, `${o.name}.torrent`), t.torrent);
    const files: Record<string, FileFact> = t.files;
    // a client under Secure Boot can kexec only a signed kernel: it learns which before downloading
    if (o.os.method === 'kexec' && o.os.kernel && files[o.os.kernel]) {
      const kernel = path.join(o.folder, o.os.kernel);
      const signed = kernelSigned(await readHead(kernel, 4096), files[o.os.kernel]!.size);
      files[o.os.kernel] = { ...files[o.os.kernel]!, signed: signed === true };
    }
    configs[o.name] = { ...o.os, torrent: `${o.name}.torrent`, infohash: t.infohash, files };
    result.oss.push({
      name: o.name,
      infohash: t.infohash,
      totalLength: t.totalLength,
      pieceLength: t.pieceLength,
      files: o.files.length,
    });
  }
  const configsText =
    '# Generated by `boottorrent build`: each OS of display_oss, its config.yaml plus what the client verifies.\n' +
    yaml.dump(configs, { lineWidth: -1, noRefs: true });
  // the estimate in readEnv refuses such envs before hashing; this is the exact word
  if (Buffer.byteLength(configsText) > LIMITS.maxConfigBytes)
    throw new BuildRefused({
      file: path.join(out, 'torrents', 'configs.yaml'),
      field: '',
      message:
        `would be ${Buffer.byteLength(configsText)} bytes, more than the ${LIMITS.maxConfigBytes} a client reads; ` +
        'pack OS folders with thousands of files into an image',
    });
  await writeFile(path.join(torrents, 'configs.yaml'), configsText);
  await writeFile(path.join(torrents, 'Boottorrent.yaml'), env.text);

  // OSes that run in qemu need Xorg and qemu on the client: one more torrent, kexec-only envs pay nothing
  const inQemu = env.oss.filter((o) => o.os.method !== 'kexec').map((o) => o.name);
  if (inQemu.length) {
    const from = await locate(qemuProfileFile(env.dir));
    if (!from) result.qemuProfileMissing = inQemu;
    else {
      const p = await publishQemuProfile({
        from,
        profilesDir: path.join(tmp, 'profiles'),
        announce,
        webSeeds: c.http.web_seeds ? [`http://${c.boottorrent.host_ip}:${c.http.port}/profiles/`] : undefined,
      });
      await writeFile(path.join(torrents, p.config.torrent), p.torrent);
      await writeFile(
        path.join(torrents, PROFILES_FILE),
        '# Generated by `boottorrent build`: what a client fetches besides an OS to run it (and verifies).\n' +
          yaml.dump({ qemu: p.config }, { lineWidth: -1 }),
      );
      result.seeds.push({
        torrent: path.join(out, 'torrents', p.config.torrent),
        dir: path.join(out, 'profiles'),
      });
      const archive = Object.values(p.config.files)[0]!;
      result.qemuProfile = {
        infohash: p.config.infohash,
        bytes: archive.size,
        unpackedBytes: p.config.unpacked_bytes,
      };
    }
  }

  await writeFile(path.join(ph1, 'torrents.gz'), packTorrents(torrents));

  const parts = new Map<string, Phase1Part>();
  for (const f of [...phase1Files(env.dir, opts.distDir), ...(driversAll ? [driversAll] : [])]) {
    const from = await locate(f);
    if (!from) {
      result.missing.push({ name: f.name, makeWith: f.makeWith });
      continue;
    }
    await linkOrCopy(from, path.join(ph1, f.name));
    parts.set(f.name, {
      name: f.name,
      from: path.relative(from.startsWith(env.dir) ? env.dir : PROJECT_ROOT, from),
      head: await readHead(from, f.name === 'vmlinuz' ? KERNEL_HEAD_BYTES : 0x400),
      makeWith: f.makeWith,
    });
  }
  const kernel = parts.get('vmlinuz');
  if (kernel)
    result.phase1Warnings = unpackWarnings(
      kernel,
      ['rootfs.gz', DRIVERS_ALL, 'diff.gz'].flatMap((n) => parts.get(n) ?? []),
    );
  for (const n of PHASE1_PARTS) {
    const size = await stat(path.join(ph1, n)).then(
      (s) => s.size,
      () => undefined,
    );
    if (size !== undefined) result.phase1Bytes[n] = size;
  }

  const outPh1 = path.join(out, 'dnsmasq', 'ph1');
  const httpBase = `http://${c.boottorrent.host_ip}:${c.http.port}/`;
  const tpl = (n: string) => readFileSync(path.join(PROJECT_ROOT, 'assets', 'tpls', n), 'utf8');
  await writeFile(
    path.join(tmp, 'dnsmasq', 'dnsmasq.conf'),
    renderTemplate(tpl('dnsmasq.conf.tpl'), {
      interface: c.dnsmasq.interface,
      bind_interfaces: c.dnsmasq.bind_interfaces,
      user: c.dnsmasq.user,
      leasefile: path.join(out, 'dnsmasq', 'dnsmasq.leases'),
      dhcp: c.dnsmasq.enable_dhcp,
      proxy: c.dnsmasq.proxy_dhcp,
      dhcp_range: c.dnsmasq.dhcp_range,
      ipv6_ra: c.dnsmasq.ipv6_ra,
      tftp: c.dnsmasq.enable_tftp,
      ph1: outPh1,
      http: c.http.enable,
    }),
  );
  await writeFile(
    path.join(ph1, 'pxelinux.cfg', 'default'),
    renderTemplate(tpl('pxelinux.cfg.tpl'), {
      base: c.http.enable ? httpBase : '',
      kernel: 'vmlinuz',
      initrds: phase1Initrds(c.phase1.drivers)
        .map((n) => `${c.http.enable ? httpBase : ''}${n}`)
        .join(','),
      append: c.phase1.cmdline || 'quiet',
    }),
  );
  // GRUB (UEFI clients) reads Phase 1 over TFTP from the server shim came from: Debian's signed network
  // GRUB has no http module inside, and under Secure Boot it may not load one
  await mkdir(path.join(ph1, 'grub'), { recursive: true });
  await writeFile(
    path.join(ph1, 'grub', 'grub.cfg'),
    renderTemplate(tpl('grub.cfg.tpl'), {
      kernel: 'vmlinuz',
      initrds: phase1Initrds(c.phase1.drivers)
        .map((n) => `/${n}`)
        .join(' '),
      append: c.phase1.cmdline || 'quiet',
    }),
  );

  // the seeder's view: aria2c input file (each torrent with the folder its files are in) and the tracker whitelist
  await mkdir(path.join(tmp, 'aria2'), { recursive: true });
  await writeFile(
    path.join(tmp, 'aria2', 'seed.list'),
    result.seeds.map((s) => `${s.torrent}\n  dir=${s.dir}\n`).join(''),
  );
  await mkdir(path.join(tmp, 'opentracker'), { recursive: true });
  await writeFile(
    path.join(tmp, 'opentracker', 'whitelist'),
    [...result.oss.map((o) => o.infohash), ...(result.qemuProfile ? [result.qemuProfile.infohash] : [])]
      .map((h) => `${h}\n`)
      .join(''),
  );
  const { config: _, ...summary } = result;
  await writeFile(path.join(tmp, BUILD_SUMMARY), `${JSON.stringify(summary, null, 2)}\n`);
  return result;
}

/**
 * torrents.gz: the kernel unpacks it over the base as /torrents/ (Boottorrent.yaml, configs.yaml, each
 * OS's torrent, and profiles.yaml with the qemu profile's torrent when an OS runs in qemu).
 */
export function packTorrents(torrentsDir: string): Buffer {
  const entries: CpioEntry[] = [{ path: 'torrents', mode: DIR | 0o755 }];
  for (const n of readdirSync(torrentsDir).sort())
    entries.push({
      path: `torrents/${n}`,
      mode: FILE | 0o644,
      data: readFileSync(path.join(torrentsDir, n)),
    });
  return gzipSync(cpioNewc(entries), { level: 9 });
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
