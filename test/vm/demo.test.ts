import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import type { Status } from '../../host/src/shared.ts';

const DEMO = path.resolve('tools/lab/demo.ts');
const CLI = path.resolve('host/src/cli.ts');

describe('npm run demo -- --keep', { timeout: 600_000 }, () => {
  it('boots a client, keeps the dashboard open on loopback, and on Ctrl+C stops everything and removes its namespace', async () => {
    const demo = execa(process.execPath, [DEMO, '--clients', '1', '--pad', '0', '--quiet', '--keep'], {
      reject: false,
      all: true,
      buffer: { all: true },
      stdin: 'ignore',
      timeout: 540_000,
    });
    let out = '';
    demo.all!.on('data', (b: Buffer) => {
      out += b.toString();
    });
    const kept = await new Promise<string | undefined>((resolve) => {
      const t = setInterval(() => {
        const m = /the dashboard stays at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
        if (m) {
          clearInterval(t);
          resolve(m[1]);
        }
      }, 500);
      void demo.then(() => {
        clearInterval(t);
        resolve(undefined);
      });
    });
    assert.ok(kept, `the demo never said it keeps serving:\n${out}`);
    // a failed assertion must not leave the lab running: the demo removes its namespace on Ctrl+C
    try {
      // the summary came first, with the client at its target
      assert.match(out, /vm1 +bios .* kexec /);
      // the dashboard answers from this machine while the lab runs, and knows the client booted
      const status = (await (await fetch(`${kept}/api/status`)).json()) as Status;
      assert.deepEqual(
        status.clients.map((c) => [c.mac, c.stage]),
        [['52:54:00:12:34:01', 'boot']],
      );
      const cli = await execa(process.execPath, [CLI, 'status', '--url', kept], { reject: false });
      // the network card it booted over, as its /sys said: QEMU's virtio-net gives no link speed
      assert.match(cli.stdout, /^52:54:00:12:34:01 +10\.55\.0\.\d+ +virtio_net +Demo Linux .* boot /m);
    } catch (e) {
      demo.kill('SIGINT');
      await demo;
      throw e;
    }
    const ns = /in namespace (btlab-\d+)/.exec(out)![1]!;
    demo.kill('SIGINT');
    const r = await demo;
    assert.equal(r.exitCode, 0, r.all);
    assert.match(r.all, /demo: interrupted, stopping the clients and the host/);
    assert.ok(!execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).includes(ns), `${ns} was removed`);
    await assert.rejects(fetch(`${kept}/api/status`), 'the forwarded port is closed');
  });
});
