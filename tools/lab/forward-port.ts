#!/usr/bin/env node
// A TCP port inside the lab's network namespace, reachable from this machine's loopback: the demo's
// dashboard, `boottorrent status --url` and the browser test all use it. No process can sit in two
// namespaces, but a Unix socket is a file, seen from both: a helper inside the namespace accepts on
// the socket and connects to the target; this side listens on 127.0.0.1 and pipes into the socket.
// Nothing is routed between the namespaces, so the lab's DHCP never sees this machine's interfaces.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

function pipeBoth(a: Socket, b: Socket) {
  a.pipe(b);
  b.pipe(a);
  const end = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', end).on('close', end);
  b.on('error', end).on('close', end);
}

/** Inside the namespace: each connection on `socketPath` goes on to host:port. */
async function inner(socketPath: string, host: string, port: number) {
  const server = createServer((s) => pipeBoth(s, createConnection({ host, port })));
  server.listen(socketPath);
  await once(server, 'listening');
  // the parent reads this line to know the socket is there
  console.log('listening');
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

export interface Forward {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Exposes `target` (host:port inside `ns`) on 127.0.0.1:`port` (taken or 0: any free port). */
export async function forwardFromNamespace(o: {
  ns: string;
  target: string;
  port?: number;
}): Promise<Forward> {
  const [host, port] = o.target.split(':') as [string, string];
  const dir = await mkdtemp(path.join(tmpdir(), 'bt-forward-'));
  const socketPath = path.join(dir, 'sock');
  const helper = execa(
    'ip',
    ['netns', 'exec', o.ns, process.execPath, fileURLToPath(import.meta.url), socketPath, host, port],
    { reject: false, stdin: 'ignore', buffer: false, forceKillAfterDelay: 2000 },
  );
  const ready = await new Promise<boolean>((resolve) => {
    helper.stdout!.on('data', (b: Buffer) => b.toString().includes('listening') && resolve(true));
    void helper.then(() => resolve(false));
  });
  if (!ready) throw new Error(`the forwarder into namespace ${o.ns} did not start`);
  const outer: Server = createServer((s) => pipeBoth(s, createConnection(socketPath)));
  const listen = async (port: number) => {
    outer.listen(port, '127.0.0.1');
    await once(outer, 'listening');
  };
  // the port asked for, or, when this machine already uses it, any free one (the URL says which)
  await listen(o.port ?? 0)
    .catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EADDRINUSE' || !o.port) throw e;
      return listen(0);
    })
    .catch(async (e) => {
      helper.kill('SIGTERM');
      await helper;
      throw e;
    });
  const bound = (outer.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    async close() {
      outer.close();
      helper.kill('SIGTERM');
      await helper;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [socketPath, host, port] = process.argv.slice(2);
  await inner(socketPath!, host!, Number(port));
}
