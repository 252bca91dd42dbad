import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { checkBoottorrentConfig } from '../../../client/src/shared.ts';
import { ORIGINAL_BOOTTORRENT_YAML } from '../../../test/helpers/make-env.ts';
import type { BuildResult } from '../publish/build-env.ts';
import { type HostOptions, planHost } from './host-plan.ts';

function build(text = ORIGINAL_BOOTTORRENT_YAML): BuildResult {
  const c = checkBoottorrentConfig(yaml.load(text), 'Boottorrent.yaml');
  assert.ok(c.ok);
  return {
    out: '/env/out',
    config: c.value,
    oss: [{ name: 'debian', infohash: 'ab'.repeat(20), totalLength: 1, pieceLength: 1, files: 1 }],
    missing: [],
    phase1Bytes: {},
    phase1Warnings: [],
    seeds: [{ torrent: '/env/out/torrents/debian.torrent', dir: '/env/oss' }],
  };
}

const OPTIONS: HostOptions = {
  dir: '/env',
  seeder: 'aria2',
  seederPort: 6881,
  seedLimit: 0,
  programs: { opentracker: '/usr/bin/opentracker', aria2c: '/usr/bin/aria2c', dnsmasq: '/usr/sbin/dnsmasq' },
  rpc: { port: 6800, secret: 's' },
  isRoot: true,
  published: new Set(['debian/vmlinuz']),
};

describe('the host’s plan, before anything runs', () => {
  it('the programs start reads from preflight, with their arguments; dnsmasq last, with the env’s config', () => {
    const p = planHost(build(), OPTIONS);
    assert.equal(p.tracker?.cmd, '/usr/bin/opentracker');
    assert.ok(p.tracker?.args.includes('10.77.0.1'), p.tracker?.args.join(' '));
    assert.equal(p.seeder?.kind, 'aria2');
    assert.ok(p.seeder?.kind === 'aria2' && p.seeder.program.args.includes('--listen-port=6881'));
    assert.deepEqual(p.dnsmasq, {
      name: 'dnsmasq',
      cmd: '/usr/sbin/dnsmasq',
      args: ['-k', '--pid-file=', '-C', '/env/out/dnsmasq/dnsmasq.conf'],
    });
    assert.equal(p.http, undefined, 'the original env serves no HTTP');
    assert.match(p.banner.join('\n'), /dashboard off: it is served with HTTP/);
    assert.ok(p.banner.includes(`  debian: ${'ab'.repeat(20)}`));
  });

  it('says how clients reach Phase 1: who answers DHCP, each firmware’s loaders, HTTP or TFTP; without our DHCP, what to set on the site’s server', () => {
    const own = planHost(build(), OPTIONS).banner.join('\n');
    assert.match(own, /clients: our DHCP gives the addresses and the boot files/);
    assert.match(own, /UEFI, Secure Boot on or off: shim → GRUB \(signed\) → Phase 1 over TFTP/);
    const http = ORIGINAL_BOOTTORRENT_YAML.concat('http:\n    enable: true\n    port: 8000\n');
    const proxy = planHost(
      build(http.replace('"10.77.0.50,10.77.0.150,12h"', '"10.77.0.0"\n    proxy_dhcp: true')),
      OPTIONS,
    ).banner.join('\n');
    assert.match(proxy, /clients: proxy DHCP: the site's server gives the addresses, ours the boot files/);
    assert.match(proxy, /BIOS: pxelinux .* → Phase 1 over HTTP :8000/);
    assert.match(proxy, /UEFI, Secure Boot on or off: shim → GRUB \(signed\) → Phase 1 over HTTP :8000/);
    const site = planHost(build(http.replace('enable_dhcp: True', 'enable_dhcp: False')), OPTIONS).banner;
    assert.ok(
      site.includes(
        "  clients: no DHCP of ours: the site's DHCP server must name 10.77.0.1 (next-server, option 66) with boot file shimx64.efi for UEFI and lpxelinux.0 for BIOS (option 67)",
      ),
      site.join('\n'),
    );
  });

  it('HTTP mounts only what the torrents publish; leases are read only when our own DHCP gives them', () => {
    const http = ORIGINAL_BOOTTORRENT_YAML.concat('http:\n    enable: true\n    port: 8000\n');
    const own = planHost(build(http), OPTIONS);
    assert.equal(own.http?.port, 8000);
    assert.deepEqual([...(own.http?.mounts['/oss/']?.files ?? [])], ['debian/vmlinuz']);
    assert.equal(own.http?.leases, '/env/out/dnsmasq/dnsmasq.leases');
    const proxy = planHost(
      build(http.replace('"10.77.0.50,10.77.0.150,12h"', '"10.77.0.0"\n    proxy_dhcp: true')),
      OPTIONS,
    );
    assert.equal(proxy.http?.leases, undefined, 'proxy DHCP hands out no address');
  });

  it('the WebTorrent seeder runs on this Node with the env’s swarm switches; none and no dnsmasq for a host on loopback', () => {
    const wt = planHost(build(), { ...OPTIONS, seeder: 'webtorrent', seedLimit: 1000 });
    assert.ok(wt.seeder?.kind === 'webtorrent');
    assert.deepEqual(wt.seeder.options.uploadLimit, 1000);
    assert.equal(wt.seeder.options.port, 6881);
    const bare = planHost(build(), { ...OPTIONS, seeder: 'none', noDnsmasq: true });
    assert.equal(bare.seeder, undefined);
    assert.equal(bare.dnsmasq, undefined);
    assert.throws(() => planHost(build(), { ...OPTIONS, programs: {} }), /no path for opentracker/);
  });
});
