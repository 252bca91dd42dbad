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
      const torrent = client.add(buf, { path: dataDir });
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
