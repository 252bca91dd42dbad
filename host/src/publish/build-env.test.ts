// Over 250 lines: one build of the original-format env read by many assertions (goldens, torrents, seeds), and the bad inputs beside it.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import yaml from 'js-yaml';
import { formatProblem, type OsConfig, parseTorrent } from '../../../client/src/shared.ts';
import { captureConsole } from '../../../test/helpers/capture-console.ts';
import {
  builtEnvForTest,
  envForTest,
  makeOriginalEnv,
  ORIGINAL_BOOTTORRENT_YAML,
} from '../../../test/helpers/make-env.ts';
import { buildEnv } from './build-env.ts';
import { printBuild } from './print-build.ts';

const GOLDEN = path.join(import.meta.dirname, 'golden');
/**
 * Compare with a golden file. UPDATE_GOLDEN=1 rewrites a file that differs and still fails, so a run
 * with it set never passes by comparing the output with itself: review the diff, run again without it.
 */
function golden(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  const expected = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (process.env.UPDATE_GOLDEN && actual !== expected) {
    writeFileSync(file, actual);
    assert.fail(`rewrote golden ${name}: review its diff, then run again without UPDATE_GOLDEN`);
  }
  assert.equal(actual, expected, `differs from golden ${name} (UPDATE_GOLDEN=1 rewrites it)`);
}

