import { execa } from 'execa';
import { BOOTTORRENT_CLI } from '../lib/paths.ts';
import { forwardFromNamespace } from './forward-port.ts';
import { readStatus } from './host-status.ts';
import type { LabNet } from './netns.ts';

export interface NamespacedHost {
  /** the dashboard, forwarded from the namespace to this machine's loopback */
  url: string;
  /** everything the host printed so far */
  output(): string;
  /** SIGTERM, then waits for it (it stops its components itself), and closes the forward */
  stop(): Promise<void>;
}

/**
 * `boottorrent start ENV ARGS` inside the lab's namespace, ready when its dashboard says so; a host that
 * exits or does not get ready within `readyMs` is stopped and its output is the error. The one way the
 * lab, the demo's tests and the benches start the host.
 */
export async function startNamespacedHost(o: {
  net: LabNet;
  env: string;
  args?: string[];
  /** the dashboard's port inside the namespace (the env's http.port) */
  httpPort: number;
  /** the forward's port on this machine (default: any free one) */
  localPort?: number;
  readyMs: number;
  onLine?: (line: string) => void;
  signal?: AbortSignal;
}): Promise<NamespacedHost> {
  let out = '';
  let exited = false;
  const p = execa(
    'ip',
    ['netns', 'exec', o.net.ns, process.execPath, BOOTTORRENT_CLI, 'start', o.env, ...(o.args ?? [])],
    { reject: false, all: true, stdin: 'ignore', buffer: false },
  );
  p.all!.on('data', (b: Buffer) => {
    out += b.toString();
    for (const l of b.toString().split('\n').filter(Boolean)) o.onLine?.(l);
  });
  void p.finally(() => {
    exited = true;
  });
  let forward: Awaited<ReturnType<typeof forwardFromNamespace>> | undefined;
  const stop = async () => {
    p.kill('SIGTERM');
    await p;
    await forward?.close();
  };
  try {
    forward = await forwardFromNamespace({
      ns: o.net.ns,
      target: `${o.net.hostIp}:${o.httpPort}`,
      ...(o.localPort !== undefined ? { port: o.localPort } : {}),
    });
    for (const until = Date.now() + o.readyMs; !(await readStatus(forward.url))?.ready; ) {
      if (o.signal?.aborted) throw new Error('interrupted');
      if (exited || Date.now() > until) throw new Error(`the host did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { url: forward.url, output: () => out, stop };
}
