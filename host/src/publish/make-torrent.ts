import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { type Encodable, encode } from '../../../client/src/shared.ts';
import { pieceLengthFor } from './piece-size.ts';

/** A file whose size changed between listing and hashing: its torrent would match nothing. */
export class FileChanged extends Error {
  readonly path: string;
  constructor(file: string, before: number, after: number) {
    super(
      `changed while it was being hashed (${before} → ${after} bytes); build again once nothing writes to it`,
    );
    this.path = file;
  }
}

export interface MadeTorrent {
  torrent: Buffer;
  infohash: string;
  pieceLength: number;
  files: Record<string, { size: number; sha256: string }>;
  totalLength: number;
}

export interface TorrentSpec {
  /** folder whose files are shared; becomes the torrent's top-level name */
  folder: string;
  name: string;
  /** '/'-separated paths relative to folder, in torrent order */
  files: { path: string; size: number }[];
  announce?: string;
  webSeeds?: string[];
  pieceLength?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * A v1 multi-file torrent of `folder`, hashed in one pass that also yields each file's sha256
 * (the client checks those after download: they survive a torrent being swapped for another).
 */
export async function makeTorrent(spec: TorrentSpec): Promise<MadeTorrent> {
  const total = spec.files.reduce((n, f) => n + f.size, 0);
  const pieceLength = spec.pieceLength ?? pieceLengthFor(total);
  const pieces: Buffer[] = [];
  let piece = createHash('sha1');
  let inPiece = 0;
  let done = 0;
  const files: MadeTorrent['files'] = {};
  for (const f of spec.files) {
    const sha = createHash('sha256');
    let seen = 0;
    for await (const chunk of createReadStream(path.join(spec.folder, f.path), {
      highWaterMark: 1 << 20,
    }) as AsyncIterable<Buffer>) {
      sha.update(chunk);
      seen += chunk.length;
      let off = 0;
      while (off < chunk.length) {
        const take = Math.min(pieceLength - inPiece, chunk.length - off);
        piece.update(chunk.subarray(off, off + take));
        inPiece += take;
        off += take;
        if (inPiece === pieceLength) {
          pieces.push(piece.digest());
          piece = createHash('sha1');
          inPiece = 0;
        }
      }
      done += chunk.length;
      spec.onProgress?.(done, total);
    }
    // a file that changed size between listing and hashing would make a torrent that matches nothing
    if (seen !== f.size) throw new FileChanged(path.join(spec.folder, f.path), f.size, seen);
    files[f.path] = { size: f.size, sha256: sha.digest('hex') };
  }
  if (inPiece > 0) pieces.push(piece.digest());

  const info = {
    name: spec.name,
    'piece length': pieceLength,
    pieces: Buffer.concat(pieces),
    files: spec.files.map((f) => ({ length: f.size, path: f.path.split('/') })),
  };
  const root: Record<string, Encodable> = { 'created by': 'BootTorrent', info };
  if (spec.announce) root.announce = spec.announce;
  if (spec.webSeeds?.length) root['url-list'] = spec.webSeeds;
  return {
    torrent: encode(root),
    infohash: createHash('sha1').update(encode(info)).digest('hex'),
    pieceLength,
    files,
    totalLength: total,
  };
}