/** dnsmasq's own syntax check; it reports on stderr */
function dnsmasqTest(conf: string): string {
  const r = spawnSync('dnsmasq', ['--test', '-C', conf], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}

function treeHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = path.join(d, n);
      h.update(p);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

describe('boottorrent build, original-format env', () => {
  let env: string;
  let out: string;
  before(async () => {
    env = await makeOriginalEnv();
    const r = await buildEnv(env);
    assert.ok(r.ok, r.ok ? '' : r.problems.map(formatProblem).join('\n'));
    assert.deepEqual(r.warnings.map(formatProblem), [
      `${env}/Boottorrent.yaml: transmission: section of an older BootTorrent, ignored`,
    ]);
    out = r.value.out;
  });
  after(() => rm(env, { recursive: true, force: true }));

  const norm = (s: string) => s.replaceAll(env, '$ENV');

  it('writes dnsmasq.conf as the golden file, and dnsmasq --test accepts it', () => {
    const conf = path.join(out, 'dnsmasq', 'dnsmasq.conf');
    golden('dnsmasq.conf', norm(readFileSync(conf, 'utf8')));
    assert.match(dnsmasqTest(conf), /syntax check OK/);
  });

  it('writes grub/grub.cfg for UEFI clients as the golden file: the same kernel and initrds, over TFTP', () => {
    golden('grub.cfg', readFileSync(path.join(out, 'dnsmasq', 'ph1', 'grub', 'grub.cfg'), 'utf8'));
  });

  it('records whether a kexec OS’s kernel is signed for Secure Boot (the fixture’s is not)', () => {
    const configs = yaml.load(readFileSync(path.join(out, 'torrents', 'configs.yaml'), 'utf8')) as Record<
      string,
      OsConfig
    >;
    assert.equal(configs.debian!.files!.vmlinuz!.signed, false);
    assert.equal(configs.debian!.files!['initrd.img']!.signed, undefined);
    assert.equal(configs.freedos!.files!['odin1440.img']!.signed, undefined);
  });

  it('writes pxelinux.cfg/default as the golden file', () => {
    golden('pxelinux.cfg', readFileSync(path.join(out, 'dnsmasq', 'ph1', 'pxelinux.cfg', 'default'), 'utf8'));
  });

  it('packs torrents.gz as a newc cpio that bsdtar lists', () => {
    const gz = path.join(out, 'dnsmasq', 'ph1', 'torrents.gz');
    const listing = execFileSync('bsdtar', ['-tvf', gz], { encoding: 'utf8' });
    golden('torrents.gz.listing', listing.replace(/ +/g, ' '));
    assert.match(
      execFileSync('file', ['-z', gz], { encoding: 'utf8' }),
      /ASCII cpio archive \(SVR4 with no CRC\)/,
    );
    const extracted = execFileSync('bsdtar', ['-xOf', gz, 'torrents/Boottorrent.yaml'], { encoding: 'utf8' });
    assert.equal(extracted, ORIGINAL_BOOTTORRENT_YAML);
  });

  for (const os of ['debian', 'freedos', 'alpine']) {
    it(`${os}.torrent: aria2c reads it, same infohash and files`, () => {
      const file = path.join(out, 'torrents', `${os}.torrent`);
      const t = parseTorrent(readFileSync(file));
      assert.ok(t.ok);
      const shown = execFileSync('aria2c', ['--show-files=true', file], { encoding: 'utf8' });
      assert.match(shown, new RegExp(`Info Hash: ${t.torrent.infohash}`));
      assert.match(shown, /Announce:\s*\n\s*http:\/\/10\.77\.0\.1:6969\/announce/);
      for (const f of t.torrent.files)
        assert.ok(shown.includes(`./${os}/${f.path}`), `aria2c lists ${f.path}`);
      assert.ok(!t.torrent.files.some((f) => f.path === 'config.yaml'), 'config.yaml is not shared');
    });
  }

  it('configs.yaml carries each OS config plus infohash and per-file sha256', () => {
    const configs = yaml.load(readFileSync(path.join(out, 'torrents', 'configs.yaml'), 'utf8')) as Record<
      string,
      OsConfig
    >;
    assert.deepEqual(Object.keys(configs), ['debian', 'freedos', 'alpine']);
    assert.equal(configs.debian!.kernel, 'vmlinuz');
    assert.equal(configs.freedos!.args, '-fda odin1440.img');
    const iso = readFileSync(path.join(env, 'oss', 'alpine', 'alpine-virt-3.8.0-x86.iso'));
    assert.deepEqual(configs.alpine!.files!['alpine-virt-3.8.0-x86.iso'], {
      size: iso.length,
      sha256: createHash('sha256').update(iso).digest('hex'),
    });
    const t = parseTorrent(readFileSync(path.join(out, 'torrents', 'alpine.torrent')));
    assert.ok(t.ok);
    assert.equal(configs.alpine!.infohash, t.torrent.infohash);
  });

  it('writes the seeder list and tracker whitelist for start: three OSes and the qemu profile', () => {
    const list = readFileSync(path.join(out, 'aria2', 'seed.list'), 'utf8');
    assert.equal(
      norm(list),
      ['debian', 'freedos', 'alpine']
        .map((o) => `$ENV/out/torrents/${o}.torrent\n  dir=$ENV/oss\n`)
        .concat('$ENV/out/torrents/qemu-profile.torrent\n  dir=$ENV/out/profiles\n')
        .join(''),
    );
    assert.equal(
      readFileSync(path.join(out, 'opentracker', 'whitelist'), 'utf8')
        .trim()
        .split('\n').length,
      4,
    );
  });

  it('publishes the qemu profile because freedos and alpine run in qemu: a torrent, profiles.yaml, a seed', () => {
    const profiles = yaml.load(readFileSync(path.join(out, 'torrents', 'profiles.yaml'), 'utf8')) as {
      qemu: {
        torrent: string;
        infohash: string;
        files: Record<string, { size: number }>;
        unpacked_bytes: number;
      };
    };
    assert.equal(profiles.qemu.torrent, 'qemu-profile.torrent');
    assert.equal(profiles.qemu.unpacked_bytes, 'test fixture\n'.length);
    const archive = path.join(out, 'profiles', 'qemu-profile', 'qemu-profile.cpio.zst');
    assert.equal(profiles.qemu.files['qemu-profile.cpio.zst']?.size, statSync(archive).size);
    const t = parseTorrent(readFileSync(path.join(out, 'torrents', 'qemu-profile.torrent')));
    assert.ok(t.ok);
    assert.equal(t.torrent.infohash, profiles.qemu.infohash);
    assert.equal(t.torrent.name, 'qemu-profile');
  });

  it('a rebuild gives the same torrents (reproducible)', async () => {
    const before = readFileSync(path.join(out, 'dnsmasq', 'ph1', 'torrents.gz'));
    const r = await buildEnv(env);
    assert.ok(r.ok);
    assert.ok(readFileSync(path.join(out, 'dnsmasq', 'ph1', 'torrents.gz')).equals(before));
    assert.ok(!readdirSync(env).some((n) => n.startsWith('.out.')), 'no temporary folder left behind');
  });
});

describe('boottorrent build, an env whose OSes all kexec', () => {
  it('publishes no qemu profile even when one is at hand: no torrent, no profiles.yaml, no seed', async (t) => {
    const env = await envForTest(t, {
      boottorrentYaml: ORIGINAL_BOOTTORRENT_YAML.replace('[debian, freedos, alpine]', '[debian]'),
    });
    await rm(path.join(env, 'oss', 'freedos'), { recursive: true });
    await rm(path.join(env, 'oss', 'alpine'), { recursive: true });
    const r = await buildEnv(env);
    assert.ok(r.ok, r.ok ? '' : r.problems.map(formatProblem).join('\n'));
    assert.deepEqual(readdirSync(path.join(r.value.out, 'torrents')).sort(), [
      'Boottorrent.yaml',
      'configs.yaml',
      'debian.torrent',
    ]);
    assert.ok(!existsSync(path.join(r.value.out, 'profiles')));
    assert.deepEqual(
      r.value.seeds.map((s) => path.basename(s.torrent)),
      ['debian.torrent'],
    );
    assert.equal(r.value.qemuProfileMissing, undefined);
  });
});

describe('boottorrent build, bad input', () => {
  it('reports every problem in every file at once and leaves out/ exactly as it was', async (t) => {
    const env = await envForTest(t);
    assert.ok((await buildEnv(env)).ok);
    const outHash = treeHash(path.join(env, 'out'));
    writeFileSync(
      path.join(env, 'Boottorrent.yaml'),
      ORIGINAL_BOOTTORRENT_YAML.replace('default_os: debian', 'default_os: win98').replace(
        '"10.77.0.50,10.77.0.150,12h"',
        '"10.77.0.50"',
      ),
    );
    writeFileSync(
      path.join(env, 'oss', 'debian', 'config.yaml'),
      'dispname: Debian\nmethod: kexec\nkernel: bzImage\n',
    );
    writeFileSync(path.join(env, 'oss', 'freedos', 'config.yaml'), 'dispname: FreeDOS\nmethod: bin\n');
    writeFileSync(path.join(env, 'oss', 'alpine', 'config.yaml'), 'dispname: Alpine\n  method: [qemu-iso\n');
    const r = await buildEnv(env);
    assert.ok(!r.ok);
    assert.deepEqual(
      r.problems.map(formatProblem).map((s) => s.replaceAll(env, '$ENV')),
      [
        '$ENV/Boottorrent.yaml: boottorrent.default_os: "win98" is not in display_oss (debian, freedos, alpine)',
        '$ENV/Boottorrent.yaml: dnsmasq.dhcp_range: "10.77.0.50" must be "first,last,lease", e.g. "192.168.1.50,192.168.1.150,12h"',
        '$ENV/oss/debian/config.yaml: kernel: "bzImage" is not a file in oss/debian/',
        '$ENV/oss/freedos/config.yaml: method: "bin" is not one of kexec, bin-qemu-x86_64, qemu-iso',
        '$ENV/oss/alpine/config.yaml:2: YAML syntax error: bad indentation of a mapping entry',
      ],
    );
    assert.equal(treeHash(path.join(env, 'out')), outHash);
    assert.ok(!readdirSync(env).some((n) => n.startsWith('.out.')));
  });

  it('names a missing OS folder and a missing Boottorrent.yaml', async (t) => {
    const env = await envForTest(t, {
      boottorrentYaml: ORIGINAL_BOOTTORRENT_YAML.replace('alpine]', 'alpine, arch]'),
    });
    const r = await buildEnv(env);
    assert.ok(!r.ok);
    assert.deepEqual(
      r.problems.map(formatProblem).map((s) => s.replaceAll(env, '$ENV')),
      ['$ENV/Boottorrent.yaml: boottorrent.display_oss[3]: "arch": there is no folder oss/arch/'],
    );
    const none = await buildEnv(path.join(env, 'oss'));
    assert.ok(!none.ok);
    assert.match(
      formatProblem(none.problems[0]!),
      /Boottorrent\.yaml: not found; is .* an env\? \(`boottorrent init/,
    );
    assert.ok(!existsSync(path.join(env, 'oss', 'out')));
  });

  it('DHCP with HTTP: BIOS clients get pxelinux, UEFI clients shim and GRUB over TFTP, and both read Phase 1 over HTTP; dnsmasq --test accepts it', async (t) => {
    const text = ORIGINAL_BOOTTORRENT_YAML.concat('http:\n    enable: true\n    port: 8000\n');
    const { env, conf } = await builtEnvForTest(t, { boottorrentYaml: text });
    golden('dnsmasq-http.conf', readFileSync(conf, 'utf8').replaceAll(env, '$ENV'));
    assert.match(dnsmasqTest(conf), /syntax check OK/);
    golden(
      'grub-http.cfg',
      readFileSync(path.join(env, 'out', 'dnsmasq', 'ph1', 'grub', 'grub.cfg'), 'utf8'),
    );
  });

  it('proxy-DHCP with HTTP renders pxe-service lines and http:// URLs', async (t) => {
    const text = ORIGINAL_BOOTTORRENT_YAML.replace(
      '"10.77.0.50,10.77.0.150,12h"',
      '"10.77.0.0"\n    proxy_dhcp: true\n    ipv6_ra: true',
    ).concat(
      'http:\n    enable: true\n    port: 8000\n    web_seeds: true\nphase1:\n    cmdline: "console=ttyS0,115200"\n',
    );
    const { env, conf } = await builtEnvForTest(t, { boottorrentYaml: text });
    golden('dnsmasq-proxy-http.conf', readFileSync(conf, 'utf8').replaceAll(env, '$ENV'));
    assert.match(dnsmasqTest(conf), /syntax check OK/);
    golden(
      'pxelinux-http.cfg',
      readFileSync(path.join(env, 'out', 'dnsmasq', 'ph1', 'pxelinux.cfg', 'default'), 'utf8'),
    );
    const parsed = parseTorrent(readFileSync(path.join(env, 'out', 'torrents', 'debian.torrent')));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.torrent.webSeeds, ['http://10.77.0.1:8000/oss/']);
  });

  it("an env's own old kernel in ph1/ is warned about when an initrd is zstd, with the fix; sizes are summed", async (t) => {
    const env = await envForTest(t);
    const ph1 = path.join(env, 'ph1');
    mkdirSync(ph1, { recursive: true });
    // the version string where a real Debian kernel has it, well past the first KiB (6.1's: 0x44c0)
    const kernel = Buffer.alloc(0x5000);
    kernel.write('HdrS', 0x202, 'latin1');
    kernel.writeUInt16LE(0x42c0, 0x20e);
    kernel.write('4.19.0-26-amd64 (debian-kernel@lists.debian.org) #1 SMP\0', 0x44c0, 'latin1');
    writeFileSync(path.join(ph1, 'vmlinuz'), kernel);
    writeFileSync(path.join(ph1, 'rootfs.gz'), Buffer.from('28b52ffd0000', 'hex'));
    writeFileSync(path.join(ph1, 'diff.gz'), Buffer.from('1f8b08000000', 'hex'));
    const r = await buildEnv(env);
    assert.ok(r.ok);
    // the env's own Phase-1 files are what the host serves, not the project's
    for (const n of ['vmlinuz', 'rootfs.gz', 'diff.gz'])
      assert.ok(
        readFileSync(path.join(env, 'out', 'dnsmasq', 'ph1', n)).equals(readFileSync(path.join(ph1, n))),
        `out/dnsmasq/ph1/${n} is ph1/${n}`,
      );
    assert.deepEqual(r.value.phase1Warnings, [
      'rootfs.gz (ph1/rootfs.gz) is zstd-compressed and ph1/vmlinuz is Linux 4.19.0-26-amd64, which cannot ' +
        'unpack it; rebuild it with `npm run phase1 -- --compress gzip`, which every kernel unpacks',
    ]);
    const { log, said: lines } = captureConsole();
    assert.ok(printBuild(r, env, log));
    assert.ok(lines.includes(`warning: ${r.value.phase1Warnings[0]}`));
    const torrentsGz = statSync(path.join(env, 'out', 'dnsmasq', 'ph1', 'torrents.gz')).size;
    const total = 0x5000 + 6 + 6 + torrentsGz;
    assert.ok(
      lines.includes(
        `Phase 1 per client: vmlinuz 0.0 MiB + rootfs.gz 0.0 MiB + diff.gz 0.0 MiB + torrents.gz 0.0 MiB = 0.0 MiB (${total} bytes; budget 36.0 MiB)`,
      ),
      lines.join('\n'),
    );
  });

  it('phase1.drivers: all serves drivers-all.gz right after rootfs.gz, to pxelinux and GRUB, and counts it apart from the budget', async (t) => {
    const text = ORIGINAL_BOOTTORRENT_YAML.concat('phase1:\n    drivers: all\n');
    const env = await envForTest(t, { boottorrentYaml: text });
    const ph1 = path.join(env, 'ph1');
    mkdirSync(ph1, { recursive: true });
    // the env's own Phase 1, and no dist/: a fresh clone runs this before npm run phase1 has built one
    writeFileSync(path.join(ph1, 'vmlinuz'), Buffer.alloc(0x400));
    for (const n of ['rootfs.gz', 'diff.gz'])
      writeFileSync(path.join(ph1, n), Buffer.from('1f8b08000000', 'hex'));
    writeFileSync(path.join(ph1, 'drivers-all.gz'), Buffer.alloc(11 << 20));
    const r = await buildEnv(env, { distDir: path.join(env, 'no-dist') });
    assert.ok(r.ok, r.ok ? '' : r.problems.map(formatProblem).join('\n'));
    const served = path.join(env, 'out', 'dnsmasq', 'ph1');
    golden('pxelinux-drivers-all.cfg', readFileSync(path.join(served, 'pxelinux.cfg', 'default'), 'utf8'));
    golden('grub-drivers-all.cfg', readFileSync(path.join(served, 'grub', 'grub.cfg'), 'utf8'));
    assert.equal(statSync(path.join(served, 'drivers-all.gz')).size, 11 << 20);
    assert.equal(r.value.phase1Bytes['drivers-all.gz'], 11 << 20);
    const { log, said: lines } = captureConsole();
    assert.ok(printBuild(r, env, log));
    assert.match(
      lines.find((l) => l.startsWith('Phase 1 per client')) ?? '',
      /\+ rootfs\.gz [\d.]+ MiB \+ drivers-all\.gz 11\.0 MiB \+ diff\.gz .*budget 36\.0 MiB for the default drivers; phase1\.drivers: all adds 11\.0 MiB\)$/,
    );
  });

  it('phase1.drivers: all without drivers-all.gz built is refused, naming the field and the command, and out/ is left as it was', async (t) => {
    const env = await envForTest(t);
    const nowhere = path.join(env, 'no-dist');
    assert.ok((await buildEnv(env, { distDir: nowhere })).ok);
    const before = treeHash(path.join(env, 'out'));
    writeFileSync(
      path.join(env, 'Boottorrent.yaml'),
      ORIGINAL_BOOTTORRENT_YAML.concat('phase1:\n    drivers: all\n'),
    );
    const r = await buildEnv(env, { distDir: nowhere });
    assert.ok(!r.ok);
    assert.deepEqual(r.problems.map(formatProblem), [
      `${path.join(env, 'Boottorrent.yaml')}: phase1.drivers: is all, and drivers-all.gz is not built (looked for ` +
        `${path.join(env, 'ph1', 'drivers-all.gz')} and ${path.join(nowhere, 'phase1', 'drivers-all.gz')}): ` +
        'run `npm run phase1`, or set it to default',
    ]);
    assert.equal(treeHash(path.join(env, 'out')), before);
  });
});
