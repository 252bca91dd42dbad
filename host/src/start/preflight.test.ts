import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkBoottorrentConfig, freePort } from '../../../client/src/shared.ts';
import { preflight, rangeOutside } from './preflight.ts';

it("checks a DHCP range against host_ip's network, as the interface's netmask draws it", () => {
  assert.equal(rangeOutside('10.0.0.50,10.0.0.150,12h', false, '10.0.0.1', '255.255.255.0'), undefined);
  assert.equal(
    rangeOutside('10.0.1.50,10.0.1.150,12h', false, '10.0.0.1', '255.255.255.0'),
    "reaches outside host_ip's network (10.0.1.50, 10.0.1.150)",
  );
  assert.equal(rangeOutside('10.0.1.50,10.0.1.150,12h', false, '10.0.0.1', '255.255.0.0'), undefined);
  assert.equal(rangeOutside('192.168.1.0', true, '192.168.1.10', '255.255.255.0'), undefined);
  assert.equal(
    rangeOutside('192.168.2.0', true, '192.168.1.10', '255.255.255.0'),
    "is not the address of host_ip's network",
  );
});

describe('preflight on loopback: what would make a component fail, said before anything starts', () => {
  const config = (port: number) => {
    const c = checkBoottorrentConfig(
      {
        boottorrent: { host_ip: '127.0.0.1', default_os: 'debian' },
        dnsmasq: { enable_dhcp: true, interface: 'lo', dhcp_range: '127.0.0.50,127.0.0.150,1h' },
        opentracker: { enable: true, port },
      },
      'Boottorrent.yaml',
    );
    assert.ok(c.ok, JSON.stringify(c));
    return c.value;
  };

  it('nothing for a machine that has it all; then a missing program, no root rights and a taken port, each with its fix', async () => {
    const sys = await mkdtemp(path.join(tmpdir(), 'bt-sys-'));
    await mkdir(path.join(sys, 'class', 'net', 'lo'), { recursive: true });
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const takenPort = (taken.address() as AddressInfo).port;
    const freeSeeder = await freePort();
    try {
      const trackerPort = await freePort();
      const ok = await preflight(config(trackerPort), {
        seederPort: freeSeeder,
        seeder: 'webtorrent',
        isRoot: true,
        sysDir: sys,
        find: async (p) => `/opt/test/${p}`,
      });
      assert.deepEqual(ok.blockers, []);
      // the paths found are the ones start runs (aria2c is not looked for: the seeder is WebTorrent)
      assert.deepEqual(ok.programs, { dnsmasq: '/opt/test/dnsmasq', opentracker: '/opt/test/opentracker' });

      const { blockers: blocked } = await preflight(config(takenPort), {
        seederPort: freeSeeder,
        seeder: 'webtorrent',
        isRoot: false,
        sysDir: sys,
      });
      assert.deepEqual(blocked, [
        {
          message: 'DHCP (port 67) and TFTP (port 69) need root rights',
          hint: 'run `sudo npx boottorrent start …`',
        },
        {
          message: `port ${takenPort} for the tracker (opentracker.port) is in use on 127.0.0.1`,
          hint: 'stop what uses it (`ss -ltnp`) or choose another port',
        },
      ]);

      // a machine without dnsmasq, aria2c or opentracker; aria2c is needed only as the seeder
      const { blockers: bare } = await preflight(config(trackerPort), {
        seederPort: freeSeeder,
        seeder: 'aria2',
        isRoot: true,
        sysDir: sys,
        find: async () => undefined,
      });
      assert.deepEqual(
        bare.map((b) => `${b.message}: ${b.hint}`),
        [
          'dnsmasq is not installed: apt-get install dnsmasq-base (or: npm run setup)',
          'aria2c is not installed: apt-get install aria2 (or: npm run setup)',
          'opentracker is not installed: apt-get install opentracker (or: npm run setup)',
        ],
      );
      const { blockers: bareWt } = await preflight(config(trackerPort), {
        seederPort: freeSeeder,
        seeder: 'webtorrent',
        isRoot: true,
        sysDir: sys,
        find: async () => undefined,
      });
      assert.ok(!bareWt.some((b) => b.message.startsWith('aria2c')), 'aria2c is not asked for');

      // --seeder-port on the tracker's port: nothing listens there yet, but both would
      const { blockers: same } = await preflight(config(trackerPort), {
        seederPort: trackerPort,
        seeder: 'webtorrent',
        isRoot: true,
        sysDir: sys,
      });
      assert.deepEqual(same, [
        {
          message: `the seeder's port ${trackerPort} is the tracker (opentracker.port)'s too`,
          hint: 'choose another with --seeder-port',
        },
      ]);
    } finally {
      await new Promise((r) => taken.close(r));
      await rm(sys, { recursive: true, force: true });
    }
  });
});
