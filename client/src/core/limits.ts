/** Every limit bttui enforces, in one place so tests and docs use the same numbers. */
export const LIMITS = {
  /** a .torrent larger than this is refused before parsing */
  maxTorrentBytes: 4 << 20,
  /** configs.yaml / Boottorrent.yaml larger than this are refused */
  maxConfigBytes: 1 << 20,
  /** progress is sampled this often (aria2 RPC poll, UI refresh) */
  progressIntervalMs: 500,
  /** aria2c's RPC must answer within this after spawn */
  aria2StartupMs: 10_000,
  /** how often clients re-announce: short, so clients that start together find each other quickly */
  trackerIntervalS: 5,
  /** after a failed boot, an autoboot waits at least this long so a person can step in */
  retryDelayS: 10,
  /** Xorg must say its display is ready within this: generous, a slow client with a large screen takes time */
  xorgStartupMs: 60_000,
  /** kexec segments live in kernel memory next to the RAM-disk copy: count kernel+initrd twice */
  kexecCopies: 2,
} as const;
