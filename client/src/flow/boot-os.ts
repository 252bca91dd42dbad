// Over 250 lines: the stages of one attempt (prepare, fetch, verify, load and seed, exec) read best in one place, in order.
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Booter } from '../boot/booter.ts';
import type { ClientConfig } from '../config/client-config.ts';
import type { OsConfig } from '../config/os-config.ts';
import { type BtError, btError, fromThrown } from '../core/bt-error.ts';
import { LIMITS } from '../core/limits.ts';
import { type BootPlan, type PlanInput, planBoot } from '../core/plan-boot.ts';
import { splitSources } from '../core/split-sources.ts';
import {
  combineTransfers,
  type DownloadEngine,
  type Transfer,
  type TransferStats,
} from '../engines/engine.ts';
import type { BootEvents, EventOs } from '../events/boot-events.ts';
import { parseTorrent, type TorrentInfo } from '../torrent/torrent-file.ts';
import { bytes } from '../ui/format.ts';
import type { Ui } from '../ui/ui.ts';
import { stallError } from './stall-cause.ts';
import { type Clock, watchTransfer } from './watch-transfer.ts';

export interface BootDeps {
  config: ClientConfig;
  /** where /torrents/*.torrent are */
  rootDir: string;
  /** where OS files are downloaded (RAM) */
  dataDir: string;
  engine: DownloadEngine;
  booter: Booter;
  ui: Ui;
  /** what the host's dashboard learns: a stage change, a progress sample */
  events: BootEvents;
  clock: Clock;
  memAvailable: () => Promise<number | undefined>;
  /** free bytes of the file system under dataDir (the RAM disk has a size of its own) */
  diskFree: (dir: string) => Promise<number | undefined>;
  /** whether the kernel is locked down (Secure Boot): kexec then only of signed kernels, with kexec -s */
  lockdown: () => Promise<boolean>;
  verify: (plan: BootPlan) => Promise<BtError | undefined>;
  /** says why no peer can be reached (no interface, no link, no address), before a download and when it stalls */
  checkNetwork: () => Promise<BtError | undefined>;
}

/** failed: back to the menu; returned: a VM ended; ready: the booter stopped on purpose before kexec -e */
export type BootOutcome = { kind: 'failed'; error: BtError } | { kind: 'returned' } | { kind: 'ready' };

/** What prepare found: the OS, its torrent, and the plan for it. */
interface Prepared {
  os: OsConfig;
  about: EventOs;
  torrent: TorrentInfo;
  plan: BootPlan;
}

type Step<T> = { ok: true; value: T } | { ok: false; error: BtError };
const failed = (error: BtError) => ({ ok: false as const, error });

/**
 * Boots one OS in the stages a reader can name: prepare (torrents and plan, no network), fetch (the
 * swarm, until every piece is in), verify (sha256 against the host's), then load and seed, and exec,
 * the point of no return; a qemu OS runs instead, seeding meanwhile. Every stage before exec comes back
 * as a value. The transfer is stopped in one place whatever happens (finally), and before exec.
 */
export async function bootOs(d: BootDeps, name: string): Promise<BootOutcome> {
  const prepared = await prepare(d, name);
  if (!prepared.ok) return { kind: 'failed', error: prepared.error };
  const { os, about, plan } = prepared.value;
  const fetched = await fetchOs(d, prepared.value);
  if (!fetched.ok) return { kind: 'failed', error: fetched.error };
  const transfer = fetched.value;
  // whatever ends this attempt short of the point of no return frees what it downloaded: a retry
  // fetches again anyway, and partial files left in RAM would make the next OS not fit (a wedged client)
  let keepFiles = false;
  try {
    d.ui.progress({ stage: 'verify', dispname: os.dispname, stats: transfer.stats() });
    d.events.stage('verify', about, transfer.stats());
    const bad = await d.verify(plan);
    // wrong bytes are of no use to anyone: never seed them (the files go in `finally`)
    if (bad) return { kind: 'failed', error: bad };
    d.ui.info(
      `${os.dispname}: all ${plan.verify.length || prepared.value.torrent.files.length} file(s) verified`,
    );

    const a = plan.action;
    if (a.kind === 'qemu') {
      const e = await runVm(d, about, transfer, a);
      return e ? { kind: 'failed', error: e } : { kind: 'returned' };
    }
    d.ui.progress({ stage: 'load', dispname: os.dispname, stats: transfer.stats() });
    d.events.stage('load', about, transfer.stats());
    const notLoaded = await d.booter.load(a);
    if (notLoaded) return { kind: 'failed', error: notLoaded };
    // the figures from before the engine stops (a stopped WebTorrent reports nothing)
    const final = await seed(d, about, transfer);
    await transfer.stop();
    d.ui.info(`${os.dispname}: booting`);
    d.events.stage('boot', about, final);
    // the host's dashboard should learn that this client left, but a silent host must not hold it here
    await d.events.flush(1000);
    const error = await d.booter.exec();
    if (error) return { kind: 'failed', error };
    // a booter that stops before the point of no return (--no-exec, --dry-run) leaves the files to look at
    keepFiles = true;
    return { kind: 'ready' };
  } finally {
    await transfer.stop();
    if (!keepFiles) await removeDownloads(plan);
  }
}

