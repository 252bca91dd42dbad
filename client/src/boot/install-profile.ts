import { chmod, mkdir, open, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { zstdDecompress } from 'node:zlib';
import { isInsideFolder } from '../config/os-config.ts';
import { type BtError, btError, fromThrown } from '../core/bt-error.ts';
import { readCpio, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from '../cpio/read-cpio.ts';

/** Left in the system root once a profile is unpacked: a second VM does not fetch it again. */
export function profileMarker(system: string, infohash: string): string {
  return path.join(system, 'var', 'lib', 'bttui', `qemu-profile-${infohash}`);
}

/**
 * Unpacks the qemu profile (a zstd newc cpio) into `system`. A file that is already there is left alone:
 * the libraries bttui itself runs on are mapped in memory, and writing over them would crash it.
 */
export async function installProfile(
  archive: string,
  system: string,
  infohash: string,
): Promise<BtError | undefined> {
  try {
    // zlib's default output chunk is 16 KiB: 5,000 trips through the thread pool for 86 MiB
    const members = readCpio(
      await promisify(zstdDecompress)(await readFile(archive), { chunkSize: DECOMPRESS_CHUNK }),
    );
    const systemReal = await realpath(system);
    // links this archive made: no later member is written through one (a link to /etc, then etc/shadow)
    const links = new Set<string>();
    // folders checked to be inside the system and made: most members share one
    const ready = new Set<string>();
    const outside = (m: string) =>
      btError(
        `The qemu profile holds a path outside the system ("${m}").`,
        'rebuild it on the host with `npm run phase1`.',
      );
    for (const m of members) {
      if (!isInsideFolder(m.path)) return outside(m.path);
      const parts = path.normalize(m.path).split(path.sep);
      if (parts.some((_, i) => i > 0 && links.has(parts.slice(0, i).join(path.sep)))) return outside(m.path);
      const to = path.join(system, m.path);
      const dir = path.dirname(to);
      if (!ready.has(dir)) {
        // nor through a link already on the system that leads out of it
        if (!isUnder(await realExisting(dir), systemReal)) return outside(m.path);
        await mkdir(dir, { recursive: true });
        ready.add(dir);
      }
      const type = m.mode & S_IFMT;
      if (type === S_IFDIR) {
        await mkdir(to, { recursive: true });
        await chmod(to, m.mode & 0o7777);
        continue;
      }
      if (type === S_IFLNK) {
        if (await symlink(m.data.toString(), to).then(() => true, leftAlone))
          links.add(path.normalize(m.path));
      } else if (type === S_IFREG) {
        // 'wx': a file already there (a library bttui runs on, or a link) is left as it is
        const f = await open(to, 'wx', m.mode & 0o7777).catch(leftAlone);
        if (f)
          try {
            await f.writeFile(m.data);
          } finally {
            await f.close();
          }
      }
    }
    await mkdir(path.dirname(profileMarker(system, infohash)), { recursive: true });
    await writeFile(profileMarker(system, infohash), `${members.length} members\n`);
    return undefined;
  } catch (e) {
    return fromThrown('unpack Xorg and qemu (the qemu profile)', e);
  }
}

/** Output chunks of the decompression: a few dozen hand-offs for the whole profile. */
const DECOMPRESS_CHUNK = 4 << 20;

/** An EEXIST means "already there, leave it"; anything else is a real failure. */
const leftAlone = (e: NodeJS.ErrnoException): undefined => {
  if (e.code === 'EEXIST') return undefined;
  throw e;
};

const isUnder = (p: string, root: string) =>
  p === root || p.startsWith(root === '/' ? root : root + path.sep);

/** The real path of `p`'s nearest existing ancestor (itself if it exists): where a write there would land. */
async function realExisting(p: string): Promise<string> {
  for (let d = p; ; d = path.dirname(d)) {
    const r = await realpath(d).catch(() => undefined);
    if (r !== undefined) return r;
    if (d === path.dirname(d)) return d;
  }
}
