#!/usr/bin/env node
// One client of the links' ceiling run (see mesh-plan.ts): inside its namespace, it takes TCP from its
// ring neighbours and pushes zeros to the next ones for a fixed time, then prints its totals in
// fetch-once's shape: `seconds` is how long the image would take at the rate this client received.
import net from 'node:net';
import { parseArgs } from 'node:util';
import { MESH_FAN, meshTargets, secondsAtRate } from './mesh-plan.ts';

const { values: a } = parseArgs({
  options: {
    index: { type: 'string' },
    clients: { type: 'string' },
    prefix: { type: 'string' },
    'size-mib': { type: 'string' },
    port: { type: 'string', default: '7100' },
  },
});
const i = Number(a.index);
const n = Number(a.clients);
const port = Number(a.port);
// every flow has left slow start after the warm-up; 12 s of steady state evens out TCP's short swings
// and adds little to a sweep
const WARMUP_MS = 3000;
const WINDOW_MS = 12000;
const t0 = Date.now();
let received = 0;

const server = net.createServer((s) =>
  s.on('data', (b) => {
    const t = Date.now() - t0;
    if (t >= WARMUP_MS && t < WARMUP_MS + WINDOW_MS) received += b.length;
  }),
);
await new Promise<void>((r) => server.listen(port, r));

const chunk = Buffer.alloc(64 * 1024);
const sockets: net.Socket[] = [];
// the others start at the same moment: give their servers a second, then retry a refused connect a few times
await new Promise((r) => setTimeout(r, 1000));
for (const peer of meshTargets(i, n, MESH_FAN)) {
  const connect = (tries: number) => {
    const s = net.connect(port, `${a.prefix}.${10 + peer}`);
    const pump = () => {
      while (!s.destroyed && s.write(chunk));
    };
    s.on('connect', pump);
    s.on('drain', pump);
    s.on('error', () => {
      if (tries > 0) setTimeout(() => connect(tries - 1), 300);
    });
    sockets.push(s);
  };
  connect(5);
}

await new Promise((r) => setTimeout(r, WARMUP_MS + WINDOW_MS - (Date.now() - t0)));
for (const s of sockets) s.destroy();
server.close();
const seconds = secondsAtRate(Number(a['size-mib']) * 1048576, received, WINDOW_MS / 1000);
const { user, system } = process.cpuUsage();
const rssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ seconds, uploaded: 0, cpu: (user + system) / 1e6, rssMb }));
process.exit(0);
