import { readFile } from 'node:fs/promises';
import { isSea } from 'node:sea';
import { installWebrtcStub, type SwarmSettings, webtorrentSwarmOptions } from '../../../client/src/shared.ts';
import type { Component } from './component.ts';

/**
 * The host's seeder as WebTorrent in this process: every torrent of the env, checked against its files
 * and then seeded over TCP (no uTP: aria2 clients speak TCP only). The same Component shape as
 * a child process, so start supervises both alike.
 */
export async function startWebtorrentSeeder(o: {
  /** each torrent and the folder its files are found in (oss/ for OSes, out/profiles/ for the qemu profile) */
  seeds: { torrent: string; dir: string }[];
  port: number;
  /** bytes/s, 0 = unlimited */
  uploadLimit?: number;
  swarm: SwarmSettings;
  log: (name: string, line: string) => void;
}): Promise<Component & { uploaded: () => number }> {
  if (!isSea()) installWebrtcStub();
  const { default: WebTorrent } = await import('webtorrent');
  const client = new WebTorrent({
    ...webtorrentSwarmOptions(o.swarm),
    natUpnp: false,
    natPmp: false,
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
  const torrents: ReturnType<InstanceType<typeof WebTorrent>['add']>[] = [];
  for (const s of o.seeds) {
    const torrent = client.add(await readFile(s.torrent), { path: s.dir });
    torrent.on('done', () => o.log('seeder', `seeding ${torrent.infoHash} (checked against the files)`));
    torrents.push(torrent);
  }
  let stopped = false;
  return {
    name: 'seeder',
    pid: process.pid,
    exited,
    uploaded: () => torrents.reduce((n, t) => n + t.uploaded, 0),
    async stop() {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((r) => client.destroy(() => r()));
      settle({ code: 0, signal: undefined });
    },
  };
}
