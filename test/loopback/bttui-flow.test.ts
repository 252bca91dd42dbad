// Over 250 lines: bttui from source against a real tracker and seeder, both engines, sharing one host per group.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import yaml from 'js-yaml';
import type { OsConfig } from '../../client/src/config/os-config.ts';
import { freePort } from '../../client/src/engines/free-port.ts';
import { buildEnv } from '../../host/src/shared.ts';
import { fakeTools } from '../helpers/fake-tools.ts';
import { loopbackYaml, startLoopbackHost } from '../helpers/loopback-host.ts';
import { makeOriginalEnv } from '../helpers/make-env.ts';
import { runBttui } from '../helpers/run-bttui.ts';

describe('bttui against a built env, a real tracker and seeder on loopback', { timeout: 300_000 }, () => {
  let env: string;
  let root: string;
  let host: Awaited<ReturnType<typeof startLoopbackHost>>;
  before(async () => {
    const port = await freePort();
    const dashboardPort = await freePort();
    // timeout 0: the cluster case, default_os boots at once with no menu
    env = await makeOriginalEnv({
      boottorrentYaml: loopbackYaml(port, `http:\n    enable: True\n    port: ${dashboardPort}\n`).replace(
        'timeout: 30',
        'timeout: 0',
      ),
    });
    assert.ok((await buildEnv(env)).ok);
    root = path.join(env, 'out', 'torrents');
    host = await startLoopbackHost(env);
  });
  after(async () => {
    await host?.stop();
    await rm(env, { recursive: true, force: true });
  });

  for (const [i, engine] of ['aria2', 'webtorrent'].entries()) {
    it(`autoboots default_os with ${engine}: downloads, verifies, kexec -l with the exact arguments, stops before kexec -e; the host's dashboard saw each stage`, async () => {
      const fake = await fakeTools();
      const mac = `52:54:00:00:0e:0${i}`;
      const r = await runBttui(root, ['--no-exec', '--engine', engine], {
        path: `${fake.bin}:${process.env.PATH}`,
        mac,
      });
      assert.equal(r.exitCode, 0, r.output);
      assert.match(r.output, /Booting Debian 12 \(default_os\)/);
      assert.match(r.output, /Debian 12: all 2 file\(s\) verified/);
      assert.match(r.output, /--no-exec: stopping before kexec -e/);
      const d = path.join(r.data, 'downloads', 'debian', 'debian');
      assert.deepEqual(await fake.calls(), [
        [
          'kexec',
          process.cwd(),
          '',
          '-l',
          `${d}/vmlinuz`,
          `--initrd=${d}/initrd.img`,
          '--append=console=ttyS0 quiet',
        ],
      ]);
      assert.ok(
        (await readFile(`${d}/initrd.img`)).equals(
          await readFile(path.join(env, 'oss', 'debian', 'initrd.img')),
        ),
      );
      await rm(r.data, { recursive: true, force: true });
      // the same events whichever engine: the stages, and every byte accounted to the host (no other peer)
      const row = host.room.snapshot(Date.now()).clients.find((c) => c.mac === mac);
      // boot: it reached kexec -e, where --no-exec stopped it
      assert.deepEqual(
        row?.stages.map((x) => x.stage),
        ['download', 'verify', 'load', 'boot'],
      );
      assert.deepEqual(
        [row.engine, row.os, row.label, row.done === row.total, row.fromHost, row.fromPeers, row.ip],
        [engine, 'debian', 'Debian 12', true, row.total, 0, '127.0.0.1'],
      );
      assert.ok(row.total > 0);
    });
  }

  it('bt.os= picks a qemu OS: the qemu profile comes in the same swarm, is unpacked, then Xorg and qemu run', async () => {
    const fake = await fakeTools();
    const r = await runBttui(root, [], {
      path: `${fake.bin}:${process.env.PATH}`,
      cmdline: 'quiet bt.os=freedos',
    });
    assert.equal(r.exitCode, 0, r.output);
    assert.match(r.output, /and Xorg with qemu \(the qemu profile\) in the same swarm/);
    assert.match(
      r.output,
      /FreeDOS: all 2 file\(s\) verified/,
      'the OS and the profile, each against its sha256',
    );
    // unpacked under --system, with the marker that spares a second VM the download
    assert.equal(
      await readFile(path.join(r.system, 'usr', 'share', 'bt-qemu-profile'), 'utf8'),
      'test fixture\n',
    );
    assert.equal((await readdir(path.join(r.system, 'var', 'lib', 'bttui'))).length, 1);
    const conf = await readFile(path.join(r.system, 'etc', 'X11', 'bttui-xorg.conf'), 'utf8');
    assert.match(conf, /Driver "modesetting"/);
    assert.match(conf, /Option "Device" "\/dev\/input\/event0"/);
    const calls = await fake.calls();
    assert.deepEqual(
      calls.map((c) => c[0]),
      ['Xorg', 'qemu-system-x86_64'],
    );
    assert.deepEqual(calls[0]!.slice(3), [
      '-config',
      path.join(r.system, 'etc', 'X11', 'bttui-xorg.conf'),
      '-logfile',
      '/tmp/Xorg.bttui.log',
      '-displayfd',
      '3',
      '-nolisten',
      'tcp',
    ]);
    assert.deepEqual(calls[1]!.slice(1), [
      path.join(r.data, 'downloads', 'freedos', 'freedos'),
      ':0',
      ...['-accel', 'kvm', '-accel', 'tcg', '-fda', 'odin1440.img'],
    ]);
    // the VM ended: the OS and the profile's archive are freed; what was unpacked stays
    assert.deepEqual(await readdir(path.join(r.data, 'downloads')), []);
    await rm(r.data, { recursive: true, force: true });
    await rm(r.system, { recursive: true, force: true });
  });

  it("a file whose sha256 differs from the host's never boots, and says why", async () => {
    const fake = await fakeTools();
    const tampered = await mkdtemp(path.join(tmpdir(), 'bt-root-'));
    await cp(root, tampered, { recursive: true });
    // the bytes on the wire stay valid for the torrent; only the host's recorded checksum disagrees
    const file = path.join(tampered, 'configs.yaml');
    const configs = yaml.load(await readFile(file, 'utf8')) as Record<string, OsConfig>;
    const fact = configs.debian!.files!.vmlinuz!;
    fact.sha256 = `${fact.sha256.startsWith('0') ? '1' : '0'}${fact.sha256.slice(1)}`;
    await writeFile(file, yaml.dump(configs));
    const r = await runBttui(tampered, ['--no-exec'], { path: `${fake.bin}:${process.env.PATH}` });
    assert.equal(r.exitCode, 1, r.output);
    assert.match(r.output, /Debian 12: "vmlinuz" does not match the host's checksum; it will not boot\./);
    assert.deepEqual(await fake.calls(), [], 'kexec never ran');
    await rm(tampered, { recursive: true, force: true });
    await rm(r.data, { recursive: true, force: true });
  });

  it('under Secure Boot: an unsigned kernel is refused before downloading; one not known unsigned is loaded from copies with kexec -s, and a distrusted one is said', async () => {
    const fake = await fakeTools();
    // the fixture's kernel is no PE image: the build recorded it unsigned
    const r = await runBttui(root, ['--no-exec'], {
      path: `${fake.bin}:${process.env.PATH}`,
      lockdown: true,
    });
    assert.equal(r.exitCode, 1, r.output);
    assert.match(
      r.output,
      /Debian 12 cannot start on this machine: Secure Boot is on, and its kernel \(vmlinuz\) is not signed\./,
    );
    assert.doesNotMatch(r.output, /fetching/);
    assert.deepEqual(await fake.calls(), []);

    // a configs.yaml from a build that did not say: kexec -s tries, the kernel would judge the signature
    const older = await mkdtemp(path.join(tmpdir(), 'bt-root-'));
    await cp(root, older, { recursive: true });
    const file = path.join(older, 'configs.yaml');
    const configs = yaml.load(await readFile(file, 'utf8')) as Record<string, OsConfig>;
    delete configs.debian!.files!.vmlinuz!.signed;
    await writeFile(file, yaml.dump(configs));
    const s = await runBttui(older, ['--no-exec'], {
      path: `${fake.bin}:${process.env.PATH}`,
      lockdown: true,
    });
    assert.equal(s.exitCode, 0, s.output);
    assert.match(
      s.output,
      /Debian 12: Secure Boot is on \(Phase 1 is locked down\): its kernel is loaded with kexec -s/,
    );
    const d = path.join(s.data, 'downloads', 'debian', 'debian');
    assert.deepEqual(await fake.calls(), [
      [
        'kexec',
        process.cwd(),
        '',
        '-s',
        '-l',
        `${d}/vmlinuz.kexec`,
        `--initrd=${d}/initrd.img.kexec`,
        '--append=console=ttyS0 quiet',
      ],
    ]);
    // copies, so no file the seeding engine holds open for writing reaches kexec_file_load (ETXTBSY)
    assert.deepEqual(await fake.filesSeen(), [`${d}/vmlinuz.kexec`, `${d}/initrd.img.kexec`]);
    assert.deepEqual(
      (await readdir(d)).sort(),
      ['initrd.img', 'vmlinuz'],
      'the copies are gone after loading',
    );

    // a signature the running kernel does not trust: said as such, and the RAM is freed
    const distrust = await fakeTools({
      failing: ['kexec'],
      failWith: 'kexec_file_load failed: Key was rejected by service',
    });
    const k = await runBttui(older, ['--no-exec'], {
      path: `${distrust.bin}:${process.env.PATH}`,
      lockdown: true,
    });
    assert.equal(k.exitCode, 1, k.output);
    assert.match(
      k.output,
      /Secure Boot is on, and this machine’s kernel refused the OS’s kernel \(kexec -s checks its signature\)\./,
    );
    assert.match(k.output, /Key was rejected by service/);
    assert.deepEqual(await readdir(path.join(k.data, 'downloads')), []);
    await rm(older, { recursive: true, force: true });
    for (const x of [r, s, k]) await rm(x.data, { recursive: true, force: true });
  });

  it('refuses an OS that does not fit in RAM, before downloading', async () => {
    const fake = await fakeTools();
    const r = await runBttui(root, ['--no-exec'], { path: `${fake.bin}:${process.env.PATH}`, mem: 100_000 });
    assert.equal(r.exitCode, 1, r.output);
    assert.match(r.output, /Debian 12 needs \d+ MiB of RAM .* but only 98 MiB is available\./);
    assert.doesNotMatch(r.output, /fetching/);
    await rm(r.data, { recursive: true, force: true });
  });

  it('a failing kexec load returns with the reason (its escape sequences shown on the serial console, not obeyed) and frees the RAM the download took', async () => {
    const fake = await fakeTools({
      failing: ['kexec'],
      failWith: 'Cannot load kernel: Invalid argument\u001b[2J',
    });
    const r = await runBttui(root, ['--no-exec'], { path: `${fake.bin}:${process.env.PATH}` });
    assert.equal(r.exitCode, 1, r.output);
    assert.match(r.output, /kexec failed \(exit 1\)\./);
    assert.match(r.output, /Cannot load kernel: Invalid argument\\x1b\[2J/);
    assert.ok(!r.output.includes('\u001b'), 'the plain UI printed no raw escape');
    assert.match(r.output, /Debian 12: all 2 file\(s\) verified/, 'the files were there to load');
    assert.deepEqual(
      await readdir(path.join(r.data, 'downloads')),
      [],
      'and are gone once the attempt failed',
    );
    await rm(r.data, { recursive: true, force: true });
  });

  it('a machine with no display for Xorg, and an Xorg that fails, are told with the reason; the missing KVM is said too', async () => {
    const fake = await fakeTools();
    const blind = await runBttui(root, [], {
      path: `${fake.bin}:${process.env.PATH}`,
      cmdline: 'bt.os=freedos',
      noDisplay: true,
    });
    assert.equal(blind.exitCode, 1, blind.output);
    assert.match(
      blind.output,
      /This machine shows no display Xorg could use \(no KMS driver for its graphics, no firmware framebuffer\)\./,
    );
    assert.deepEqual(await fake.calls(), [], 'neither Xorg nor qemu was started');
    const broken = await fakeTools({ failing: ['Xorg'] });
    const r = await runBttui(root, [], {
      path: `${broken.bin}:${process.env.PATH}`,
      cmdline: 'bt.os=freedos',
    });
    assert.equal(r.exitCode, 1, r.output);
    assert.match(
      r.output,
      /No KVM on this machine \(or it is off in the firmware\): qemu emulates the CPU, which is slow\./,
    );
    assert.match(
      r.output,
      /The graphical display \(Xorg\) did not start \(it exited with code 1\)\.\n\s+Hint: what it said killed it is below; the whole log is \/tmp\/Xorg\.bttui\.log\.\n\s+\(\(EE\) no screens found\(EE\)\)/,
    );
    assert.deepEqual(
      (await broken.calls()).map((c) => c[0]),
      ['Xorg'],
      'qemu never ran without a display',
    );
    for (const x of [blind, r]) {
      await rm(x.data, { recursive: true, force: true });
      await rm(x.system, { recursive: true, force: true });
    }
  });

  it('a missing Xorg, and a missing qemu beside a working Xorg, are clear messages, not crashes', async () => {
    const noXorg = await fakeTools({ omit: ['Xorg'], link: ['/usr/bin/aria2c'] });
    const r = await runBttui(root, [], { path: noXorg.bin, cmdline: 'bt.os=alpine' });
    assert.equal(r.exitCode, 1, r.output);
    assert.match(
      r.output,
      /Xorg is not on this Phase-1 system\.\n\s+Hint: Xorg and qemu come in the qemu profile: on the host, `npm run phase1` builds it/,
    );
    assert.deepEqual(await noXorg.calls(), [], 'qemu never ran without a display');
    const noQemu = await fakeTools({ omit: ['qemu-system-x86_64'], link: ['/usr/bin/aria2c'] });
    const q = await runBttui(root, [], { path: noQemu.bin, cmdline: 'bt.os=alpine' });
    assert.equal(q.exitCode, 1, q.output);
    assert.match(
      q.output,
      /qemu-system-x86_64 is not on this Phase-1 system\.\n\s+Hint: Xorg and qemu come in the qemu profile/,
    );
    assert.deepEqual(
      (await noQemu.calls()).map((c) => c[0]),
      ['Xorg'],
      'Xorg came up first',
    );
    for (const x of [r, q]) {
      await rm(x.data, { recursive: true, force: true });
      await rm(x.system, { recursive: true, force: true });
    }
  });
});

describe('by_mac end to end: the MAC in /sys picks the OS', { timeout: 120_000 }, () => {
  it('a machine whose MAC is in by_mac boots that OS at once, not default_os after the countdown', async () => {
    const port = await freePort();
    const env = await makeOriginalEnv({
      boottorrentYaml: loopbackYaml(port).replace(
        'default_os: debian',
        'default_os: debian\n    by_mac:\n        "52-54-00-12-34-01": alpine',
      ),
    });
    const host = await (async () => {
      assert.ok((await buildEnv(env)).ok);
      return startLoopbackHost(env);
    })();
    try {
      const fake = await fakeTools();
      // fakeMachine's NIC has 52:54:00:12:34:01
      const r = await runBttui(path.join(env, 'out', 'torrents'), ['--dry-run'], {
        path: `${fake.bin}:${process.env.PATH}`,
      });
      assert.equal(r.exitCode, 0, r.output);
      assert.match(r.output, /Booting Alpine 3\.8\.0 \(by_mac entry for 52:54:00:12:34:01\)/);
      assert.match(
        r.output,
        /dry run, would run: DISPLAY=:0 qemu-system-x86_64 .*-cdrom alpine-virt-3\.8\.0-x86\.iso/,
      );
      assert.doesNotMatch(r.output, /Debian 12/);
      await rm(r.data, { recursive: true, force: true });
      await rm(r.system, { recursive: true, force: true });
    } finally {
      await host.stop();
      await rm(env, { recursive: true, force: true });
    }
  });
});

describe('bttui refuses what the host should never have sent, in words', { timeout: 60_000 }, () => {
  it('a configs.yaml over the size it reads is blamed on the OS folder, not on the boot loader', async () => {
    const env = await makeOriginalEnv();
    try {
      assert.ok((await buildEnv(env)).ok);
      const root = path.join(env, 'out', 'torrents');
      const cf = path.join(root, 'configs.yaml');
      await writeFile(cf, `${await readFile(cf, 'utf8')}# ${'x'.repeat(1 << 20)}\n`);
      const r = await runBttui(root, [], { path: process.env.PATH ?? '' });
      assert.equal(r.exitCode, 1, r.output);
      assert.match(r.output, /configs\.yaml is \d+ bytes, more than the 1048576 bttui reads/);
      assert.match(r.output, /Hint: an OS folder with thousands of files makes configs\.yaml this large/);
      assert.doesNotMatch(r.output, /pxelinux/);
      await rm(r.data, { recursive: true, force: true });
    } finally {
      await rm(env, { recursive: true, force: true });
    }
  });

  it('an OS whose checksums are missing from configs.yaml is refused before a byte is fetched', async () => {
    const env = await makeOriginalEnv({
      boottorrentYaml: loopbackYaml(1).replace('timeout: 30', 'timeout: 0'),
    });
    try {
      assert.ok((await buildEnv(env)).ok);
      const root = path.join(env, 'out', 'torrents');
      const cf = path.join(root, 'configs.yaml');
      const configs = yaml.load(await readFile(cf, 'utf8')) as Record<string, OsConfig>;
      delete configs.debian!.files;
      await writeFile(cf, yaml.dump(configs));
      const fake = await fakeTools();
      const r = await runBttui(root, ['--no-exec'], { path: `${fake.bin}:${process.env.PATH}` });
      assert.equal(r.exitCode, 1, r.output);
      assert.match(
        r.output,
        /The host's configs\.yaml has no checksums for Debian 12, so it cannot be verified\./,
      );
      assert.doesNotMatch(r.output, /verified$/m);
      assert.deepEqual(await fake.calls(), [], 'nothing was loaded');
      await rm(r.data, { recursive: true, force: true });
    } finally {
      await rm(env, { recursive: true, force: true });
    }
  });
});
