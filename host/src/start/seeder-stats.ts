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

/**
 * Reads the seeder's upload every `everyMs` (the dashboard's chart takes each reading) and logs it when it
 * changed, at most every `logEveryMs`; the last line is the total so far.
 */
export function watchSeeder(
  read: () => Promise<number | undefined>,
  log: (line: string) => void,
  everyMs = 2000,
  logEveryMs = 10_000,
) {
  let logged = -1;
  let loggedAt = 0;
  let latest = -1;
  const say = (up: number) => {
    logged = up;
    loggedAt = Date.now();
    log(`uploaded ${up} bytes in all (${(up / 1048576).toFixed(1)} MiB)`);
  };
  const tick = async () => {
    const up = await read();
    if (up === undefined) return;
    latest = up;
    if (up !== logged && Date.now() - loggedAt >= logEveryMs) say(up);
  };
  const timer = setInterval(tick, everyMs);
  return {
    /** one last reading, logged whatever the time, then no more */
    async stop() {
      clearInterval(timer);
      await tick();
      if (latest >= 0 && latest !== logged) say(latest);
    },
  };
}

/**
 * The seeder's uploads summed over its lives: a seeder started again counts from 0, so a reading below
 * the last one begins a new life, and the last reading of the old one is kept.
 */
export class SeederTotal {
  #before = 0;
  #last = 0;

  add(reading: number): number {
    if (reading < this.#last) this.#before += this.#last;
    this.#last = reading;
    return this.#before + reading;
  }
}
