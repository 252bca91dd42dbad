import path from 'node:path';
import { isInsideFolder, type OsConfig } from '../config/os-config.ts';
import type { ProfileConfig } from '../config/profiles-config.ts';
import type { TorrentInfo } from '../torrent/torrent-file.ts';
import { type BtError, btError } from './bt-error.ts';
import { LIMITS } from './limits.ts';
import { torrentRefusal } from './torrent-rules.ts';

export type BootAction =
  | {
      kind: 'kexec';
      kernel: string;
      initrd?: string;
      cmdline: string;
      /** kexec_file_load (`kexec -s`): the kernel checks the signature; the only way under lockdown */
      fileLoad?: boolean;
    }
  | {
      kind: 'qemu';
      cwd: string;
      args: string[];
      /** the qemu profile's archive to unpack first, when this client does not hold it yet */
      profile?: { archive: string; infohash: string };
    };

/** Everything decided before the first byte is fetched; the effects only carry it out. */
export interface BootPlan {
  name: string;
  dispname: string;
  torrentFile: string;
  /**
   * the engine downloads into this folder, this OS's own (dataDir/downloads/<name>): the OS lands in
   * osDir = fetchDir/<torrent name>, and a failed attempt removes fetchDir, which holds nothing else
   */
  fetchDir: string;
  osDir: string;
  totalBytes: number;
  /** every file with its sha256 from the host, checked after download */
  verify: { path: string; size: number; sha256: string }[];
  action: BootAction;
  /** a second torrent fetched in the same session: the qemu profile, when the client lacks it */
  extra?: { torrentFile: string; fetchDir: string; dir: string; totalBytes: number };
}

export interface PlanInput {
  name: string;
  os: OsConfig;
  torrent: TorrentInfo;
  torrentFile: string;
  dataDir: string;
  availableBytes: number | undefined;
  /** free space of the file system under dataDir */
  diskFreeBytes?: number | undefined;
  reserveBytes: number;
  /** the running kernel is locked down (UEFI Secure Boot): only signed kernels can be kexec'd */
  lockdown?: boolean;
  /** the host's qemu profile, for the qemu methods: its torrent, and whether this client holds it already */
  qemuProfile?: { config: ProfileConfig; torrent: TorrentInfo; torrentFile: string; installed: boolean };
}

/**
 * Where an attempt downloads: a folder of its own under dataDir/downloads (dataDir is /torrents in Phase 1,
 * beside configs.yaml and the torrents). OS names are plain names, checked; the profile's starts with a
 * dot, which no OS name may.
 */
export function downloadsOf(dataDir: string, name: string): string {
  return path.join(dataDir, 'downloads', name);
}
const PROFILE_DOWNLOADS = '.qemu-profile';

const mib = (n: number) => `${Math.ceil(n / 1048576)} MiB`;

