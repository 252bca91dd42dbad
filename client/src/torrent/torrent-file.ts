import { createHash } from 'node:crypto';
import { type BValue, decode } from './bencode.ts';

/** What the client needs to know of a .torrent (v1, multi-file, as `boottorrent build` writes). */
export interface TorrentInfo {
  infohash: string;
  /** top folder name: the OS name */
  name: string;
  pieceLength: number;
  pieceCount: number;
  /** paths relative to the top folder, '/'-joined */
  files: { path: string; length: number }[];
  totalLength: number;
  announce: string[];
  webSeeds: string[];
}

export type TorrentParse = { ok: true; torrent: TorrentInfo } | { ok: false; reason: string };

const text = (v: BValue | undefined): string | undefined =>
  v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : undefined;
const isDict = (v: BValue | undefined): v is { [k: string]: BValue } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

/** Parses a .torrent; never throws. Single-file torrents are accepted as a one-file folder. */
export function parseTorrent(buf: Uint8Array): TorrentParse {
  const spans = new Map<string, [number, number]>();
  let root: BValue;
  try {
    root = decode(buf, spans);
  } catch (e) {
    return { ok: false, reason: `not a torrent file (${(e as Error).message})` };
  }
  if (!isDict(root) || !isDict(root.info))
    return { ok: false, reason: 'not a torrent file (no info dictionary)' };
  const info = root.info;
  const name = text(info.name);
  const pieceLength = info['piece length'];
  const pieces = info.pieces;
  if (
    !name ||
    typeof pieceLength !== 'number' ||
    pieceLength <= 0 ||
    !(pieces instanceof Uint8Array) ||
    pieces.length % 20
  )
    return { ok: false, reason: 'torrent info lacks name, piece length or pieces' };
  const files: TorrentInfo['files'] = [];
  if (Array.isArray(info.files)) {
    for (const f of info.files) {
      if (!isDict(f) || typeof f.length !== 'number' || !Array.isArray(f.path))
        return { ok: false, reason: 'torrent file entry lacks length or path' };
      const parts = f.path.map(text);
      if (parts.some((p) => p === undefined)) return { ok: false, reason: 'torrent file path is not text' };
      files.push({ path: parts.join('/'), length: f.length });
    }
  } else if (typeof info.length === 'number') {
    files.push({ path: name, length: info.length });
  } else return { ok: false, reason: 'torrent has neither files nor length' };
  const [s, e] = spans.get('info')!;
  const announce = [
    text(root.announce),
    ...(Array.isArray(root['announce-list']) ? root['announce-list'].flat().map(text) : []),
  ];
  const urlList = root['url-list'];
  const webSeeds = Array.isArray(urlList) ? urlList.map(text) : [text(urlList)];
  const totalLength = files.reduce((n, f) => n + f.length, 0);
  const pieceCount = pieces.length / 20;
  if (Math.ceil(totalLength / pieceLength) !== pieceCount)
    return {
      ok: false,
      reason: `torrent has ${pieceCount} pieces but its files need ${Math.ceil(totalLength / pieceLength)}`,
    };
  return {
    ok: true,
    torrent: {
      infohash: createHash('sha1').update(buf.subarray(s, e)).digest('hex'),
      name,
      pieceLength,
      pieceCount,
      files,
      totalLength,
      announce: [...new Set(announce.filter((a): a is string => !!a))],
      webSeeds: webSeeds.filter((w): w is string => !!w),
    },
  };
}
