import { copyFile, link, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { zstdDecompressSync } from 'node:zlib';
import { type ProfileConfig, readCpio, S_IFMT, S_IFREG } from '../../../client/src/shared.ts';
import { makeTorrent } from './make-torrent.ts';
import { type Phase1File, PROJECT_ROOT } from './phase1-files.ts';

/** The qemu profile's torrent name (its folder under out/profiles/) and its one file. */
export const QEMU_PROFILE = { name: 'qemu-profile', archive: 'qemu-profile.cpio.zst' } as const;

/** Where the profile comes from: the env's own ph1/, else what `npm run phase1` built. */
export function qemuProfileFile(envDir: string): Phase1File {
  return {
    name: QEMU_PROFILE.archive,
    candidates: [
      path.join(envDir, 'ph1', QEMU_PROFILE.archive),
      path.join(PROJECT_ROOT, 'dist', 'qemu-profile', QEMU_PROFILE.archive),
    ],
    makeWith: 'npm run phase1',
  };
}

/** Bytes the archive's files take once unpacked: what a client's RAM check must count. */
export async function unpackedBytes(archive: string): Promise<number> {
  return readCpio(zstdDecompressSync(await readFile(archive)))
    .filter((m) => (m.mode & S_IFMT) === S_IFREG)
    .reduce((n, m) => n + m.data.length, 0);
}

/**
 * Publishes the profile beside the OS torrents: linked into `profilesDir/qemu-profile/` (the seeder's
 * folder), a torrent of it, and the entry of profiles.yaml that lets a client verify and size it.
 */
export async function publishQemuProfile(o: {
  from: string;
  profilesDir: string;
  announce?: string;
  webSeeds?: string[];
}): Promise<{ torrent: Buffer; config: ProfileConfig }> {
  const folder = path.join(o.profilesDir, QEMU_PROFILE.name);
  await mkdir(folder, { recursive: true });
  const to = path.join(folder, QEMU_PROFILE.archive);
  await link(o.from, to).catch(() => copyFile(o.from, to));
  const t = await makeTorrent({
    folder,
    name: QEMU_PROFILE.name,
    files: [{ path: QEMU_PROFILE.archive, size: (await stat(to)).size }],
    announce: o.announce,
    webSeeds: o.webSeeds,
  });
  return {
    torrent: t.torrent,
    config: {
      torrent: `${QEMU_PROFILE.name}.torrent`,
      infohash: t.infohash,
      files: t.files,
      unpacked_bytes: await unpackedBytes(to),
    },
  };
}
