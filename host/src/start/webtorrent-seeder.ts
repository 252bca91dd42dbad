import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { newWebTorrent, type SwarmSettings } from '../../../client/src/shared.ts';
import type { Component } from './component.ts';
import { type SeedTorrent, seedCoverFirst } from './cover-first-wires.ts';

export interface WebtorrentSeederOptions {
  /** each torrent and the folder its files are found in (oss/ for OSes, out/profiles/ for the qemu profile) */
  seeds: { torrent: string; dir: string }[];
  port: number;
  /** bytes/s, 0 = unlimited */
  uploadLimit?: number;
  swarm: SwarmSettings;
  /** send every piece once before any twice (cover-first.ts); on unless a bench compares without */
  coverFirst?: boolean;
}

/** More upload slots than a room has clients: WebTorrent then chokes no interested peer. */
const UNCHOKE_ALL = 100_000;

/** The script that runs this seeder as a process of its own; it reports a SeederReport over IPC. */
export const WEBTORRENT_SEEDER_PROCESS = path.join(import.meta.dirname, 'webtorrent-seeder-process.ts');

export interface SeederReport {
  /** bytes sent over all torrents since the process started */
  uploaded: number;
}

/**
 * The host's seeder as WebTorrent in this process: every torrent of the env, checked against its files
 * and then seeded over TCP (no uTP: aria2 clients speak TCP only), every piece once before any twice.
 * The same Component shape as a child process. `boottorrent start` runs it in a child of its own
 * (webtorrent-seeder-process.ts), so it can die and come back without the host, and its pieces never
 * wait on the dashboard's event loop.
 */
export async function startWebtorrentSeeder(
  o: WebtorrentSeederOptions & { log: (name: string, line: string) => void },
): Promise<Component & { uploaded: () => number }> {
  const client = await newWebTorrent(o.swarm, {
    torrentPort: o.port,
    ...(o.uploadLimit ? { uploadLimit: o.uploadLimit } : {}),
  });
  let settle: (r: { code: number | undefined; signal: string | undefined }) => void = () => {};
  const exited = new Promise<{ code: number | undefined; signal: string | undefined }>((r) => {
    settle = r;
  });
  client.on('error', (e: unknown) => {
    o.log('seeder', `error: ${(e as Error).message}`);
    client.destroy(() => settle({ code: 1, signal: undefined }));
  });
  let sent = 0;
  const stops: (() => void)[] = [];
  for (const s of o.seeds) {
    // every interested peer unchoked (WebTorrent's default is 10 at a time, the rest re-choked every
    // 10 s): under cover-first a choked peer holds the pieces given to it, and the room waits on it
    const torrent = client.add(await readFile(s.torrent), { path: s.dir, uploads: UNCHOKE_ALL });
    torrent.on('done', () => o.log('seeder', `seeding ${torrent.infoHash} (checked against the files)`));
    if (o.coverFirst !== false)
      stops.push(
        seedCoverFirst(torrent as unknown as SeedTorrent, client.peerId, () =>
          o.log(
            'seeder',
            `the clients hold every piece of ${torrent.infoHash} between them: showing them all`,
          ),
        ),
      );
    // piece data only: WebTorrent's own count takes every byte on the wire, and a seeder's handshakes
    // with the peers the tracker names (itself among them) would count on after the last client left
    torrent.on('wire', (wire: { on(e: 'upload', cb: (n: number) => void): void }) =>
      wire.on('upload', (n) => {
        sent += n;
      }),
    );
  }
  let stopped = false;
  return {
    name: 'seeder',
    pid: process.pid,
    exited,
    uploaded: () => sent,
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const s of stops) s();
      await new Promise<void>((r) => client.destroy(() => r()));
      settle({ code: 0, signal: undefined });
    },
  };
}
