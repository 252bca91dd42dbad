import { readFile } from 'node:fs/promises';
import { isSea } from 'node:sea';
import type { BoottorrentConfig } from '../config/boottorrent-config.ts';
import { btError, fromThrown } from '../core/bt-error.ts';
import { installWebrtcStub } from '../stubs/install-stubs.ts';
import { type DownloadEngine, deferred, type Transfer, type TransferStats } from './engine.ts';

/**
 * WebTorrent in-process. TCP only: with uTP on (its default) every TCP-only peer such as aria2 costs a
 * ~42 s stall of failed uTP attempts; NAT traversal and WebRTC mean nothing on a boot LAN.
 */
export function webtorrentEngine(opts: { aria2: BoottorrentConfig['aria2'] }): DownloadEngine {
  return {
    name: 'webtorrent',
    async start({ torrentFile, dataDir }): Promise<Transfer> {
      if (!isSea()) installWebrtcStub();
      const { default: WebTorrent } = await import('webtorrent');
      const client = new WebTorrent({
        utp: false,
        dht: opts.aria2.enable_dht,
        lsd: opts.aria2.bt_enable_lpd,
        utPex: opts.aria2.enable_peer_exchange,
        natUpnp: false,
        natPmp: false,
        webSeeds: true,
        tracker: { wrtc: false },
      });
      const done = deferred();
      client.on('error', (e: unknown) => done.reject(fromThrown('download with WebTorrent', e)));
      const buf = await readFile(torrentFile);
      // 'sequential' (WebTorrent's default), although rarest-first is the textbook choice for a swarm:
      // webtorrent 3's rarest selection costs O(pieces x peers) of JS per request, and the benchmark
      // (8 clients, 256 MiB, 100 Mbit/s) went from 75 s to over 580 s with it, CPU-bound
      const torrent = client.add(buf, { path: dataDir, strategy: 'sequential' });
      // exact per-peer totals: every piece of data a wire delivers, by the peer's address
      const bySource: Record<string, number> = {};
      torrent.on(
        'wire',
        (wire: { remoteAddress?: string; on: (e: 'download', cb: (n: number) => void) => void }) => {
          const ip = wire.remoteAddress ?? 'web seed';
          wire.on('download', (n) => {
            bySource[ip] = (bySource[ip] ?? 0) + n;
          });
        },
      );
      torrent.on('done', () => done.resolve());
      torrent.on('error', (e: unknown) => done.reject(fromThrown('download with WebTorrent', e)));
      let stopped = false;
      return {
        complete: done.promise,
        stats(): TransferStats {
          return {
            done: Math.min(torrent.downloaded, torrent.length || Number.MAX_SAFE_INTEGER),
            total: torrent.length || 0,
            downSpeed: torrent.downloadSpeed,
            upSpeed: torrent.uploadSpeed,
            uploaded: torrent.uploaded,
            peers: torrent.numPeers,
            files: torrent.files.map((f) => ({
              path: f.path,
              done: Math.round(f.progress * f.length),
              total: f.length,
            })),
            bySource: { ...bySource },
          };
        },
        async stop() {
          if (stopped) return;
          stopped = true;
          done.reject(btError('The download was stopped.', 'Hint: choose the OS again.'));
          await new Promise<void>((resolve) => client.destroy(() => resolve()));
        },
      };
    },
  };
}
