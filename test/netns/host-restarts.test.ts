import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forwardFromNamespace } from '../../tools/lab/forward-port.ts';
import { readStatus } from '../../tools/lab/host-status.ts';
import { makeOriginalEnv, ORIGINAL_BOOTTORRENT_YAML } from '../helpers/make-env.ts';
import { leech, withNetnsHost } from '../helpers/netns-host.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('boottorrent start keeps the room served when a component dies', { timeout: 240_000 }, () => {
  for (const seeder of ['aria2', 'webtorrent'])
    it(`the ${seeder} seeder killed: it is started again, the tracker and dnsmasq never stop, the console and the dashboard say so, and a client then gets its OS`, async () => {
      await withNetnsHost(
        `restart-${seeder.slice(0, 2)}`,
        {
          makeEnv: () =>
            makeOriginalEnv({
              boottorrentYaml: ORIGINAL_BOOTTORRENT_YAML.replaceAll('10.77.0', '10.79.0').concat(
                'http:\n    enable: True\n    port: 8000\n',
              ),
            }),
          args: ['--seeder', seeder],
        },
        async (h) => {
          const pids = (name: string) =>
            [...h.output().matchAll(new RegExp(`${name} (\\d+)`, 'g'))].map((m) => Number(m[1]));
          const [tracker] = pids('tracker');
          const [dnsmasq] = pids('dnsmasq');
          const [first] = pids('seeder');
          assert.ok(tracker && dnsmasq && first, h.output());
          process.kill(first, 'SIGKILL');
          for (const until = Date.now() + 30_000; !/seeder started again \(pid \d+\)/.test(h.output()); ) {
            assert.ok(Date.now() < until, `never started again:\n${h.output()}`);
            await new Promise((r) => setTimeout(r, 200));
          }
          assert.match(
            h.output(),
            /seeder exited \(SIGKILL\) after [\d.]+ s; starting it again in 1 s \(the others keep serving\)/,
          );
          assert.ok(alive(tracker) && alive(dnsmasq), 'the tracker and dnsmasq kept running');
          const forward = await forwardFromNamespace({ ns: h.net.ns, target: '10.79.0.1:8000' });
          try {
            const st = await readStatus(forward.url);
            const c = st?.host.components.find((x) => x.name === 'seeder');
            assert.deepEqual(
              [c?.state, c?.restarts, c?.lastExit],
              ['running', 1, 'SIGKILL'],
              JSON.stringify(st?.host),
            );
          } finally {
            await forward.close();
          }
          const r = await leech(h, 'freedos', h.work);
          assert.equal(r.exitCode, 0, r.all);
        },
      );
    });
});
