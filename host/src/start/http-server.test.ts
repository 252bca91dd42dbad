import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHttpServer } from './http-server.ts';

describe('the HTTP server serves what the torrents publish and nothing else', () => {
  let dir: string;
  let server: Server;
  let base: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bt-http-'));
    const oss = path.join(dir, 'oss');
    mkdirSync(path.join(oss, 'debian'), { recursive: true });
    writeFileSync(path.join(oss, 'debian', 'vmlinuz'), 'kernel bytes');
    writeFileSync(path.join(oss, 'debian', 'config.yaml'), 'dispname: Debian\n');
    writeFileSync(path.join(dir, 'secret'), 'root:$6$secret\n');
    // published at build time, swapped for a link to a secret afterwards
    symlinkSync(path.join(dir, 'secret'), path.join(oss, 'debian', 'initrd.img'));
    mkdirSync(path.join(dir, 'ph1'));
    writeFileSync(path.join(dir, 'ph1', 'rootfs.gz'), 'rootfs');
    symlinkSync(path.join(dir, 'secret'), path.join(dir, 'ph1', 'leak'));
    server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      mounts: {
        '/oss/': { root: oss, files: new Set(['debian/vmlinuz', 'debian/initrd.img']) },
        '/': { root: path.join(dir, 'ph1') },
      },
      log: () => {},
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  const get = async (p: string, headers: Record<string, string> = {}) => {
    const r = await fetch(`${base}${p}`, { headers });
    return { status: r.status, body: await r.text() };
  };

  it('a published file, whole and by range (web seeds ask for ranges)', async () => {
    assert.deepEqual(await get('/oss/debian/vmlinuz'), { status: 200, body: 'kernel bytes' });
    assert.deepEqual(await get('/oss/debian/vmlinuz', { range: 'bytes=7-' }), { status: 206, body: 'bytes' });
    assert.deepEqual(await get('/rootfs.gz'), { status: 200, body: 'rootfs' });
  });

  it("says a file's length as GRUB reads it: the header spelt Content-Length, byte for byte", async () => {
    // GRUB 2.12's http matches "Content-Length: " case-sensitively: without it the kernel's size is
    // unknown and a UEFI client stops at "out of memory"
    const port = (server.address() as AddressInfo).port;
    const head = await new Promise<string>((resolve, reject) => {
      const sock = connect(port, '127.0.0.1', () =>
        sock.write('GET /rootfs.gz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
      );
      let got = '';
      sock.on('data', (d) => {
        got += d.toString('latin1');
      });
      sock.on('end', () => resolve(got.split('\r\n\r\n')[0]!));
      sock.on('error', reject);
    });
    assert.ok(head.split('\r\n').includes('Content-Length: 6'), head);
  });

  it('not a file the torrents do not list, nor one that leads outside through a link', async () => {
    assert.equal((await get('/oss/debian/config.yaml')).status, 404);
    const leak = await get('/oss/debian/initrd.img');
    assert.equal(leak.status, 403);
    assert.doesNotMatch(leak.body, /secret/);
    assert.equal((await get('/leak')).status, 403);
    assert.equal((await get('/oss/..%2fsecret')).status, 403);
    // the URL parser already folds %2e%2e into "..", leaving /secret, which the Phase-1 folder has not
    assert.equal((await get('/%2e%2e/secret')).status, 404);
    assert.equal((await get('/oss/%E0%A4%A')).status, 400);
  });
});
