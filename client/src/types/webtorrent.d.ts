// The slice of webtorrent 3's API that bttui and the host seeder use (the package ships no types).
declare module 'webtorrent' {
  import type { EventEmitter } from 'node:events';

  export interface WebTorrentOptions {
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
    name: string;
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
    /**
     * adds pieces start..end (inclusive) to what is fetched, before lower priorities; a stream selection
     * stays apart, where a plain one is merged with every selection it overlaps or touches
     */
    _select(
      start: number,
      end: number,
      priority: number,
      notify: undefined,
      isStreamSelection: boolean,
    ): void;
  }

  export default class WebTorrent extends EventEmitter {
    constructor(opts?: WebTorrentOptions);
    add(
      torrentId: Uint8Array | string,
      opts?: {
        path?: string;
        strategy?: 'rarest' | 'sequential';
        /** upload slots: how many interested peers are unchoked at once (default 10) */
        uploads?: number;
      },
    ): Torrent;
    seed(
      input: string | string[],
      opts?: { path?: string; announce?: string[] },
      cb?: (t: Torrent) => void,
    ): Torrent;
    destroy(cb?: (err?: Error) => void): void;
    readonly torrentPort: number;
    /** this client's peer id, hex */
    readonly peerId: string;
    /** consulted before each peer is contacted (normally the `blocklist` option's IP set) */
    blocked?: { contains(ip: string): boolean };
  }
}
