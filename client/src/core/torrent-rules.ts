import { controlCharAt } from '../config/console-text.ts';
import { filesNamedBy, isInsideFolder, type OsConfig } from '../config/os-config.ts';
import type { TorrentInfo } from '../torrent/torrent-file.ts';

/**
 * A rule a torrent must meet against its OS's config before a byte is fetched: each says, in the
 * person's words, what it found, or nothing. Their fix is always the same: build again on the host.
 */
export interface TorrentRule {
  name: string;
  check(os: OsConfig, torrent: TorrentInfo): string | undefined;
}

export const TORRENT_RULES: TorrentRule[] = [
  {
    name: 'it is the torrent the host configured',
    check: (os, t) =>
      os.infohash && os.infohash !== t.infohash
        ? `The torrent for ${os.dispname} is not the one the host configured.`
        : undefined,
  },
  {
    name: 'its folder is a plain name',
    check: (os, t) =>
      !isInsideFolder(t.name) || t.name.includes('/') || controlCharAt(t.name) !== undefined
        ? `The torrent for ${os.dispname} names a folder outside the download area ("${t.name}").`
        : undefined,
  },
  {
    name: 'its files stay inside its folder',
    check: (os, t) => {
      const escaping = t.files.find((f) => !isInsideFolder(f.path));
      return escaping
        ? `The torrent for ${os.dispname} has a file outside its folder ("${escaping.path}").`
        : undefined;
    },
  },
  {
    name: 'it holds every file the config names',
    check: (os, t) => {
      const have = new Set(t.files.map((f) => f.path));
      const lacking = filesNamedBy(os).find((f) => !have.has(f));
      return lacking ? `${os.dispname} needs "${lacking}", but its torrent does not contain it.` : undefined;
    },
  },
  {
    // a client boots nothing it has not checked against the host's sha256: no list, no boot
    name: 'the host gave checksums',
    check: (os) =>
      !os.files || Object.keys(os.files).length === 0
        ? `The host's configs.yaml has no checksums for ${os.dispname}, so it cannot be verified.`
        : undefined,
  },
  {
    name: 'there is something to boot',
    check: (os, t) =>
      t.totalLength === 0
        ? `${os.dispname} has only empty files: there is nothing to download or boot.`
        : undefined,
  },
  {
    name: 'each listed file has the size the config says',
    check: (os, t) => {
      const sizes = new Map(t.files.map((f) => [f.path, f.length]));
      const off = Object.entries(os.files ?? {}).find(([f, fact]) => sizes.get(f) !== fact.size);
      return off
        ? `The torrent for ${os.dispname} does not match its config ("${off[0]}" differs).`
        : undefined;
    },
  },
  {
    name: 'the config lists every file of the torrent',
    check: (os, t) => {
      const unlisted = t.files.find((f) => !(f.path in (os.files ?? {})));
      return unlisted
        ? `The torrent for ${os.dispname} has a file its config does not list ("${unlisted.path}").`
        : undefined;
    },
  },
];

/** The first rule the torrent breaks, in the order above, as the sentence to show; undefined when none. */
export function torrentRefusal(os: OsConfig, torrent: TorrentInfo): string | undefined {
  for (const r of TORRENT_RULES) {
    const said = r.check(os, torrent);
    if (said) return said;
  }
  return undefined;
}