/** Reads and checks a torrent this client carries (in torrents.gz); `what` names it in the message. */
async function readOwnTorrent(file: string, what: string): Promise<Step<TorrentInfo>> {
  const rebuild = 'rebuild on the host and reboot this client.';
  const size = await stat(file).then(
    (s) => s.size,
    () => -1,
  );
  if (size < 0) return failed(btError(`The torrent for ${what} is missing (${file}).`, rebuild));
  if (size > LIMITS.maxTorrentBytes)
    return failed(btError(`The torrent for ${what} is too large to be ours.`, rebuild));
  const parsed = parseTorrent(await readFile(file));
  if (!parsed.ok) return failed(btError(`The torrent for ${what} is damaged: ${parsed.reason}.`, rebuild));
  return { ok: true, value: parsed.torrent };
}

/** prepare: the torrents (the OS's and, for a VM, the qemu profile's) and the plan; no network yet. */
async function prepare(d: BootDeps, name: string): Promise<Step<Prepared>> {
  const entry = d.config.oss.find((o) => o.name === name);
  if (!entry) return failed(btError(`"${name}" is not an OS on this menu.`, 'choose one from the list.'));
  const { os } = entry;
  const torrentFile = path.join(d.rootDir, os.torrent ?? `${name}.torrent`);
  const torrent = await readOwnTorrent(torrentFile, os.dispname);
  if (!torrent.ok) return torrent;

  const profile = os.method === 'kexec' ? undefined : d.config.profiles.qemu;
  let qemuProfile: PlanInput['qemuProfile'];
  if (profile) {
    const file = path.join(d.rootDir, profile.torrent);
    const t = await readOwnTorrent(file, 'the qemu profile');
    if (!t.ok) return t;
    qemuProfile = {
      config: profile,
      torrent: t.value,
      torrentFile: file,
      installed: await d.booter.hasProfile(profile.infohash),
    };
  }
  const planned = planBoot({
    name,
    os,
    torrent: torrent.value,
    torrentFile,
    dataDir: d.dataDir,
    availableBytes: await d.memAvailable(),
    diskFreeBytes: await d.diskFree(d.dataDir),
    lockdown: await d.lockdown(),
    reserveBytes: d.config.settings.boottorrent.ram_reserve_mb * 1048576,
    ...(qemuProfile ? { qemuProfile } : {}),
  });
  if (!planned.ok) return failed(planned.error);
  const plan = planned.plan;
  if (plan.action.kind === 'kexec' && plan.action.fileLoad)
    d.ui.info(
      `${os.dispname}: Secure Boot is on (Phase 1 is locked down): its kernel is loaded with kexec -s, which checks the signature`,
    );
  return { ok: true, value: { os, about: { name, label: os.dispname }, torrent: torrent.value, plan } };
}

