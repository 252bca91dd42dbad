import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';

/** A URL prefix's folder and, when given, the only files (relative paths) it may serve. */
export interface Mount {
  root: string;
  files?: ReadonlySet<string>;
}

/**
 * Read-only HTTP for Phase 1 (iPXE and lpxelinux fetch the large initrds ~3x faster than over TFTP)
 * and for the OS folders as BEP 19 web seeds, which ask for byte ranges. `mounts` maps a URL prefix to
 * a folder; nothing outside those folders is ever served, not even through a symbolic link, and a mount
 * with a file list serves those files only (the OS folders: what the torrents publish, not config.yaml
 * or whatever else lies there).
 */
export function startHttpServer(o: {
  host: string;
  port: number;
  mounts: Record<string, Mount>;
  /** answers first: the dashboard and its API; false leaves the request to the files */
  routes?: (req: IncomingMessage, res: ServerResponse, pathname: string) => boolean;
  log: (line: string) => void;
}): Promise<Server> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (code: number, text: string) => {
      res.writeHead(code, { 'content-type': 'text/plain' }).end(`${text}\n`);
      o.log(`${req.socket.remoteAddress} ${req.method} ${url.pathname} ${code}`);
    };
    // not logged: every client posts about once a second, and the dashboard polls
    if (o.routes?.(req, res, url.pathname)) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'read-only');
    const prefix = Object.keys(o.mounts)
      .sort((a, b) => b.length - a.length)
      .find((p) => url.pathname.startsWith(p));
    if (prefix === undefined) return send(404, 'not found');
    const mount = o.mounts[prefix]!;
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname.slice(prefix.length));
    } catch {
      return send(400, 'bad path');
    }
    const file = path.join(mount.root, rel);
    if (!file.startsWith(mount.root + path.sep)) return send(403, 'outside the served folders');
    if (mount.files && !mount.files.has(path.relative(mount.root, file))) return send(404, 'not found');
    // the folder a published file belongs to: an OS folder (itself maybe a link), or the mount's root
    const home = mount.files
      ? path.join(mount.root, path.relative(mount.root, file).split(path.sep)[0]!)
      : mount.root;
    const [realFile, realHome] = await Promise.all([
      realpath(file).catch(() => null),
      realpath(home).catch(() => null),
    ]);
    if (!realFile || !realHome) return send(404, 'not found');
    if (!realFile.startsWith(realHome + path.sep)) return send(403, 'outside the served folders');
    const s = await stat(realFile).catch(() => null);
    if (!s?.isFile()) return send(404, 'not found');
    let start = 0;
    let end = s.size - 1;
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    if (range && (range[1] || range[2])) {
      if (range[1]) {
        start = Number(range[1]);
        if (range[2]) end = Math.min(Number(range[2]), end);
      } else start = Math.max(0, s.size - Number(range[2]));
      if (start > end) {
        res.writeHead(416, { 'content-range': `bytes */${s.size}` }).end();
        return;
      }
    }
    // spelt as HTTP/1.1 spells them: GRUB matches "Content-Length: " byte for byte, and without it a
    // UEFI client's GRUB takes the kernel's size as unknown and fails with "out of memory"
    const headers = {
      'Content-Length': String(end - start + 1),
      'Accept-Ranges': 'bytes',
      'Content-Type': 'application/octet-stream',
    };
    if (range) res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${end}/${s.size}` });
    else res.writeHead(200, headers);
    o.log(
      `${req.socket.remoteAddress} ${req.method} ${url.pathname} ${range ? 206 : 200} ${end - start + 1} bytes`,
    );
    if (req.method === 'HEAD' || s.size === 0) return void res.end();
    createReadStream(realFile, { start, end }).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve(server));
  });
}
