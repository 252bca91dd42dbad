import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkClientConfig } from './client-config.ts';
import { osNameProblem } from './names.ts';
import { formatProblem } from './problem.ts';
import { PROFILES_FILE } from './profiles-config.ts';

const BT = {
  file: '/torrents/Boottorrent.yaml',
  text: 'boottorrent: {host_ip: 10.0.0.1, timeout: -1, display_oss: [debian]}\ndnsmasq: {enable_dhcp: false}\n',
};
const HASH = 'a'.repeat(40);
const configs = (name: string, torrent: string) => ({
  file: '/torrents/configs.yaml',
  text: `${name}:\n  dispname: Debian\n  method: kexec\n  kernel: vmlinuz\n  torrent: "${torrent}"\n  infohash: ${HASH}\n  files: {vmlinuz: {size: 1, sha256: ${'b'.repeat(64)}}}\n`,
});

describe('what bttui reads from /torrents before it touches the network', () => {
  it('takes an OS whose torrent is a file beside configs.yaml', () => {
    const c = checkClientConfig(BT, configs('debian', 'debian.torrent'));
    assert.ok(c.ok, c.ok ? '' : c.problems.map(formatProblem).join('\n'));
    assert.equal(c.value.oss[0]!.os.torrent, 'debian.torrent');
  });

  it('refuses a torrent: entry that is a path (the client would read any file as its torrent)', () => {
    for (const entry of ['../../../../etc/passwd', '/etc/passwd', 'sub/debian.torrent', 'debian.txt']) {
      const c = checkClientConfig(BT, configs('debian', entry));
      assert.ok(!c.ok);
      assert.deepEqual(c.problems.map(formatProblem), [
        `/torrents/configs.yaml: debian.torrent: "${entry}" must be the name of a .torrent file in /torrents (letters, digits, . _ -), not a path`,
      ]);
    }
  });

  it('refuses an OS named as the client’s own files, or not a plain name', () => {
    for (const name of ['configs.yaml', 'Boottorrent.yaml', 'downloads', '"x\\ny"']) {
      const c = checkClientConfig(
        { ...BT, text: BT.text.replace('display_oss: [debian]', 'display_oss: [debian]') },
        configs(name, 'debian.torrent'),
      );
      assert.ok(!c.ok);
      assert.match(
        c.problems.map(formatProblem).join('\n'),
        /configs\.yaml: .*(is a name the client’s own files use|is not a folder name under oss\/)/,
      );
    }
  });
});

it('the names the client’s own files use, by the constants that name them, are no OS names', () => {
  for (const taken of [PROFILES_FILE, 'configs.yaml', 'Boottorrent.yaml', 'qemu-profile.torrent'])
    assert.ok(osNameProblem(taken), taken);
});
