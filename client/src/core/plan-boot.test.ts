// Over 250 lines: every refusal of the boot plan and each method's plan, as a table of cases.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OsConfig } from '../config/os-config.ts';
import type { TorrentInfo } from '../torrent/torrent-file.ts';
import { type PlanInput, planBoot } from './plan-boot.ts';

const HASH = 'a'.repeat(40);
const torrent = (files: [string, number][], over: Partial<TorrentInfo> = {}): TorrentInfo => ({
  infohash: HASH,
  name: 'debian',
  pieceLength: 262144,
  pieceCount: 1,
  files: files.map(([path, length]) => ({ path, length })),
  totalLength: files.reduce((n, [, l]) => n + l, 0),
  announce: [],
  webSeeds: [],
  ...over,
});
const kexecOs: OsConfig = {
  dispname: 'Debian',
  method: 'kexec',
  kernel: 'vmlinuz',
  initrd: 'initrd.img',
  cmdline: 'quiet',
  infohash: HASH,
  files: {
    vmlinuz: { size: 100, sha256: 'b'.repeat(64) },
    'initrd.img': { size: 900, sha256: 'c'.repeat(64) },
  },
};
const input = (over: Partial<PlanInput> = {}): PlanInput => ({
  name: 'debian',
  os: kexecOs,
  torrent: torrent([
    ['vmlinuz', 100],
    ['initrd.img', 900],
  ]),
  torrentFile: '/torrents/debian.torrent',
  dataDir: '/torrents',
  availableBytes: 1 << 30,
  reserveBytes: 0,
  ...over,
});
const fact = (size: number) => ({ size, sha256: 'd'.repeat(64) });
const reason = (p: ReturnType<typeof planBoot>) => (p.ok ? 'ok' : p.error.message);

