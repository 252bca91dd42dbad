import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { buildEnv } from '../../host/src/shared.ts';
import { LabNet } from '../../tools/lab/netns.ts';
import { fakeTools } from '../helpers/fake-tools.ts';
import { makeOriginalEnv, ORIGINAL_BOOTTORRENT_YAML } from '../helpers/make-env.ts';
import { startBareHost } from '../helpers/netns-host.ts';
import { runBttui } from '../helpers/run-bttui.ts';

const yaml = (subnet: string) =>
  ORIGINAL_BOOTTORRENT_YAML.replaceAll('10.77.0', subnet).replace(
    'seed_time: 30',
    'seed_time: 0\n    stall_timeout: 8',
  );

describe('bttui names the cause it measured when no data comes', { timeout: 240_000 }, () => {
  for (const engine of ['aria2', 'webtorrent'])
    it(`${engine}: the host's seeder dies mid-download; each of two clients blames the host's seeder (naming the pieces nobody it reaches has), not the cable`, async () => {
      const net = new LabNet(`bt-stall-${engine.slice(0, 2)}-${process.pid}`, '10.81.0');
      const clients = ['c1', 'c2'].map((c, i) => {
        const ns = net.addClient(c);
        execFileSync('ip', ['-n', ns, 'addr', 'add', `10.81.0.${20 + i}/24`, 'dev', 'eth0']);
        return ns;
      });
      const env = await makeOriginalEnv({
        boottorrentYaml: yaml('10.81.0'),
        sizes: { 'debian/initrd.img': 4 << 20 },
      });
      let host: Awaited<ReturnType<typeof startBareHost>> | undefined;
      const fake = await fakeTools();
      try {
        assert.ok((await buildEnv(env)).ok);
        // slow enough that both are mid-way when it dies
        host = await startBareHost(net, env, { seeder: 'webtorrent', seedLimit: 300_000 });
        const runs = clients.map((ns, i) =>
          runBttui(path.join(env, 'out', 'torrents'), ['--no-exec', '--engine', engine], {
            path: `${fake.bin}:${process.env.PATH}`,
            cmdline: 'quiet bt.os=debian',
            mac: `52:54:00:12:35:0${i}`,
            netns: ns,
          }),
        );
        await new Promise((r) => setTimeout(r, 7000));
        await host.killSeeder();
        for (const r of await Promise.all(runs)) {
          assert.equal(r.exitCode, 1, r.output);
          // the other client connected (the pieces it lacks, named), or gone once it had nothing this one
          // lacks (WebTorrent drops a connection of no use): the host's seeder is blamed either way
          assert.match(
            r.output,
            /No verified data arrived for 8 s(: \d+ of the 18 pieces of "debian" \([\d–, and]+(more run\(s\))?\) are on none of the 1 machine\(s\) this client reaches, and the host’s seeder is not among them: the host is not serving them\.| \([\d.]+ MiB of 4\.3 MiB\), and no machine is connected: the host’s seeder does not answer)/,
          );
          assert.match(
            r.output,
            /Hint: (this machine has an address; )?on the host, check that `boottorrent start` runs and its seeder is up/,
          );
          assert.doesNotMatch(r.output, /cable/);
          await rm(r.data, { recursive: true, force: true });
          await rm(r.system, { recursive: true, force: true });
        }
      } finally {
        await host?.stop();
        await rm(env, { recursive: true, force: true });
        await rm(fake.dir, { recursive: true, force: true });
        assert.deepEqual(await net.destroy(), [], 'no process left in the namespaces');
      }
    });

  it('before fetching: no interface (no driver), no link, a link without an address — each said as measured', async () => {
    const net = new LabNet(`bt-nonet-${process.pid}`, '10.82.0');
    const env = await makeOriginalEnv({ boottorrentYaml: yaml('10.82.0') });
    const fake = await fakeTools();
    try {
      assert.ok((await buildEnv(env)).ok);
      const noAddress = net.addClient('na');
      const noLink = net.addClient('nl');
      await execa('ip', ['-n', net.ns, 'link', 'set', 'vnl', 'down']);
      const noNic = net.addClient('nn');
      // its cable end gone, both ends go: the namespace keeps only loopback
      await execa('ip', ['-n', net.ns, 'link', 'del', 'vnn']);
      const said = async (ns: string) => {
        const r = await runBttui(path.join(env, 'out', 'torrents'), ['--no-exec'], {
          path: `${fake.bin}:${process.env.PATH}`,
          cmdline: 'quiet bt.os=debian',
          netns: ns,
          realSys: true,
        });
        await rm(r.data, { recursive: true, force: true });
        await rm(r.system, { recursive: true, force: true });
        assert.equal(r.exitCode, 1, r.output);
        assert.doesNotMatch(r.output, /fetching/, 'refused before the download');
        return r.output;
      };
      const a = await said(noAddress);
      assert.match(a, /eth0 has no address: no DHCP server answered in Phase 1\./);
      assert.doesNotMatch(a, /cable/);
      assert.match(
        await said(noLink),
        /No network link on eth0: no cable, or the switch port is off\.\n\s+Hint: check the cable/,
      );
      const n = await said(noNic);
      // the PCI bus seen from a namespace is this machine's own: what is said of its cards varies
      assert.match(n, /This machine has no network interface: /);
      assert.doesNotMatch(n, /check the cable/);
    } finally {
      await rm(env, { recursive: true, force: true });
      await rm(fake.dir, { recursive: true, force: true });
      assert.deepEqual(await net.destroy(), [], 'no process left in the namespaces');
    }
  });
});
