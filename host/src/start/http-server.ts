import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';

/**
 * Read-only HTTP for Phase 1 (iPXE and lpxelinux fetch the large initrds ~3x faster than over TFTP)
 * and for the OS folders as BEP 19 web seeds, which ask for byte ranges. `mounts` maps a URL prefix to
 * a folder; nothing outside those folders is ever served.
 */
export function startHttpServer(o: {
  host: string;
  port: number;
  mounts: Record<string, string>;
  log: (line: string) => void;
}): Promise<Server> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (code: number, text: string) => {
      res.writeHead(code, { 'content-type': 'text/plain' }).end(`${text}\n`);
      o.log(`${req.socket.remoteAddress} ${req.method} ${url.pathname} ${code}`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'read-only');
    const prefix = Object.keys(o.mounts)
      .sort((a, b) => b.length - a.length)
      .find((p) => url.pathname.startsWith(p));
    if (prefix === undefined) return send(404, 'not found');
    const root = o.mounts[prefix]!;
    const file = path.join(root, decodeURIComponent(url.pathname.slice(prefix.length)));
    if (file !== root && !file.startsWith(root + path.sep)) return send(403, 'outside the served folders');
    const s = await stat(file).catch(() => null);
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
    const headers = {
      'content-length': String(end - start + 1),
      'accept-ranges': 'bytes',
      'content-type': 'application/octet-stream',
    };
    if (range) res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${s.size}` });
    else res.writeHead(200, headers);
    o.log(
      `${req.socket.remoteAddress} ${req.method} ${url.pathname} ${range ? 206 : 200} ${end - start + 1} bytes`,
    );
    if (req.method === 'HEAD' || s.size === 0) return void res.end();
    createReadStream(file, { start, end }).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve(server));
  });
}
