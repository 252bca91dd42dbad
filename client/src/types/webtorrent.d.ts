// The slice of webtorrent 3's API that bttui and the host seeder use (the package ships no types).
declare module 'webtorrent' {
  import type { EventEmitter } from 'node:events';

  interface WebTorrentOptions {
    utp?: boolean;
    dht?: boolean;
    lsd?: boolean;
    utPex?: boolean;
    natUpnp?: boolean;
    natPmp?: boolean;
    webSeeds?: boolean;
    tracker?: boolean | Record<string, unknown>;
    torrentPort?: number;
    secure?: boolean | number;
    /** bytes/s */
    uploadLimit?: number;
  }

  interface Torrent extends EventEmitter {
    infoHash: string;
    length: number;
    downloaded: number;
    uploaded: number;
    downloadSpeed: number;
    uploadSpeed: number;
    numPeers: number;
    progress: number;
    done: boolean;
    files: { path: string; length: number; progress: number }[];
    /** which pieces have passed their hash; absent until the metadata is in */
    bitfield?: { get(i: number): boolean };
    pieces: unknown[];
    pieceLength: number;
    lastPieceLength: number;
  }

  export default class WebTorrent extends EventEmitter {
    constructor(opts?: WebTorrentOptions);
    add(
      torrentId: Uint8Array | string,
      opts?: { path?: string; strategy?: 'rarest' | 'sequential' },
    ): Torrent;
    seed(
      input: string | string[],
      opts?: { path?: string; announce?: string[] },
      cb?: (t: Torrent) => void,
    ): Torrent;
    destroy(cb?: (err?: Error) => void): void;
    readonly torrentPort: number;
    /** consulted before each peer is contacted (normally the `blocklist` option's IP set) */
    blocked?: { contains(ip: string): boolean };
  }
}
