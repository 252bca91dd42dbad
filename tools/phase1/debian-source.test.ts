import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chooseVersion,
  debianSources,
  debSrcList,
  firmwareList,
  releaseList,
  upstreamOf,
} from './debian-source.ts';

describe('a private apt configuration with deb-src lines for Debian source packages', () => {
  it("turns this machine's binary sources into deb-src lines, Debian's archives only", () => {
    const deb822 = [
      'Types: deb',
      '# http://snapshot.debian.org/archive/debian/20250520T000000Z',
      'URIs: http://deb.debian.org/debian',
      'Suites: bookworm bookworm-updates',
      'Components: main',
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
      '',
      'Types: deb',
      'URIs: http://deb.debian.org/debian-security',
      'Suites: bookworm-security',
      'Components: main',
      '',
      'Types: deb',
      'URIs: http://deb.debian.org/debian',
      'Suites: trixie',
      'Components: main',
      'Enabled: no',
    ].join('\n');
    const nodesource =
      'Types: deb\nURIs: https://deb.nodesource.com/node_20.x\nSuites: nodistro\nComponents: main\n';
    const oneLine =
      '# comment\ndeb [arch=amd64 signed-by=/k.gpg] http://ftp.fr.debian.org/debian/ bookworm main contrib\n' +
      'deb https://packages.cloud.google.com/apt cloud-sdk-bookworm main\ndeb-src http://x/debian bookworm main\n';
    const sources = debianSources([
      { name: 'debian.sources', text: deb822 },
      { name: 'nodesource.sources', text: nodesource },
      { name: 'sources.list', text: oneLine },
    ]);
    assert.equal(
      debSrcList(sources),
      [
        'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main',
        'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-updates main',
        'deb-src http://deb.debian.org/debian-security bookworm-security main',
        'deb-src [signed-by=/k.gpg] http://ftp.fr.debian.org/debian/ bookworm main contrib',
        '',
      ].join('\n'),
    );
  });

  it('builds the pinned version, else the same upstream release out loud, never another release', () => {
    assert.equal(upstreamOf('1:2.0.25-3+deb12u3'), '2.0.25');
    assert.equal(upstreamOf('1.36.0-1'), '1.36.0');
    assert.deepEqual(chooseVersion('aria2', '1.36.0-1', ['1.36.0-1']), { version: '1.36.0-1' });
    assert.deepEqual(chooseVersion('kexec-tools', '1:2.0.25-3+deb12u3', ['1:2.0.25-3+deb12u4']), {
      version: '1:2.0.25-3+deb12u4',
      note: 'kexec-tools 1:2.0.25-3+deb12u3 is no longer in the archive; building 1:2.0.25-3+deb12u4 (same upstream release)',
    });
    const other = chooseVersion('aria2', '1.36.0-1', ['1.37.0+debian-1']);
    assert.ok('error' in other);
    assert.match(
      other.error,
      /aria2 1\.36\.0-1 is not in the archive \(it has 1\.37\.0\+debian-1\); update the pinned version/,
    );
    assert.ok('error' in chooseVersion('aria2', '1.36.0-1', []));
  });

  it("names the same archives' non-free-firmware component, once per suite, for the NICs' firmware", () => {
    const sources = debianSources([
      {
        name: 'sources.list',
        text: 'deb [signed-by=/k.gpg] http://deb.debian.org/debian bookworm main\ndeb http://deb.debian.org/debian bookworm contrib\n',
      },
    ]);
    assert.equal(
      firmwareList(sources),
      'deb [signed-by=/k.gpg] http://deb.debian.org/debian bookworm non-free-firmware\ndeb http://deb.debian.org/debian bookworm non-free-firmware\n',
    );
  });

  it("names Debian 13's main archive for the UEFI loaders, once, without -security or -updates", () => {
    const sources = debianSources([
      {
        name: 'sources.list',
        text: [
          'deb [signed-by=/k.gpg] http://deb.debian.org/debian bookworm main',
          'deb [signed-by=/k.gpg] http://deb.debian.org/debian bookworm-updates main',
          'deb http://deb.debian.org/debian-security bookworm-security main',
        ].join('\n'),
      },
    ]);
    assert.equal(
      releaseList('trixie')(sources),
      'deb [signed-by=/k.gpg] http://deb.debian.org/debian trixie main\n',
    );
  });
});
