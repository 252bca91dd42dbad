// Over 250 lines: the table of bad Boottorrent.yaml files and their exact messages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkBoottorrentConfig } from './boottorrent-config.ts';
import { parseYaml } from './parse-yaml.ts';
import { formatProblem } from './problem.ts';

const F = 'env/Boottorrent.yaml';
const GOOD = `
boottorrent:
    version: 0
    display_oss: [debian, freedos]
    timeout: 30
    default_os: debian
    seed_time: 30
    host_ip: 192.168.1.1
dnsmasq:
    enable_dhcp: True
    interface: eth0
    bind_interfaces: True
    dhcp_range: "192.168.1.50,192.168.1.150,12h"
    enable_tftp: True
opentracker:
    enable: True
    port: 10001
aria2:
    bt_enable_lpd: False
    enable_dht: False
    check_integrity: False
    enable_peer_exchange: True
`;

function check(text: string) {
  const p = parseYaml(text, F);
  assert.ok('value' in p);
  return checkBoottorrentConfig(p.value, F);
}

/** Replace one `key: value` line of GOOD (first match after the section line). */
function edit(section: string, key: string, value: string | null): string {
  const lines = GOOD.split('\n');
  const s = lines.indexOf(`${section}:`);
  const i = lines.findIndex((l, n) => n > s && l.trim().startsWith(`${key}:`));
  if (value === null) lines.splice(i, 1);
  else lines[i] = `    ${key}: ${value}`;
  return lines.join('\n');
}

