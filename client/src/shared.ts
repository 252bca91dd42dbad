/**
 * The client's public face: what `boottorrent` (host/) and the tools use of it. BootTorrent is
 * client-first: the env format is what bttui reads, so the client owns it and the host checks an env
 * with the very code its clients run. Anything host/ needs from client/ comes through here, so this file
 * is the list of what the two sides share.
 */

// the env format: Boottorrent.yaml, oss/<name>/config.yaml, configs.yaml and profiles.yaml
export {
  type BoottorrentConfig,
  checkBoottorrentConfig,
  ipToInt,
  normalizeMac,
} from './config/boottorrent-config.ts';
export { consoleSafe, controlCharAt } from './config/console-text.ts';
export { isObject } from './config/field-reader.ts';
export { osNameProblem } from './config/names.ts';
export { checkOsConfig, type FileFact, filesNamedBy, type OsConfig } from './config/os-config.ts';
export { parseYaml } from './config/parse-yaml.ts';
export { type Checked, formatProblem, type Problem } from './config/problem.ts';
export { PROFILES_FILE, type ProfileConfig } from './config/profiles-config.ts';
// errors as values, and text made safe for a terminal
export { type BtError, btError, formatBtError } from './core/bt-error.ts';
export { LIMITS } from './core/limits.ts';
// the newc cpio archives of Phase 1 (torrents.gz, diff.gz, the qemu profile): written by the host and the
// tools, read by the client when it unpacks the qemu profile
export { readCpio, S_IFMT, S_IFREG } from './cpio/read-cpio.ts';
export { CHAR, type CpioEntry, cpioNewc, DIR, FILE, SYMLINK } from './cpio/write-cpio.ts';
export { freePort } from './engines/free-port.ts';
export { newWebTorrent } from './engines/new-webtorrent.ts';
export {
  aria2DiscoveryArgs,
  LAB_SWARM,
  type SwarmSettings,
} from './engines/swarm-settings.ts';
// what a client tells the host's dashboard
export { eventFrom } from './events/boot-events.ts';
export {
  type ClientEvent,
  checkClientEvent,
  EVENT_LIMITS,
  type EventStage,
  type TransferFigures,
} from './events/client-event.ts';
// torrents and the swarm's switches, for the host's seeders
export { type Encodable, encode } from './torrent/bencode.ts';
export { parseTorrent } from './torrent/torrent-file.ts';
export { bytes, rate } from './ui/format.ts';
