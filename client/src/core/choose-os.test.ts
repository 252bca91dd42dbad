import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkBoottorrentConfig } from '../config/boottorrent-config.ts';
import type { ClientConfig } from '../config/client-config.ts';
import { chooseAutoboot, unknownChoice } from './choose-os.ts';
import { parseKernelCmdline } from './kernel-cmdline.ts';

function config(boottorrent: Record<string, unknown>): ClientConfig {
  const c = checkBoottorrentConfig(
    {
      boottorrent: { host_ip: '10.0.0.1', display_oss: ['debian', 'dos'], ...boottorrent },
      dnsmasq: { enable_dhcp: false },
    },
    'B.yaml',
  );
  assert.ok(c.ok, JSON.stringify(!c.ok && c.problems));
  return {
    settings: c.value,
    oss: [
      { name: 'debian', os: { dispname: 'Debian', method: 'kexec', kernel: 'k' } },
      { name: 'dos', os: { dispname: 'DOS', method: 'bin-qemu-x86_64', args: '-fda d.img' } },
    ],
    profiles: {},
  };
}
const none = new Map<string, string>();

describe('choosing an OS without a keyboard', () => {
  it('timeout 0 boots default_os at once; > 0 after the countdown; < 0 never', () => {
    assert.deepEqual(chooseAutoboot(config({ timeout: 0, default_os: 'dos' }), none, []), {
      name: 'dos',
      delay: 0,
      reason: 'default_os',
    });
    assert.deepEqual(chooseAutoboot(config({ timeout: 12, default_os: 'debian' }), none, []), {
      name: 'debian',
      delay: 12,
      reason: 'default_os',
    });
    assert.equal(chooseAutoboot(config({ timeout: -1 }), none, []), undefined);
  });

  it('bt.os= on the kernel command line wins over everything, at once', () => {
    const c = config({ timeout: 30, default_os: 'debian', by_mac: { '52:54:00:00:00:01': 'debian' } });
    assert.deepEqual(chooseAutoboot(c, parseKernelCmdline('quiet bt.os=dos'), ['52:54:00:00:00:01']), {
      name: 'dos',
      delay: 0,
      reason: 'bt.os on the kernel command line',
    });
  });

  it("a machine's MAC in by_mac boots its OS at once, even with no timer", () => {
    const c = config({ timeout: -1, by_mac: { '52-54-00-AA-BB-CC': 'dos' } });
    assert.deepEqual(chooseAutoboot(c, none, ['52:54:00:11:11:11', '52:54:00:aa:bb:cc']), {
      name: 'dos',
      delay: 0,
      reason: 'by_mac entry for 52:54:00:aa:bb:cc',
    });
  });

  it('a bt.os= naming no offered OS falls back, and is reported', () => {
    const c = config({ timeout: 5, default_os: 'debian' });
    const cmdline = parseKernelCmdline('bt.os=win98');
    assert.equal(chooseAutoboot(c, cmdline, [])?.name, 'debian');
    assert.equal(unknownChoice(c, cmdline), 'win98');
    assert.equal(unknownChoice(c, none), undefined);
  });
});

describe('kernel command line', () => {
  it('splits words, keeps quoted values whole, maps bare words to ""', () => {
    const m = parseKernelCmdline('BOOT_IMAGE=/vmlinuz console=ttyS0,115200 quiet bt.os=debian foo="a b"\n');
    assert.equal(m.get('console'), 'ttyS0,115200');
    assert.equal(m.get('quiet'), '');
    assert.equal(m.get('bt.os'), 'debian');
    assert.equal(m.get('foo'), 'a b');
  });
});
