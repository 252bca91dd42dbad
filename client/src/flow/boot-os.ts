import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Booter } from '../boot/booter.ts';
import type { ClientConfig } from '../config/client-config.ts';
import { type BtError, btError, fromThrown } from '../core/bt-error.ts';
import { LIMITS } from '../core/limits.ts';
import { type BootPlan, type PlanInput, planBoot } from '../core/plan-boot.ts';
import { splitSources } from '../core/split-sources.ts';
import { combineTransfers, type DownloadEngine, type Transfer } from '../engines/engine.ts';
import type { BootEvents } from '../events/boot-events.ts';
import { parseTorrent } from '../torrent/torrent-file.ts';
import { bytes } from '../ui/format.ts';
import type { Ui } from '../ui/ui.ts';
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
  /** says why no peer could be reached (no network address at all), before a download stalls on it */
  checkNetwork: () => Promise<BtError | undefined>;
  /** run up to, not including, the point of no return */
  noExec: boolean;
  /** do not even load: print what would run */
  dryRun: boolean;
}

/** failed: back to the menu; returned: a VM ended; ready: --no-exec/--dry-run stopped at the point of no return */
export type BootOutcome = { kind: 'failed'; error: BtError } | { kind: 'returned' } | { kind: 'ready' };

/** Load (download, verify, kexec -l), then exec: everything before exec comes back as a value. */
export async function bootOs(d: BootDeps, name: string): Promise<BootOutcome> {
  const fail = (error: BtError): BootOutcome => ({ kind: 'failed', error });
  const entry = d.config.oss.find((o) => o.name === name);
  if (!entry) return fail(btError(`"${name}" is not an OS on this menu.`, 'choose one from the list.'));
  const { os } = entry;
  const torrentFile = path.join(d.rootDir, os.torrent ?? `${name}.torrent`);
  const size = await stat(torrentFile).then(
    (s) => s.size,
    () => -1,
  );
  if (size < 0)
    return fail(
      btError(
        `The torrent for ${os.dispname} is missing (${torrentFile}).`,
        'rebuild on the host and reboot this client.',
      ),
    );
  if (size > LIMITS.maxTorrentBytes)
    return fail(btError(`The torrent for ${os.dispname} is too large to be ours.`, 'rebuild on the host.'));
  const parsed = parseTorrent(await readFile(torrentFile));
  if (!parsed.ok)
    return fail(
      btError(
        `The torrent for ${os.dispname} is damaged: ${parsed.reason}.`,
        'rebuild on the host and reboot this client.',
      ),
    );

  const profile = os.method === 'kexec' ? undefined : d.config.profiles.qemu;
  let qemuProfile: PlanInput['qemuProfile'];
  if (profile) {
    const file = path.join(d.rootDir, profile.torrent);
    const t = await readFile(file)
      .then(parseTorrent)
      .catch(() => undefined);
    if (!t?.ok)
      return fail(
        btError(
          `The torrent of the qemu profile (${file}) is ${t ? `damaged: ${t.reason}` : 'missing'}.`,
          'rebuild on the host and reboot this client.',
        ),
      );
    qemuProfile = {
      config: profile,
      torrent: t.torrent,
      torrentFile: file,
      installed: await d.booter.hasProfile(profile.infohash),
    };
  }
  const planned = planBoot({
    name,
    os,
    torrent: parsed.torrent,
    torrentFile,
    dataDir: d.dataDir,
    availableBytes: await d.memAvailable(),
    diskFreeBytes: await d.diskFree(d.dataDir),
    lockdown: await d.lockdown(),
    reserveBytes: d.config.settings.boottorrent.ram_reserve_mb * 1048576,
    ...(qemuProfile ? { qemuProfile } : {}),
  });
  if (!planned.ok) return fail(planned.error);
  const plan = planned.plan;
  if (plan.action.kind === 'kexec' && plan.action.fileLoad)
    d.ui.info(
      `${os.dispname}: Secure Boot is on (Phase 1 is locked down): its kernel is loaded with kexec -s, which checks the signature`,
    );
  const offline = await d.checkNetwork();
  if (offline) return fail(offline);
  d.ui.info(
    `${os.dispname}: fetching ${parsed.torrent.files.length} file(s) over BitTorrent with ${d.engine.name}` +
      (plan.extra ? ', and Xorg with qemu (the qemu profile) in the same swarm' : ''),
  );

  const about = { name, label: os.dispname };
  d.events.stage('download', about);
  const transfers: Transfer[] = [];
  try {
    for (const t of [torrentFile, ...(plan.extra ? [plan.extra.torrentFile] : [])])
      transfers.push(await d.engine.start({ torrentFile: t, dataDir: d.dataDir }));
  } catch (e) {
    await Promise.all(transfers.map((t) => t.stop()));
    return fail(fromThrown(`start the ${d.engine.name} download`, e));
  }
  const transfer = combineTransfers(transfers);
  // whatever ends this attempt short of the point of no return frees what it downloaded: a retry
  // fetches again anyway, and partial files left in RAM would make the next OS not fit (a wedged client)
  let keepFiles = false;
  const started = d.clock.now();
  const view = (stage: 'download' | 'seed' | 'vm', seedLeft?: number, stats = transfer.stats()) => {
    d.ui.progress({ stage, dispname: os.dispname, stats, ...(seedLeft !== undefined ? { seedLeft } : {}) });
    d.events.progress(about, stats, seedLeft !== undefined ? { seedLeft } : undefined);
  };
  try {
    const stalled = await watchTransfer(transfer, {
      stallMs: d.config.settings.boottorrent.stall_timeout * 1000,
      tickMs: LIMITS.progressIntervalMs,
      clock: d.clock,
      onTick: (s) => view('download', undefined, s),
    });
    if (stalled) return fail(stalled);
    const secs = ((d.clock.now() - started) / 1000).toFixed(1);
    // the OS and, for a VM, the qemu profile fetched with it
    const fetched = plan.totalBytes + (plan.extra?.totalBytes ?? 0);
    d.ui.info(`${os.dispname}: downloaded ${bytes(fetched)} in ${secs} s`);
    const got = splitSources(transfer.stats().bySource ?? {}, d.config.settings.boottorrent.host_ip, fetched);
    d.ui.info(
      `${os.dispname}: received ${bytes(got.fromHost)} from the host and ${bytes(got.fromPeers)} from other clients`,
    );
    d.ui.progress({ stage: 'verify', dispname: os.dispname, stats: transfer.stats() });
    d.events.stage('verify', about, transfer.stats());
    const bad = await d.verify(plan);
    // wrong bytes are of no use to anyone: never seed them (the files go in `finally`)
    if (bad) return fail(bad);
    d.ui.info(`${os.dispname}: all ${plan.verify.length || parsed.torrent.files.length} file(s) verified`);

    const a = plan.action;
    if (d.dryRun) {
      for (const line of d.booter.describe(a)) d.ui.info(`dry run, would run: ${line}`);
      keepFiles = true;
      return { kind: 'ready' };
    }
    if (a.kind === 'qemu') {
      d.events.stage('vm', about, transfer.stats());
      view('vm');
      const ticker = setInterval(() => view('vm'), 5000);
      try {
        const e = await d.booter.runVm(a);
        if (e) return fail(e);
      } finally {
        clearInterval(ticker);
      }
      return { kind: 'returned' };
    }

    d.ui.progress({ stage: 'load', dispname: os.dispname, stats: transfer.stats() });
    d.events.stage('load', about, transfer.stats());
    const notLoaded = await d.booter.load(a);
    if (notLoaded) return fail(notLoaded);
    // the original computed seed_time/60 and never seeded: seconds are meant
    const seedTime = d.config.settings.boottorrent.seed_time;
    if (seedTime > 0) d.events.stage('seed', about, transfer.stats(), { seedLeft: seedTime });
    for (let left = seedTime; left > 0; left--) {
      view('seed', left);
      await d.clock.sleep(1000);
    }
    // the figures before the engine stops: the host's dashboard gets them whether or not exec follows
    const final = transfer.stats();
    d.events.progress(about, final, { seedLeft: 0 });
    d.ui.info(`${os.dispname}: uploaded ${bytes(final.uploaded)} to other clients`);
    await transfer.stop();
    if (d.noExec) {
      for (const line of d.booter.describe(a).slice(1)) d.ui.info(`--no-exec: stopping before ${line}`);
      keepFiles = true;
      return { kind: 'ready' };
    }
    d.ui.info(`${os.dispname}: booting`);
    d.events.stage('boot', about, final);
    // the host's dashboard should learn that this client left, but a silent host must not hold it here
    await d.events.flush(1000);
    return fail(await d.booter.exec());
  } finally {
    await transfer.stop();
    // the profile's archive goes too; what was unpacked from it stays for the next VM
    if (!keepFiles)
      for (const dir of [plan.osDir, ...(plan.extra ? [plan.extra.dir] : [])])
        await rm(dir, { recursive: true, force: true });
  }
}
