import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import axios from 'axios';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { downloadEvent, serveDashboard } from './events.test-helpers.ts';
import { labNetwork } from './lab-network.ts';
import type { Status } from './room.ts';
import { Room } from './room.ts';

const event = (label = 'Debian 12') => downloadEvent({ label });
// the leases test below gives a row of its own; the others count on one client

async function serve(lab: string) {
  const room = new Room({ ip: '127.0.0.1', seeder: 'aria2', startedAt: 0 });
  const d = await serveDashboard(room, {
    lab: labNetwork(lab, {
      lo: [{ address: lab, family: 'IPv4', cidr: `${lab}/8`, internal: true, mac: '', netmask: '255.0.0.0' }],
    }),
    mounts: { '/': { root: await tempDir('bt-dash-') } },
  });
  return { room, close: d.close, base: d.url };
}

describe('the dashboard’s HTTP side', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  before(async () => {
    s = await serve('127.0.0.1');
  });
  after(() => s.close());
  const post = (body: unknown) =>
    axios.post(`${s.base}/api/events`, body, { validateStatus: () => true, proxy: false });

  it('takes a client’s event and shows it in /api/status', async () => {
    const r = await post(event());
    assert.equal(r.status, 204);
    const st = (await axios.get<Status>(`${s.base}/api/status`, { proxy: false })).data;
    assert.deepEqual(
      st.clients.map((c) => [c.mac, c.ip, c.stage, c.label]),
      [['52:54:00:12:34:01', '127.0.0.1', 'download', 'Debian 12']],
    );
  });

  it('refuses oversized, non-JSON and ill-typed events, and counts each reason', async () => {
    const before = (await axios.get<Status>(`${s.base}/api/status`, { proxy: false })).data.refused.total;
    assert.equal((await post({ ...event(), label: 'x'.repeat(5000) })).status, 413);
    const cut = await fetch(`${s.base}/api/events`, { method: 'POST', body: '{"v":1' });
    assert.equal(cut.status, 400);
    const typed = await post({ ...event(), done: '12' });
    assert.equal(typed.status, 400);
    assert.match(typed.data.refused, /^done must be a whole number/);
    assert.equal(
      (await axios.get(`${s.base}/api/events`, { validateStatus: () => true, proxy: false })).status,
      405,
    );
    const st = (await axios.get<Status>(`${s.base}/api/status`, { proxy: false })).data;
    assert.equal(st.refused.total, before + 3);
    assert.equal(st.refused.reasons['larger than 4 KiB'], 1);
    assert.equal(st.refused.reasons['not JSON'], 1, JSON.stringify(st.refused));
    assert.equal(st.clients.length, 1, 'nothing refused made a row');
  });

  it('a chunked body is cut off at 4 KiB too', async () => {
    const { request } = await import('node:http');
    const code = await new Promise<number>((resolve, reject) => {
      const req = request(`${s.base}/api/events`, { method: 'POST' }, (res) => resolve(res.statusCode ?? 0));
      req.on('error', () => resolve(413));
      req.write('{"v":1,"label":"');
      for (let i = 0; i < 10; i++) req.write('x'.repeat(1000));
      req.end('"}');
      setTimeout(() => reject(new Error('no answer')), 5000).unref();
    });
    assert.equal(code, 413);
  });

  it('serves the page with a policy that forbids inline and foreign scripts, and uPlot from node_modules', async () => {
    const page = await axios.get<string>(`${s.base}/`, { proxy: false });
    assert.match(page.data, /<table id="clients">/);
    assert.match(page.headers['content-security-policy'], /^default-src 'none'; script-src 'self';/);
    assert.doesNotMatch(page.data, /<script>(?!<)/, 'no inline script');
    assert.doesNotMatch(page.data, /https?:\/\//, 'nothing from another origin');
    const lib = await axios.get<string>(`${s.base}/_dashboard/uPlot.js`, { proxy: false });
    assert.match(lib.data, /uPlot/);
  });

  it('streams the room: once in full (chart and all, no list of stages per row), then once a second the new chart points only', async () => {
    for (let t = 1; t <= 3; t++) s.room.sample(t);
    const res = await fetch(`${s.base}/api/stream`);
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const reader = res.body!.getReader();
    const messages: Record<string, unknown>[] = [];
    let buf = '';
    for (const until = Date.now() + 5000; messages.length < 2 && Date.now() < until; ) {
      const { value } = await reader.read();
      buf += new TextDecoder().decode(value);
      for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
        messages.push(JSON.parse(buf.slice(0, i).replace(/^data: /, '')));
        buf = buf.slice(i + 2);
      }
    }
    await reader.cancel();
    const [first, next] = messages as unknown as [Status, Status & { historyAdd: unknown[] }];
    assert.equal(first.v, 1);
    assert.equal(first.history.length, 3);
    assert.deepEqual(first.clients[0]!.stages, [], 'the page shows the current stage only');
    assert.equal(next.history, undefined);
    assert.deepEqual(next.historyAdd, [], 'no new point in the second between');
    assert.equal(next.clients.length, first.clients.length);
  });

  it('a stream per address at most 4, 32 in all', async () => {
    const open = await Promise.all(Array.from({ length: 5 }, () => fetch(`${s.base}/api/stream`)));
    assert.deepEqual(
      open.map((r) => r.status),
      [200, 200, 200, 200, 503],
    );
    for (const r of open) await r.body?.cancel();
  });

  it('an event for a MAC the host leased an address is taken only from that address', async () => {
    s.room.applyLeases([{ mac: '52:54:00:12:34:99', ip: '10.0.0.99' }], 0);
    const r = await post(downloadEvent({ label: 'Forged', mac: '52:54:00:12:34:99' }));
    assert.equal(r.status, 403);
    assert.equal(r.data.refused, 'not from the address its MAC was leased');
    const st = (await axios.get<Status>(`${s.base}/api/status`, { proxy: false })).data;
    assert.equal(st.clients.find((c) => c.mac === '52:54:00:12:34:99')?.label, undefined);
  });
});

describe('events from outside the lab network', () => {
  it('are refused and counted', async () => {
    // the lab is 10.0.0.0/8 here; the test's request comes from 127.0.0.1
    const s = await serve('10.0.0.1');
    try {
      const r = await axios.post(`${s.base}/api/events`, event(), {
        validateStatus: () => true,
        proxy: false,
      });
      assert.equal(r.status, 403);
      const st = s.room.snapshot(0);
      assert.deepEqual([st.clients.length, st.refused.reasons['outside the lab network']], [0, 1]);
    } finally {
      await s.close();
    }
  });
});
