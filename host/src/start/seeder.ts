import { aria2DiscoveryArgs, LIMITS, type SwarmSettings } from '../../../client/src/shared.ts';

/**
 * aria2c seeding every torrent of the env from oss/ (the input file `build` wrote). It checks the files
 * against the torrent first (-V) so it never serves a byte it does not have, then seeds forever, over TCP,
 * which both client engines speak.
 */
export function aria2SeederArgs(o: {
  seedList: string;
  /** how many torrents seed.list holds: aria2 runs only 5 at once unless told, and a seed never ends */
  torrents: number;
  listenPort: number;
  swarm: SwarmSettings;
  /** bytes/s, 0 = unlimited: lets the lab show clients feeding each other */
  maxUploadLimit?: number;
  /** JSON-RPC on 127.0.0.1, so the host can report what the seeder uploaded */
  rpc?: { port: number; secret: string };
}): string[] {
  return [
    ...(o.rpc
      ? [
          '--enable-rpc',
          '--rpc-listen-all=false',
          `--rpc-listen-port=${o.rpc.port}`,
          `--rpc-secret=${o.rpc.secret}`,
        ]
      : []),
    `--input-file=${o.seedList}`,
    // every torrent at once: with the default (5) and --seed-ratio=0.0, the sixth waits for ever
    `--max-concurrent-downloads=${Math.max(1, o.torrents)}`,
    '--check-integrity=true',
    '--seed-ratio=0.0',
    '--bt-seed-unverified=false',
    `--listen-port=${o.listenPort}`,
    ...aria2DiscoveryArgs(o.swarm),
    '--bt-max-peers=0',
    `--max-overall-upload-limit=${o.maxUploadLimit ?? 0}`,
    `--bt-tracker-interval=${LIMITS.trackerIntervalS}`,
    '--file-allocation=none',
    '--bt-save-metadata=false',
    '--auto-save-interval=0',
    '--summary-interval=0',
    '--console-log-level=warn',
    '--show-console-readout=false',
  ];
}
