/**
 * The names of what travels in /torrents besides the OSes: no OS may be called so, or its torrent
 * (`<name>.torrent`) or its folder would be one of them. The qemu profile's torrent is qemu-profile.torrent.
 */
// (profiles.yaml is PROFILES_FILE; not imported: shared.ts loads this module before profiles-config.ts)
const TAKEN = new Set(['Boottorrent.yaml', 'configs.yaml', 'profiles.yaml', 'qemu-profile', 'downloads']);

/**
 * Why `name` cannot name an OS (a folder of oss/, an entry of display_oss and configs.yaml, its torrent
 * and its download folder), or undefined. One line of letters, digits and . _ -, not starting with a dot
 * (a hidden folder), not a name the client's own files use. Pure.
 */
export function osNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name) || name.startsWith('.'))
    return 'is not a folder name under oss/ (1 to 64 letters, digits, . _ -, not starting with a dot)';
  if (TAKEN.has(name) || /\.(torrent|aria2|yaml|yml)$/i.test(name))
    return 'is a name the client’s own files use (Boottorrent.yaml, configs.yaml, profiles.yaml, qemu-profile, downloads, *.torrent, *.aria2): rename the folder';
  return undefined;
}

/** Why a `torrent:` entry of configs.yaml is not a torrent file beside it in /torrents, or undefined. */
export function torrentEntryProblem(entry: string): string | undefined {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,70}\.torrent$/.test(entry)
    ? undefined
    : 'must be the name of a .torrent file in /torrents (letters, digits, . _ -), not a path';
}
