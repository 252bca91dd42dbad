import assert from 'node:assert/strict';
import { it } from 'node:test';
import { formatRuns, tMin } from './swarm-report.ts';

/** One result per completion time, the rest fixed. */
const results = (seconds: number[], rest = { uploaded: 0, cpu: 1, rssMb: 20 }) =>
  seconds.map((s) => ({ seconds: s, ...rest }));

it('T_min is the largest of the server, download and total-upload bounds', () => {
  // equal rates: one copy through the server's link is the bound, whatever N
  assert.equal(tMin(8, 100, 10, 10, 10), 10);
  // a slow server and fast clients: still one copy through the server
  assert.equal(tMin(8, 100, 5, 50, 50), 20);
  // clients that upload little: the total upload bound wins
  assert.equal(tMin(8, 100, 10, 1, 100), 800 / 18);
});

it('the table compares each engine to T_min and to the HTTP star of the same N', () => {
  const res = (s: number[]) => results(s, { uploaded: 1048576, cpu: 1, rssMb: 20 });
  const table = formatRuns([
    // another N in the same run: its star must not be the one the N = 2 row is compared with
    {
      clients: 4,
      sizeMib: 8,
      rateMbit: 8,
      mode: 'http',
      results: res([40, 80, 80, 80]),
      hostSent: 33 << 20,
      machineBusy: 0.5,
    },
    {
      clients: 2,
      sizeMib: 8,
      rateMbit: 8,
      mode: 'aria2',
      results: res([9, 10]).map((x, i) => ({ ...x, firstPiece: [1, 2][i] })),
      hostSent: 9 << 20,
      machineBusy: 0.5,
    },
    {
      clients: 2,
      sizeMib: 8,
      rateMbit: 8,
      mode: 'http',
      results: res([15, 20]),
      hostSent: 17 << 20,
      machineBusy: 0.95,
    },
  ]);
  // the first piece's median: 1.5 s where the clients said, '-' where they did not
  // F = 8 MiB at 1 MB/s: T_min = 8.39 s; last 10 s → 1.19; star 20 s / 10 s → 2.0
  assert.match(
    table,
    /\| 2 \| aria2 \| 1\.5 \| 9\.0 \| 9\.5 \| 10\.0 \| 8\.4 \| 1\.19 \| 2\.0 \| 9 \| 2 \| 2\.0 \| 20 \| 50 % \| {2}\|/,
  );
  assert.match(
    table,
    /\| 2 \| http \| - \| 15\.0 \| 17\.5 \| 20\.0 \| 8\.4 \| 2\.38 \| - \|.*\| 95 % \| CPU-bound \|/,
  );
});

it("the original's row: client-to-client bytes from what the host did not send, and the levers in the note", () => {
  const table = formatRuns([
    {
      clients: 4,
      sizeMib: 8,
      rateMbit: 8,
      mode: 'original',
      results: results([9, 10, 11, 12]),
      hostSent: 20 << 20,
      machineBusy: 0.3,
      pieceKib: 128,
      staggerS: 20,
    },
  ]);
  // 4 × 8 MiB received, 20 MiB of it from the host: ≈12 MiB from each other
  assert.match(
    table,
    /\| 4 \| original \|.*\| 20 \| ≈12 \|.*\| 30 % \| pieces 128 KiB, started over 20 s \|/,
  );
});

it("the links' ceiling row: no host bytes or client-to-client bytes, and says what its times mean", () => {
  const table = formatRuns([
    {
      clients: 2,
      sizeMib: 8,
      rateMbit: 8,
      mode: 'tcp-mesh',
      results: results([9, 9.5], { uploaded: 0, cpu: 1, rssMb: 40 }),
      hostSent: 0,
      machineBusy: 0.2,
    },
    // a star in the same run: the ceiling is no transfer to compare with it
    {
      clients: 2,
      sizeMib: 8,
      rateMbit: 8,
      mode: 'http',
      results: results([15, 20], { uploaded: 0, cpu: 1, rssMb: 40 }),
      hostSent: 17 << 20,
      machineBusy: 0.2,
    },
  ]);
  assert.match(
    table,
    /\| 2 \| tcp-mesh \| - \| 9\.0 \| 9\.3 \| 9\.5 \| 8\.4 \| 1\.13 \| - \| - \| - \| 2\.0 \| 40 \| 20 % \| the links' ceiling: plain TCP, no BitTorrent \(times: the image at the rate received\) \|/,
  );
});

it('the note says which aria2 knobs and which aria2c a row ran with', () => {
  const table = formatRuns([
    {
      clients: 2,
      sizeMib: 8,
      rateMbit: 8,
      mode: 'aria2',
      results: results([9, 10]),
      hostSent: 9 << 20,
      machineBusy: 0.3,
      aria2Args: ['--bt-max-peers=8', '--bt-tracker-interval=1'],
      aria2c: 'dist/cache/static/aria2c-1/aria2c',
    },
  ]);
  assert.match(
    table,
    /\| 30 % \| --bt-max-peers=8 --bt-tracker-interval=1, aria2c: dist\/cache\/static\/aria2c-1\/aria2c \|$/m,
  );
});