describe('Boottorrent.yaml', () => {
  it('reads the original format with defaults for the new keys', () => {
    const c = check(GOOD);
    assert.ok(c.ok);
    assert.deepEqual(c.warnings, []);
    assert.equal(c.value.boottorrent.seed_time, 30);
    assert.equal(c.value.boottorrent.engine, 'aria2');
    assert.equal(c.value.opentracker.port, 10001);
    assert.equal(c.value.dnsmasq.proxy_dhcp, false);
    assert.equal(c.value.http.enable, false);
  });

  it('never prints a line of a file that is no Boottorrent.yaml: only keys that look like keys are named', () => {
    const shadow = ['root:*:20228:0:99999:7:::', 'daemon:*:20228:0:99999:7:::'].map((l) => `${l}\n`).join('');
    const c = check(`${GOOD}${shadow}`);
    const said = c.warnings.map(formatProblem).join('\n');
    assert.doesNotMatch(said, /20228/);
    assert.match(
      said,
      /2 more unknown key\(s\), not shown \(some are not key names: is this the right file\?\)/,
    );
  });

  it('warns about (and ignores) sections of older versions and unknown keys', () => {
    const c = check(`${GOOD}\ntransmission:\n    rpc_port: 9091\nfoo: 1\n`);
    assert.ok(c.ok);
    assert.deepEqual(c.warnings.map(formatProblem), [
      `${F}: transmission: section of an older BootTorrent, ignored`,
      `${F}: foo: unknown key, ignored`,
    ]);
  });

  const bad: [string, string, string[]][] = [
    [
      'default_os not displayed',
      edit('boottorrent', 'default_os', 'win98'),
      ['boottorrent.default_os: "win98" is not in display_oss (debian, freedos)'],
    ],
    [
      'malformed dhcp_range',
      edit('dnsmasq', 'dhcp_range', '"192.168.1.50-192.168.1.150"'),
      [
        'dnsmasq.dhcp_range: "192.168.1.50-192.168.1.150" must be "first,last,lease", e.g. "192.168.1.50,192.168.1.150,12h"',
      ],
    ],
    [
      'reversed dhcp_range',
      edit('dnsmasq', 'dhcp_range', '"192.168.1.150,192.168.1.50,1h"'),
      ['dnsmasq.dhcp_range: first address 192.168.1.150 comes after last address 192.168.1.50'],
    ],
    [
      'proxy mode wants a network',
      `${edit('dnsmasq', 'dhcp_range', '"192.168.1.50,192.168.1.150,1h"')}\n`.replace(
        'enable_tftp: True',
        'enable_tftp: True\n    proxy_dhcp: true',
      ),
      [
        'dnsmasq.dhcp_range: "192.168.1.50,192.168.1.150,1h" must be the network address alone in proxy mode, e.g. "192.168.1.0"',
      ],
    ],
    [
      'bad host ip',
      edit('boottorrent', 'host_ip', '192.168.1'),
      ['boottorrent.host_ip: "192.168.1" is not an IPv4 address'],
    ],
    ['missing host ip', edit('boottorrent', 'host_ip', null), ['boottorrent.host_ip: is required']],
    [
      'timeout not a number',
      edit('boottorrent', 'timeout', 'soon'),
      ['boottorrent.timeout: must be a whole number, got "soon"'],
    ],
    [
      'negative seed_time',
      edit('boottorrent', 'seed_time', '-5'),
      ['boottorrent.seed_time: must be at least 0, got -5'],
    ],
    [
      'boolean as text',
      edit('aria2', 'enable_dht', 'maybe'),
      ['aria2.enable_dht: must be true or false, got "maybe"'],
    ],
    [
      'unknown engine',
      edit('boottorrent', 'version', '0\n    engine: rtorrent'),
      ['boottorrent.engine: "rtorrent" is not one of aria2, webtorrent'],
    ],
    [
      'no interface for DHCP',
      edit('dnsmasq', 'interface', null),
      [
        'dnsmasq.interface: is required when enable_dhcp is true (DHCP is never served on an interface you did not name)',
      ],
    ],
    [
      'autoboot without default',
      edit('boottorrent', 'default_os', null),
      ['boottorrent.default_os: is required when timeout is 30 (0 or more means autoboot)'],
    ],
    [
      'several at once',
      edit('boottorrent', 'host_ip', 'x').replace('port: 10001', 'port: 70000'),
      [
        'boottorrent.host_ip: "x" is not an IPv4 address',
        'opentracker.port: must be at most 65535, got 70000',
      ],
    ],
    [
      'bad MAC in by_mac',
      edit(
        'boottorrent',
        'version',
        '0\n    by_mac: {"52:54:00:zz:00:01": debian, "52-54-00-12-34-56": win}',
      ),
      [
        'boottorrent.by_mac.52:54:00:zz:00:01: is not a MAC address like 52:54:00:12:34:56',
        'boottorrent.by_mac.52-54-00-12-34-56: "win" is not in display_oss',
      ],
    ],
    [
      'a line break in the interface (it would add a dhcp-script= line that dnsmasq runs as root)',
      edit('dnsmasq', 'interface', '"eth0\\ndhcp-script=/tmp/evil.sh"'),
      [
        'dnsmasq.interface: contains a line break at character 5; a text field is one line of printable characters',
      ],
    ],
    [
      'an interface name Linux would not take',
      edit('dnsmasq', 'interface', '"eth0 eth1"'),
      [
        'dnsmasq.interface: "eth0 eth1" is not a network interface name (up to 15 letters, digits and . _ - @, e.g. eth0 or enp3s0)',
      ],
    ],
    [
      'a user that is not a user name, and one with a line break',
      edit('dnsmasq', 'bind_interfaces', 'True\n    user: "root\\nconf-file=/tmp/x"'),
      [
        'dnsmasq.user: contains a line break at character 5; a text field is one line of printable characters',
      ],
    ],
    [
      'a user name with a shell character',
      edit('dnsmasq', 'bind_interfaces', 'True\n    user: "nobody;id"'),
      ['dnsmasq.user: "nobody;id" is not a user name (letters, digits, _ . -, e.g. root or dnsmasq)'],
    ],
    [
      'a line break in the Phase-1 command line (it would add a LABEL to pxelinux.cfg)',
      `${GOOD}phase1:\n    cmdline: "quiet\\nLABEL evil\\n  KERNEL http://x/evil"\n`,
      [
        'phase1.cmdline: contains a line break at character 6; a text field is one line of printable characters',
      ],
    ],
    [
      'an escape sequence in a name',
      edit('boottorrent', 'default_os', '"debian\\e[2J"'),
      [
        'boottorrent.default_os: contains an escape character at character 7; a text field is one line of printable characters',
      ],
    ],
    [
      'a Phase-1 command line longer than a kernel takes',
      `${GOOD}phase1:\n    cmdline: "${'x'.repeat(2000)}"\n`,
      ['phase1.cmdline: is 2000 characters; a kernel takes 1900 at most'],
    ],
    [
      'a Phase-1 driver set that does not exist',
      `${GOOD}phase1:\n    drivers: server\n`,
      [
        `phase1.drivers: "server" is not one of default, all (all: every wired NIC driver of Phase 1's kernel)`,
      ],
    ],
    [
      'no tracker and no other way to find peers',
      edit('opentracker', 'enable', 'False'),
      [
        'opentracker.enable: is false, and clients would have no other way to find the host or each other: keep the tracker, or set aria2.bt_enable_lpd (local discovery) or http.web_seeds',
      ],
    ],
    [
      'HTTP on the tracker’s port',
      `${GOOD}http:\n    enable: True\n    port: 10001\n`,
      [
        "http.port: is 10001, which the tracker (opentracker.port) uses too: each of the host's services needs a port of its own",
      ],
    ],
    [
      'the tracker on TFTP’s port (it listens on UDP too)',
      edit('opentracker', 'port', '69'),
      [
        "opentracker.port: is 69, which TFTP (dnsmasq) uses too: each of the host's services needs a port of its own",
      ],
    ],
    [
      'an escape sequence in a display_oss entry (it becomes a folder name, a torrent name, a line of the seeder’s list)',
      edit('boottorrent', 'display_oss', '[debian, "free\\e[2Jdos"]'),
      [
        'boottorrent.display_oss[1]: contains a control character; a name is one line of printable characters',
      ],
    ],
    [
      'an OS named as the client’s own files',
      edit('boottorrent', 'display_oss', '[debian, configs.yaml]'),
      [
        'boottorrent.display_oss[1]: "configs.yaml" is a name the client’s own files use (Boottorrent.yaml, configs.yaml, profiles.yaml, qemu-profile, downloads, *.torrent, *.aria2): rename the folder',
      ],
    ],
    [
      "a DHCP range that includes the host's own address",
      edit('dnsmasq', 'dhcp_range', '"192.168.1.1,192.168.1.150,12h"'),
      [
        "dnsmasq.dhcp_range: includes host_ip 192.168.1.1: a client could be given the host's own address; start the range after it",
      ],
    ],
  ];
  for (const [name, text, expected] of bad) {
    it(`rejects: ${name}`, () => {
      const c = check(text);
      assert.equal(c.ok, false);
      assert.ok(!c.ok);
      assert.deepEqual(
        c.problems.map(formatProblem),
        expected.map((e) => `${F}: ${e}`),
      );
    });
  }

  it('reports YAML syntax errors with the line number', () => {
    const p = parseYaml('boottorrent:\n  timeout: 3\n   host_ip: [\n', F);
    assert.ok('problem' in p);
    assert.equal(p.problem.line, 3);
    assert.match(formatProblem(p.problem), /^env\/Boottorrent\.yaml:3: YAML syntax error: /);
  });

  it('takes the tracker off when local discovery finds peers instead', () => {
    const c = check(
      edit('opentracker', 'enable', 'False').replace('bt_enable_lpd: False', 'bt_enable_lpd: True'),
    );
    assert.ok(c.ok);
  });

  it('normalises by_mac keys to lower-case colon form', () => {
    const c = check(edit('boottorrent', 'version', '0\n    by_mac: {"52-54-00-AB-CD-EF": freedos}'));
    assert.ok(c.ok);
    assert.deepEqual(c.value.boottorrent.by_mac, { '52:54:00:ab:cd:ef': 'freedos' });
  });
});