/** fetchOs: the OS (and the qemu profile) from the swarm into RAM, until every piece is in and checked. */
async function fetchOs(d: BootDeps, p: Prepared): Promise<Step<Transfer>> {
  const { os, about, plan } = p;
  const offline = await d.checkNetwork();
  if (offline) return failed(offline);
  d.ui.info(
    `${os.dispname}: fetching ${p.torrent.files.length} file(s) over BitTorrent with ${d.engine.name}` +
      (plan.extra ? ', and Xorg with qemu (the qemu profile) in the same swarm' : ''),
  );
  d.events.stage('download', about);
  const transfers: Transfer[] = [];
  try {
    const jobs = [
      { torrentFile: plan.torrentFile, dataDir: plan.fetchDir },
      ...(plan.extra ? [{ torrentFile: plan.extra.torrentFile, dataDir: plan.extra.fetchDir }] : []),
    ];
    for (const job of jobs) {
      await mkdir(job.dataDir, { recursive: true });
      transfers.push(await d.engine.start(job));
    }
  } catch (e) {
    await Promise.all(transfers.map((t) => t.stop()));
    await removeDownloads(plan);
    return failed(fromThrown(`start the ${d.engine.name} download`, e));
  }
  const transfer = combineTransfers(transfers);
  const started = d.clock.now();
  const stalled = await watchTransfer(transfer, {
    stallMs: d.config.settings.boottorrent.stall_timeout * 1000,
    tickMs: LIMITS.progressIntervalMs,
    clock: d.clock,
    onTick: (s) => show(d, about, 'download', s),
    onStall: async (s, since) =>
      stallError(s, {
        stallMs: d.config.settings.boottorrent.stall_timeout * 1000,
        hostIp: d.config.settings.boottorrent.host_ip,
        network: await d.checkNetwork(),
        since,
      }),
  });
  if (stalled) {
    await transfer.stop();
    await removeDownloads(plan);
    return failed(stalled);
  }
  const secs = ((d.clock.now() - started) / 1000).toFixed(1);
  // the OS and, for a VM, the qemu profile fetched with it
  const fetched = plan.totalBytes + (plan.extra?.totalBytes ?? 0);
  d.ui.info(`${os.dispname}: downloaded ${bytes(fetched)} in ${secs} s`);
  const got = splitSources(transfer.stats().bySource ?? {}, d.config.settings.boottorrent.host_ip, fetched);
  d.ui.info(
    `${os.dispname}: received ${bytes(got.fromHost)} from the host and ${bytes(got.fromPeers)} from other clients`,
  );
  return { ok: true, value: transfer };
}

/** seed: seed_time seconds of giving back after the load, before exec (the original's seed_time/60 never seeded). */
async function seed(d: BootDeps, about: EventOs, transfer: Transfer): Promise<TransferStats> {
  const seedTime = d.config.settings.boottorrent.seed_time;
  if (seedTime > 0) d.events.stage('seed', about, transfer.stats(), { seedLeft: seedTime });
  for (let left = seedTime; left > 0; left--) {
    show(d, about, 'seed', transfer.stats(), left);
    await d.clock.sleep(1000);
  }
  // the figures before the engine stops: the host's dashboard gets them whether or not exec follows
  const final = transfer.stats();
  d.events.progress(about, final, { seedLeft: 0 });
  d.ui.info(`${about.label}: uploaded ${bytes(final.uploaded)} to other clients`);
  return final;
}

/** A qemu OS: it runs in a VM on this client while the client keeps seeding; the menu comes back after. */
async function runVm(
  d: BootDeps,
  about: EventOs,
  transfer: Transfer,
  a: Extract<BootPlan['action'], { kind: 'qemu' }>,
): Promise<BtError | undefined> {
  d.events.stage('vm', about, transfer.stats());
  show(d, about, 'vm', transfer.stats());
  const ticker = setInterval(() => show(d, about, 'vm', transfer.stats()), 5000);
  try {
    return await d.booter.runVm(a);
  } finally {
    clearInterval(ticker);
  }
}

/** One progress view: on the screen, and as a sample to the host. */
function show(
  d: BootDeps,
  about: EventOs,
  stage: 'download' | 'seed' | 'vm',
  stats: TransferStats,
  seedLeft?: number,
) {
  d.ui.progress({ stage, dispname: about.label, stats, ...(seedLeft !== undefined ? { seedLeft } : {}) });
  d.events.progress(about, stats, seedLeft !== undefined ? { seedLeft } : undefined);
}

/** Frees the RAM an attempt took; the profile's archive goes too, what was unpacked from it stays for the next VM. */
async function removeDownloads(plan: BootPlan): Promise<void> {
  for (const dir of [plan.fetchDir, ...(plan.extra ? [plan.extra.fetchDir] : [])])
    await rm(dir, { recursive: true, force: true });
}
