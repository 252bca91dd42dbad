import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { eventFrom } from './boot-events.ts';
import type { ClientEvent } from './client-event.ts';
import { httpEventSink } from './http-event-sink.ts';

const ev = (seq: number, kind: ClientEvent['kind'] = 'progress') =>
  eventFrom({ kind, stage: 'download', mac: '52:54:00:00:00:01', run: 'r', seq, hostIp: 'h', engine: 'e' });

describe('posting events to the host', () => {
  it('posts in order to a host that answers', async () => {
    const got: number[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (b) => {
        body += b;
      });
      req.on('end', () => {
        got.push((JSON.parse(body) as ClientEvent).seq);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const sink = httpEventSink({ url: `http://127.0.0.1:${port}/api/events` });
    for (let i = 0; i < 3; i++) sink.send(ev(i, 'stage'));
    await sink.flush(5000);
    server.close();
    assert.deepEqual(got, [0, 1, 2]);
    assert.equal(sink.sent(), 3);
  });

  it('a host that never answers costs the boot nothing: send returns at once, flush waits no longer than asked', async () => {
    // accepts the connection and never replies
    const server = createServer(() => {});
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const sink = httpEventSink({ url: `http://127.0.0.1:${port}/`, timeoutMs: 300, retryMs: 50 });
    const t0 = Date.now();
    for (let i = 0; i < 1000; i++) sink.send(ev(i));
    assert.ok(Date.now() - t0 < 200, 'sending 1000 events did not wait for the host');
    const t1 = Date.now();
    await sink.flush(400);
    const waited = Date.now() - t1;
    assert.ok(waited >= 380 && waited < 1000, `flush waited ${waited} ms`);
    server.closeAllConnections();
    server.close();
    assert.equal(sink.sent(), 0);
    assert.ok(sink.failed() >= 1);
  });

  it('while one post is out, samples merge into the newest and the queue stays bounded', async () => {
    const posted: ClientEvent[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const sink = httpEventSink({
      url: 'x',
      maxQueue: 4,
      post: async (_u, e) => {
        posted.push(e);
        if (posted.length === 1) await gate;
      },
    });
    sink.send(ev(0, 'stage')); // goes out at once and hangs
    for (let i = 1; i <= 50; i++) sink.send(ev(i)); // samples: one waits, the newest
    for (let i = 51; i <= 60; i++) sink.send(ev(i, 'stage')); // stage changes: kept, but at most 4
    release();
    await sink.flush(2000);
    assert.deepEqual(
      posted.map((e) => e.seq),
      [0, 57, 58, 59, 60],
    );
  });
});
