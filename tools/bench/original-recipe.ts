/**
 * The original BootTorrent's recipe, as its sources have it: the anchor row of the swarm bench, so every
 * run shows this project beside what a user of the original gets on the same links.
 */

/**
 * Its TUI's download step: aria2c alone (no RPC, no re-announce tuning), with seed_time/60 minutes of
 * seeding: 0 for the default seed_time of 30, so a client leaves the swarm the moment it is done.
 */
export function originalClientArgs(o: { dir: string; torrent: string; seedTime?: number }): string[] {
  return [
    '--check-integrity',
    '--allow-overwrite=true',
    '--enable-dht=false',
    '--enable-dht6=false',
    '--disable-ipv6=true',
    '--bt-enable-lpd=false',
    `--seed-time=${Math.floor((o.seedTime ?? 30) / 60)}`,
    '--file-allocation=prealloc',
    `--dir=${o.dir}`,
    o.torrent,
  ];
}

/**
 * Its host's seeder: aria2c over the OS folders. The RPC port is the bench's only addition, to learn
 * when the seeder has checked its files and seeds; it changes nothing on the wire.
 */
export function originalSeederArgs(o: { dir: string; torrent: string; rpcPort: number }): string[] {
  return [
    '--check-integrity',
    '--seed-ratio=0',
    '--enable-dht=false',
    '--enable-dht6=false',
    '--disable-ipv6=true',
    '--bt-enable-lpd=false',
    '--enable-peer-exchange=true',
    '--enable-rpc',
    '--rpc-listen-all=false',
    `--rpc-listen-port=${o.rpcPort}`,
    `--dir=${o.dir}`,
    o.torrent,
  ];
}