/** Checks the torrent against the OS config and the client's RAM, then says exactly what to do. */
export function planBoot(p: PlanInput): { ok: true; plan: BootPlan } | { ok: false; error: BtError } {
  const { os, torrent } = p;
  const fail = (message: string, hint: string) => ({ ok: false as const, error: btError(message, hint) });
  const rebuild = 'rebuild on the host (`boottorrent start` does it) and reboot this client.';
  const refused = torrentRefusal(os, torrent);
  if (refused) return fail(refused, rebuild);
  const inTorrent = new Map(torrent.files.map((f) => [f.path, f.length]));
  const fetchDir = downloadsOf(p.dataDir, p.name);
  const osDir = path.join(fetchDir, torrent.name);
  const files = os.files!;
  const verify: BootPlan['verify'] = Object.entries(files).map(([f, fact]) => ({
    path: path.join(osDir, f),
    size: fact.size,
    sha256: fact.sha256,
  }));

  let action: BootAction;
  let extra = 0;
  switch (os.method) {
    case 'kexec':
      // said before the download: under Secure Boot an unsigned kernel would only fail at kexec
      if (p.lockdown && files[os.kernel]?.signed === false)
        return fail(
          `${os.dispname} cannot start on this machine: Secure Boot is on, and its kernel (${os.kernel}) is not signed.`,
          'under Secure Boot Phase 1 starts only kernels signed by a key it trusts (Debian’s own kernels are); give this OS a signed kernel, or switch Secure Boot off in this machine’s firmware.',
        );
      action = { kind: 'kexec', kernel: path.join(osDir, os.kernel), cmdline: os.cmdline ?? '' };
      if (p.lockdown) action.fileLoad = true;
      if (os.initrd) action.initrd = path.join(osDir, os.initrd);
      // kexec -s reads a copy of the files (see the booter): one copy more, for a moment
      extra =
        (LIMITS.kexecCopies - (p.lockdown ? 0 : 1)) *
        ((inTorrent.get(os.kernel) ?? 0) + (os.initrd ? (inTorrent.get(os.initrd) ?? 0) : 0));
      break;
    case 'qemu-iso':
      // -accel kvm falls back to tcg where there is no KVM, so one line serves every client
      action = { kind: 'qemu', cwd: osDir, args: ['-accel', 'kvm', '-accel', 'tcg', '-cdrom', os.isofile] };
      break;
    case 'bin-qemu-x86_64': {
      const args = os.args.split(/\s+/).filter(Boolean);
      // KVM when the machine has it, as for ISOs, unless the OS's args choose an accelerator themselves
      const chooses = args.some((a) => a === '-accel' || a === '-enable-kvm' || /(^|,)accel=/.test(a));
      action = {
        kind: 'qemu',
        cwd: osDir,
        args: chooses ? args : ['-accel', 'kvm', '-accel', 'tcg', ...args],
      };
      break;
    }
    default: {
      // a configs.yaml from a newer host can name a method this client does not have
      const unknown = os as { dispname: string; method: string };
      return fail(
        `${unknown.dispname} has a boot method this bttui does not know ("${unknown.method}").`,
        rebuild,
      );
    }
  }

  // Xorg and qemu come as one more torrent, fetched with the OS unless an earlier VM left them here
  let profileExtra: BootPlan['extra'];
  let profileBytes = 0;
  if (action.kind === 'qemu' && p.qemuProfile && !p.qemuProfile.installed) {
    const q = p.qemuProfile;
    if (q.torrent.infohash !== q.config.infohash)
      return fail(`The qemu profile's torrent is not the one the host configured.`, rebuild);
    if (!isInsideFolder(q.torrent.name) || q.torrent.name.includes('/'))
      return fail(`The qemu profile's torrent names a folder outside the download area.`, rebuild);
    const profileFetch = downloadsOf(p.dataDir, PROFILE_DOWNLOADS);
    const dir = path.join(profileFetch, q.torrent.name);
    const sizes = new Map(q.torrent.files.map((f) => [f.path, f.length]));
    for (const [f, fact] of Object.entries(q.config.files)) {
      if (sizes.get(f) !== fact.size || !isInsideFolder(f))
        return fail(`The qemu profile's torrent does not match profiles.yaml ("${f}" differs).`, rebuild);
      verify.push({ path: path.join(dir, f), size: fact.size, sha256: fact.sha256 });
    }
    const archive = Object.keys(q.config.files)[0]!;
    action.profile = { archive: path.join(dir, archive), infohash: q.config.infohash };
    profileExtra = {
      torrentFile: q.torrentFile,
      fetchDir: profileFetch,
      dir,
      totalBytes: q.torrent.totalLength,
    };
    profileBytes = q.torrent.totalLength + q.config.unpacked_bytes;
  }

  const need = torrent.totalLength + profileBytes + extra + p.reserveBytes;
  if (p.availableBytes !== undefined && need > p.availableBytes)
    return fail(
      `${os.dispname} needs ${mib(need)} of RAM (${mib(torrent.totalLength)} of files, ${profileBytes ? `${mib(profileBytes)} for Xorg and qemu, ` : ''}${mib(p.reserveBytes)} kept free), but only ${mib(p.availableBytes)} is available.`,
      'choose a smaller OS, or boot this one on a client with more memory.',
    );
  // the RAM disk is a file system with a size of its own (tmpfs: half the RAM unless told otherwise)
  if (p.diskFreeBytes !== undefined && torrent.totalLength + profileBytes > p.diskFreeBytes)
    return fail(
      `${os.dispname} needs ${mib(torrent.totalLength + profileBytes)} in the RAM disk (${p.dataDir}), which has ${mib(p.diskFreeBytes)} free.`,
      'choose a smaller OS; a Phase-1 base of your own should give its RAM disk more room (mount -o remount,size=90% /).',
    );
  return {
    ok: true,
    plan: {
      name: p.name,
      dispname: os.dispname,
      torrentFile: p.torrentFile,
      fetchDir,
      osDir,
      totalBytes: torrent.totalLength,
      verify,
      action,
      ...(profileExtra ? { extra: profileExtra } : {}),
    },
  };
}