describe('planning a boot', () => {
  it('under Secure Boot, kexec -s reads copies of kernel and initrd: the RAM check counts them', () => {
    const signed: OsConfig = {
      ...kexecOs,
      files: { ...kexecOs.files, vmlinuz: { ...kexecOs.files!.vmlinuz!, signed: true } },
    };
    // 1,000 bytes of files; kexec keeps a copy in kernel memory, kexec -s one more: 2,000 or 3,000
    const at = (lockdown: boolean) => reason(planBoot(input({ os: signed, availableBytes: 2500, lockdown })));
    assert.equal(at(false), 'ok');
    assert.match(at(true), /needs \d+ MiB of RAM/);
  });

  it('each OS downloads into a folder of its own, whatever its torrent calls itself (a torrent named as the client’s own files lands inside it)', () => {
    for (const name of ['Boottorrent.yaml', 'configs.yaml', 'downloads']) {
      const p = planBoot(
        input({
          torrent: torrent(
            [
              ['vmlinuz', 100],
              ['initrd.img', 900],
            ],
            { name },
          ),
        }),
      );
      assert.ok(p.ok);
      assert.equal(p.plan.fetchDir, '/torrents/downloads/debian');
      assert.equal(p.plan.osDir, `/torrents/downloads/debian/${name}`);
    }
  });

  it('kexec: kernel, initrd and cmdline inside the OS folder; every file with a checksum is verified', () => {
    const p = planBoot(input());
    assert.ok(p.ok);
    assert.deepEqual(p.plan.action, {
      kind: 'kexec',
      kernel: '/torrents/downloads/debian/debian/vmlinuz',
      initrd: '/torrents/downloads/debian/debian/initrd.img',
      cmdline: 'quiet',
    });
    assert.deepEqual(
      p.plan.verify.map((v) => v.path),
      ['/torrents/downloads/debian/debian/vmlinuz', '/torrents/downloads/debian/debian/initrd.img'],
    );
  });

  it('qemu methods: the ISO behind -cdrom, or the args split as the original did, KVM first when they choose none', () => {
    const iso = planBoot(
      input({
        os: { dispname: 'Alpine', method: 'qemu-iso', isofile: 'a.iso', files: { 'a.iso': fact(5) } },
        torrent: torrent([['a.iso', 5]]),
      }),
    );
    assert.ok(iso.ok);
    assert.deepEqual(iso.plan.action, {
      kind: 'qemu',
      cwd: '/torrents/downloads/debian/debian',
      args: ['-accel', 'kvm', '-accel', 'tcg', '-cdrom', 'a.iso'],
    });
    const bin = planBoot(
      input({
        os: {
          dispname: 'DOS',
          method: 'bin-qemu-x86_64',
          args: ' -fda  odin.img -m 64 ',
          files: { 'odin.img': fact(5) },
        },
        torrent: torrent([['odin.img', 5]]),
      }),
    );
    assert.ok(bin.ok);
    assert.deepEqual(bin.plan.action, {
      kind: 'qemu',
      cwd: '/torrents/downloads/debian/debian',
      args: ['-accel', 'kvm', '-accel', 'tcg', '-fda', 'odin.img', '-m', '64'],
    });
    const own = planBoot(
      input({
        os: {
          dispname: 'DOS',
          method: 'bin-qemu-x86_64',
          args: '-enable-kvm -fda odin.img',
          files: { 'odin.img': fact(5) },
        },
        torrent: torrent([['odin.img', 5]]),
      }),
    );
    assert.ok(own.ok);
    assert.deepEqual(own.plan.action.kind === 'qemu' && own.plan.action.args, [
      '-enable-kvm',
      '-fda',
      'odin.img',
    ]);
  });

  const refusals: [string, Partial<PlanInput>, string][] = [
    [
      'another torrent than configured',
      {
        torrent: torrent(
          [
            ['vmlinuz', 100],
            ['initrd.img', 900],
          ],
          { infohash: 'f'.repeat(40) },
        ),
      },
      'The torrent for Debian is not the one the host configured.',
    ],
    [
      'a path escaping the folder',
      {
        torrent: torrent([
          ['vmlinuz', 100],
          ['../../etc/passwd', 900],
        ]),
        os: { ...kexecOs, files: undefined },
      },
      'The torrent for Debian has a file outside its folder ("../../etc/passwd").',
    ],
    [
      'a top folder escaping the download area',
      {
        torrent: torrent([['vmlinuz', 100]], { name: '..' }),
        os: { ...kexecOs, files: undefined, initrd: undefined },
      },
      'The torrent for Debian names a folder outside the download area ("..").',
    ],
    [
      'a name of more than one line',
      {
        torrent: torrent([['vmlinuz', 100]], { name: 'debian\nsecond line' }),
        os: { ...kexecOs, files: undefined, initrd: undefined },
      },
      'The torrent for Debian names a folder outside the download area ("debian\nsecond line").',
    ],
    [
      'a configured file absent from the torrent',
      { torrent: torrent([['vmlinuz', 100]]), os: { ...kexecOs, files: undefined } },
      'Debian needs "initrd.img", but its torrent does not contain it.',
    ],
    [
      'a size that differs from the config',
      {
        torrent: torrent([
          ['vmlinuz', 101],
          ['initrd.img', 900],
        ]),
      },
      'The torrent for Debian does not match its config ("vmlinuz" differs).',
    ],
    [
      'a file the config does not list',
      {
        torrent: torrent([
          ['vmlinuz', 100],
          ['initrd.img', 900],
          ['x', 1],
        ]),
      },
      'The torrent for Debian has a file its config does not list ("x").',
    ],
    [
      'not enough RAM (kexec counts kernel+initrd twice)',
      { availableBytes: 1999, reserveBytes: 0 },
      'Debian needs 1 MiB of RAM (1 MiB of files, 0 MiB kept free), but only 1 MiB is available.',
    ],
  ];
  for (const [what, over, message] of refusals) {
    it(`refuses ${what}`, () => assert.equal(reason(planBoot(input(over))), message));
  }

  it('fits exactly: files + kexec copy + reserve', () => {
    assert.equal(reason(planBoot(input({ availableBytes: 2000 + 500, reserveBytes: 500 }))), 'ok');
    assert.notEqual(reason(planBoot(input({ availableBytes: 2000 + 499, reserveBytes: 500 }))), 'ok');
  });

  it('refuses an OS without checksums (an original-format configs.yaml): nothing unchecked boots', () => {
    for (const files of [undefined, {}]) {
      const p = planBoot(input({ os: { ...kexecOs, files, infohash: undefined } }));
      assert.equal(
        reason(p),
        "The host's configs.yaml has no checksums for Debian, so it cannot be verified.",
      );
    }
  });

  it('refuses an OS of empty files, and one larger than the RAM disk has room for', () => {
    const empty = planBoot(
      input({
        os: { ...kexecOs, initrd: undefined, files: { vmlinuz: fact(0) } },
        torrent: torrent([['vmlinuz', 0]]),
      }),
    );
    assert.equal(reason(empty), 'Debian has only empty files: there is nothing to download or boot.');
    const big = (diskFreeBytes: number) =>
      input({
        os: { ...kexecOs, files: { vmlinuz: fact(8 << 20), 'initrd.img': fact(300 << 20) } },
        torrent: torrent([
          ['vmlinuz', 8 << 20],
          ['initrd.img', 300 << 20],
        ]),
        diskFreeBytes,
      });
    assert.equal(
      reason(planBoot(big(200 << 20))),
      'Debian needs 308 MiB in the RAM disk (/torrents), which has 200 MiB free.',
    );
    assert.equal(reason(planBoot(big(308 << 20))), 'ok');
  });

  it('a qemu OS brings the qemu profile: verified like the OS, counted in RAM unpacked and packed', () => {
    const profileTorrent = torrent([['qemu-profile.cpio.zst', 20 << 20]], {
      name: 'qemu-profile',
      infohash: 'c'.repeat(40),
    });
    const qemuProfile = (installed: boolean, infohash = 'c'.repeat(40)) => ({
      config: {
        torrent: 'qemu-profile.torrent',
        infohash,
        files: { 'qemu-profile.cpio.zst': fact(20 << 20) },
        unpacked_bytes: 80 << 20,
      },
      torrent: profileTorrent,
      torrentFile: '/torrents/qemu-profile.torrent',
      installed,
    });
    const dos = {
      os: {
        dispname: 'DOS',
        method: 'bin-qemu-x86_64' as const,
        args: '-fda d.img',
        files: { 'd.img': fact(5) },
      },
      torrent: torrent([['d.img', 5]]),
    };
    const p = planBoot(input({ ...dos, qemuProfile: qemuProfile(false) }));
    assert.ok(p.ok);
    assert.deepEqual(p.plan.extra, {
      torrentFile: '/torrents/qemu-profile.torrent',
      fetchDir: '/torrents/downloads/.qemu-profile',
      dir: '/torrents/downloads/.qemu-profile/qemu-profile',
      totalBytes: 20 << 20,
    });
    assert.deepEqual(
      p.plan.verify.map((v) => v.path),
      [
        '/torrents/downloads/debian/debian/d.img',
        '/torrents/downloads/.qemu-profile/qemu-profile/qemu-profile.cpio.zst',
      ],
    );
    assert.deepEqual(p.plan.action.kind === 'qemu' && p.plan.action.profile, {
      archive: '/torrents/downloads/.qemu-profile/qemu-profile/qemu-profile.cpio.zst',
      infohash: 'c'.repeat(40),
    });
    assert.equal(
      reason(planBoot(input({ ...dos, qemuProfile: qemuProfile(false), availableBytes: 90 << 20 }))),
      'DOS needs 101 MiB of RAM (1 MiB of files, 100 MiB for Xorg and qemu, 0 MiB kept free), but only 90 MiB is available.',
    );
    const held = planBoot(input({ ...dos, qemuProfile: qemuProfile(true), availableBytes: 90 << 20 }));
    assert.ok(held.ok, 'a client that holds the profile needs room for the OS only');
    assert.equal(held.plan.extra, undefined);
    assert.equal(
      reason(planBoot(input({ ...dos, qemuProfile: qemuProfile(false, 'd'.repeat(40)) }))),
      "The qemu profile's torrent is not the one the host configured.",
    );
  });
});
