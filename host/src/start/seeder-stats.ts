import axios from 'axios';

/** Total bytes the seeder has uploaded over all torrents, from aria2's RPC; undefined when it does not answer. */
export async function seederUploaded(rpc: { port: number; secret: string }): Promise<number | undefined> {
  try {
    const r = await axios.post(
      `http://127.0.0.1:${rpc.port}/jsonrpc`,
      {
        jsonrpc: '2.0',
        id: 'host',
        method: 'aria2.tellActive',
        params: [`token:${rpc.secret}`, ['uploadLength']],
      },
      { timeout: 2000, proxy: false },
    );
    return (r.data.result as { uploadLength: string }[]).reduce((n, t) => n + Number(t.uploadLength), 0);
  } catch {
    return undefined;
  }
}

/** Logs the seeder's upload every `everyMs` while it changes; the last line is the total so far. */
export function watchSeeder(
  read: () => Promise<number | undefined>,
  log: (line: string) => void,
  everyMs = 5000,
) {
  let last = -1;
  const tick = async () => {
    const up = await read();
    if (up !== undefined && up !== last) {
      last = up;
      log(`uploaded ${up} bytes in all (${(up / 1048576).toFixed(1)} MiB)`);
    }
  };
  const timer = setInterval(tick, everyMs);
  return {
    /** one last reading, then no more */
    async stop() {
      clearInterval(timer);
      await tick();
    },
  };
}
