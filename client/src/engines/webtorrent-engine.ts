import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { btError, fromThrown } from '../core/bt-error.ts';
import { CorruptPeerJudge, peerIp } from './corrupt-peers.ts';
import { type DownloadEngine, deferred, type Transfer, type TransferStats } from './engine.ts';
import { newWebTorrent } from './new-webtorrent.ts';
import { startPiece } from './piece-start.ts';
import type { SwarmSettings } from './swarm-settings.ts';
import { nowhere, type SwarmView, toHex } from './swarm-view.ts';

/**
 * WebTorrent in-process. TCP only: with uTP on (its default) every TCP-only peer such as aria2 costs a
 * ~42 s stall of failed uTP attempts; NAT traversal and WebRTC mean nothing on a boot LAN.
 */
interface Wire {
  remoteAddress?: string;
  peerId?: string | null;
  peerPieces?: { get(i: number): boolean };
  on(e: string, cb: (...a: never[]) => void): void;
  destroy(): void;
}

/**
 * Bytes of pieces whose hash checked out. WebTorrent's own `downloaded` also counts pieces in flight,
 * and drops when a corrupt one is thrown away: a download that only ever receives garbage looks busy.
 */
function verifiedBytes(t: {
  bitfield?: { get(i: number): boolean };
  pieces: unknown[];
  pieceLength: number;
  lastPieceLength: number;
}): number {
  if (!t.bitfield) return 0;
  let n = 0;
  const last = t.pieces.length - 1;
  for (let i = 0; i <= last; i++) if (t.bitfield.get(i)) n += i === last ? t.lastPieceLength : t.pieceLength;
  return n;
}

/** The torrent's pieces and peers, from WebTorrent's bitfields (its own and each wire's). */
function swarmOf(
  t: { name?: string; bitfield?: { get(i: number): boolean }; pieces: unknown[] },
  wiresOf: Map<string, Set<Wire>>,
): SwarmView {
  const pieces = t.pieces?.length ?? 0;
  const have = (i: number) => t.bitfield?.get(i) ?? false;
  const wires = [...wiresOf.values()].flatMap((set) => [...set]);
  return {
    torrent: t.name ?? '',
    pieces,
    have: toHex(pieces, have),
    peers: [...wiresOf].filter(([, set]) => set.size > 0).map(([ip]) => ip),
    nowhere: nowhere(
      pieces,
      have,
      wires.map((w) => (i: number) => w.peerPieces?.get(i) ?? false),
    ),
  };
}

export function webtorrentEngine(opts: {
  swarm: SwarmSettings;
  /** a peer was dropped for sending corrupt pieces */
  onBan?: (ip: string) => void;
  /** where in the torrent this client starts fetching, 0–1 (from its MAC: see piece-start.ts) */
  startFraction?: number;
}): DownloadEngine {
  return {
    name: 'webtorrent',
    async start({ torrentFile, dataDir }): Promise<Transfer> {
      const client = await newWebTorrent(opts.swarm, { webSeeds: true, tracker: { wrtc: false } });
      const done = deferred();
      client.on('error', (e: unknown) => done.reject(fromThrown('download with WebTorrent', e)));
      // WebTorrent re-asks a piece that fails its hash but never drops the peer that sent it: a peer
      // serving corrupt data would be fed requests for ever. Drop it and refuse it again, as aria2 does.
      const banned = new Set<string>();
      client.blocked = { contains: (ip) => banned.has(peerIp(ip)) };
      const buf = await readFile(torrentFile);
      // 'sequential' (WebTorrent's default), although rarest-first is the textbook choice for a swarm:
      // webtorrent 3's rarest selection costs O(pieces x peers) of JS per request, and the benchmark
      // (8 clients, 256 MiB, 100 Mbit/s) went from 75 s to over 580 s with it, CPU-bound
      const torrent = client.add(buf, { path: dataDir, strategy: 'sequential' });
      // the walk starts at this client's own place and wraps around: a selection from there to the end,
      // above the whole-torrent one WebTorrent makes. A stream selection (what its file streams use),
      // because WebTorrent merges a plain one into any it overlaps or touches: torrent.select() here
      // became the whole torrent at the higher priority, and every client walked from piece 0 again
      const from = opts.startFraction ?? 0;
      if (from > 0)
        torrent.once('ready', () => {
          const first = startPiece(from, torrent.pieces.length);
          if (first > 0) torrent._select(first, torrent.pieces.length - 1, 1, undefined, true);
        });
      // exact per-peer totals: every piece of data a wire delivers, by the peer's address
      const bySource: Record<string, number> = {};
      const judge = new CorruptPeerJudge();
      const wiresOf = new Map<string, Set<Wire>>();
      const convict = (ips: string[]) => {
        for (const ip of ips) {
          if (!banned.has(ip)) {
            banned.add(ip);
            opts.onBan?.(ip);
          }
          for (const w of wiresOf.get(ip) ?? []) w.destroy();
        }
      };
      torrent.on('wire', (wire: Wire) => {
        const ip = wire.remoteAddress ? peerIp(wire.remoteAddress) : 'web seed';
        // a banned peer that connects to us is not asked anything either; nor this client itself, whose
        // address the tracker hands back to it (WebTorrent connects to it, and a stall would count it)
        if (banned.has(ip) || (wire.peerId && wire.peerId === client.peerId)) return wire.destroy();
        wiresOf.set(ip, (wiresOf.get(ip) ?? new Set<Wire>()).add(wire));
        wire.on('download', (n: number) => {
          bySource[ip] = (bySource[ip] ?? 0) + n;
        });
        wire.on('piece', (index: number, offset: number, data: Uint8Array) =>
          judge.block(index, offset, data, ip),
        );
        wire.on('close', () => wiresOf.get(ip)?.delete(wire));
      });
      torrent.on('verified', (index: number) => convict(judge.verified(index)));
      let failedPieces = 0;
      torrent.on('warning', (e: unknown) => {
        const m = /^Piece (\d+) failed verification/.exec((e as Error)?.message ?? '');
        if (!m) return;
        failedPieces++;
        convict(judge.failed(Number(m[1])));
      });
      torrent.on('done', async () => {
        // a 0-byte file has no piece, and WebTorrent never creates it: the boot would miss it
        try {
          for (const f of torrent.files as { path: string; length: number }[])
            if (f.length === 0) {
              await mkdir(path.dirname(path.join(dataDir, f.path)), { recursive: true });
              await writeFile(path.join(dataDir, f.path), '', { flag: 'a' });
            }
          done.resolve();
        } catch (e) {
          done.reject(fromThrown('create the empty files of this OS', e));
        }
      });
      torrent.on('error', (e: unknown) => done.reject(fromThrown('download with WebTorrent', e)));
      let stopped = false;
      return {
        complete: done.promise,
        stats(): TransferStats {
          return {
            done: verifiedBytes(torrent),
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
            swarms: [swarmOf(torrent, wiresOf)],
            failedPieces,
            received: Object.values(bySource).reduce((a, b) => a + b, 0),
          };
        },
        async stop() {
          if (stopped) return;
          stopped = true;
          done.reject(btError('The download was stopped.', 'choose the OS again.'));
          await new Promise<void>((resolve) => client.destroy(() => resolve()));
        },
      };
    },
  };
}
