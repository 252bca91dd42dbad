// Over 250 lines: the whole flow's cases (menu, autoboot, retries, failures, qemu) against one set of fakes, side by side.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { dryRunBooter, noExecBooter } from '../boot/booter.ts';
import { checkBoottorrentConfig } from '../config/boottorrent-config.ts';
import type { ClientConfig } from '../config/client-config.ts';
import { btError } from '../core/bt-error.ts';
import { LIMITS } from '../core/limits.ts';
import { encode } from '../torrent/bencode.ts';
import { parseTorrent } from '../torrent/torrent-file.ts';
import { fakeBooter, fakeClock, fakeEngine, fakeEvents, fakeUi } from './fakes.test-helpers.ts';
import { type FlowDeps, runFlow } from './run-flow.ts';

const FACT = { size: 1000, sha256: 'e'.repeat(64) };
let root: string;
let PROFILE_HASH = '';
before(async () => {
  root = await tempDir('bt-flow-');
  const torrent = (name: string, files: [string, number][]) =>
    encode({
      info: {
        name,
        'piece length': 262144,
        pieces: Buffer.alloc(20),
        files: files.map(([p, length]) => ({ length, path: [p] })),
      },
    });
  await writeFile(path.join(root, 'debian.torrent'), torrent('debian', [['vmlinuz', 1000]]));
  await writeFile(path.join(root, 'dos.torrent'), torrent('dos', [['d.img', 1000]]));
  const profile = torrent('qemu-profile', [['p.cpio.zst', 1000]]);
  await writeFile(path.join(root, 'qemu-profile.torrent'), profile);
  const parsed = parseTorrent(profile);
  assert.ok(parsed.ok);
  PROFILE_HASH = parsed.torrent.infohash;
});

function deps(o: {
  timeout: number;
  seed_time?: number;
  engine: ReturnType<typeof fakeEngine>;
  booter: ReturnType<typeof fakeBooter>;
  ui: ReturnType<typeof fakeUi>;
  cmdline?: string;
  lockdown?: boolean;
  /** whether the host found debian's kernel signed (absent: an older host said nothing) */
  signed?: boolean;
  timeline?: string[];
  events?: ReturnType<typeof fakeEvents>;
}): FlowDeps {
  const c = checkBoottorrentConfig(
    {
      boottorrent: {
        host_ip: '10.0.0.1',
        timeout: o.timeout,
        default_os: 'debian',
        seed_time: o.seed_time ?? 3,
        stall_timeout: 20,
      },
      dnsmasq: { enable_dhcp: false },
    },
    'B.yaml',
  );
  assert.ok(c.ok);
  const config: ClientConfig = {
    settings: c.value,
    oss: [
      {
        name: 'debian',
        os: {
          dispname: 'Debian',
          method: 'kexec',
          kernel: 'vmlinuz',
          cmdline: 'quiet',
          files: { vmlinuz: o.signed === undefined ? FACT : { ...FACT, signed: o.signed } },
        },
      },
      {
        name: 'dos',
        os: { dispname: 'DOS', method: 'bin-qemu-x86_64', args: '-fda d.img', files: { 'd.img': FACT } },
      },
    ],
    profiles: {},
  };
  return {
    config,
    rootDir: root,
    dataDir: '/ram',
    engine: o.engine.engine,
    booter: o.booter.booter,
    ui: o.ui.ui,
    events: (o.events ?? fakeEvents()).events,
    clock: fakeClock(o.timeline),
    memAvailable: async () => 1 << 30,
    diskFree: async () => 1 << 30,
    lockdown: async () => o.lockdown ?? false,
    verify: async () => undefined,
    checkNetwork: async () => undefined,
    once: false,
    cmdline: new Map(o.cmdline ? [o.cmdline.split('=') as [string, string]] : []),
    macs: [],
  };
}

describe('the flow: choose, load, exec', () => {
  it('timeout 0: downloads, loads, seeds seed_time seconds, then execs (which must never return)', async () => {
    const timeline: string[] = [];
    const engine = fakeEngine({ steps: [0, 500, 1000], total: 1000, timeline });
    const booter = fakeBooter({ timeline });
    const ui = fakeUi([{ kind: 'shell' }]);
    const end = await runFlow(deps({ timeout: 0, engine, booter, ui, timeline }));
    assert.deepEqual(booter.calls, ['load /ram/downloads/debian/debian/vmlinuz - quiet', 'exec']);
    // seed_time (3 s) passes on the clock after the load, and seeding stops before exec, not after
    assert.deepEqual(
      timeline.slice(timeline.indexOf('load /ram/downloads/debian/debian/vmlinuz - quiet') + 1),
      ['sleep 1000', 'sleep 1000', 'sleep 1000', 'stop', 'exec', 'stop'],
    );
    assert.deepEqual(
      ui.progress.filter((p) => p.stage === 'seed').map((p) => p.seedLeft),
      [3, 2, 1],
    );
    // exec came back: that is a failure, shown on the menu, and the person chose the shell
    assert.equal(ui.errors[0]!.message, 'kexec -e returned');
    assert.equal(ui.menus[0]!.notice?.message, 'kexec -e returned');
    assert.deepEqual(end, { kind: 'shell' });
  });

  it('under Secure Boot (lockdown) a signed kernel is loaded with kexec -s; an unsigned one is refused before any download', async () => {
    const engine = fakeEngine({ steps: [1000], total: 1000 });
    const booter = fakeBooter();
    await runFlow(
      deps({ timeout: 0, engine, booter, ui: fakeUi([{ kind: 'shell' }]), lockdown: true, signed: true }),
    );
    assert.deepEqual(booter.calls, ['load -s /ram/downloads/debian/debian/vmlinuz - quiet', 'exec']);

    const idle = fakeEngine({ steps: [1000], total: 1000 });
    const untouched = fakeBooter();
    const ui = fakeUi([{ kind: 'shell' }]);
    await runFlow(deps({ timeout: 0, engine: idle, booter: untouched, ui, lockdown: true, signed: false }));
    assert.equal(
      ui.errors[0]!.message,
      'Debian cannot start on this machine: Secure Boot is on, and its kernel (vmlinuz) is not signed.',
    );
    assert.match(ui.errors[0]!.hint, /switch Secure Boot off/);
    assert.deepEqual(idle.started, [], 'nothing was downloaded');
    assert.deepEqual(untouched.calls, []);

    // without lockdown the same unsigned kernel boots as always, by kexec_load
    const free = fakeBooter();
    await runFlow(
      deps({
        timeout: 0,
        engine: fakeEngine({ steps: [1000], total: 1000 }),
        booter: free,
        ui: fakeUi([{ kind: 'shell' }]),
        signed: false,
      }),
    );
    assert.deepEqual(free.calls, ['load /ram/downloads/debian/debian/vmlinuz - quiet', 'exec']);
  });

  it('a failed load returns to the menu with the reason, and autoboot retries no sooner than 10 s', async () => {
    const engine = fakeEngine({ steps: [1000], total: 1000 });
    const booter = fakeBooter({ loadError: btError('kexec failed (exit 1).', 'x.') });
    // the first menu's countdown runs out (the fake answers as it would), the second gets the shell
    const ui = fakeUi([{ kind: 'boot', name: 'debian' }, { kind: 'shell' }]);
    await runFlow(deps({ timeout: 3, engine, booter, ui }));
    assert.equal(ui.menus.length, 2);
    assert.deepEqual(ui.menus[0]!.countdown, { seconds: 3, name: 'debian' });

    assert.equal(ui.menus[1]!.notice?.message, 'kexec failed (exit 1).');
    assert.deepEqual(ui.menus[1]!.countdown, { seconds: 10, name: 'debian' });
  });

  it('a stalled download is reported after stall_timeout, not waited on', async () => {
    const engine = fakeEngine({ steps: [0, 100, 100], total: 1000, completes: false });
    const ui = fakeUi([{ kind: 'boot', name: 'debian' }, { kind: 'shell' }]);
    const d = deps({ timeout: -1, engine, booter: fakeBooter(), ui });
    // when the stall is said: 20 s (stall_timeout) after the last new byte, which came at the second tick
    let saidAt: number | undefined;
    const error = d.ui.error;
    d.ui.error = (e) => {
      saidAt ??= d.clock.now();
      error(e);
    };
    await runFlow(d);
    assert.equal(
      ui.errors[0]!.message,
      'No verified data arrived for 20 s (100 B of 1000 B, 2 peers). The 2 machine(s) this client reaches have what is missing but sent nothing.',
    );
    const lastByte = LIMITS.progressIntervalMs;
    assert.ok(
      saidAt! >= lastByte + 20_000 && saidAt! <= lastByte + 20_000 + LIMITS.progressIntervalMs,
      `said at ${saidAt} ms of fake time`,
    );
  });

  it(
    'data that arrives but fails its checks is no progress: a stall, blamed on a corrupt peer',
    { timeout: 10_000 },
    async () => {
      // received bytes rise and fall for ever as bad pieces are dropped; the count never passes 100
      const engine = fakeEngine({
        steps: [60, 100, 80, 100, 40],
        total: 1000,
        completes: false,
        cycle: true,
        failedPerTick: 1,
      });
      const ui = fakeUi([{ kind: 'boot', name: 'debian' }, { kind: 'shell' }]);
      await runFlow(deps({ timeout: -1, engine, booter: fakeBooter(), ui }));
      assert.match(
        ui.errors[0]!.message,
        /^No verified data arrived for 20 s .* piece\(s\) arrived meanwhile and failed their checks\.$/,
      );
      assert.match(ui.errors[0]!.hint, /a peer sends corrupt pieces/);
    },
  );

  it('a stall with pieces no peer has and the host not among the peers blames the host, and what the network check found is said', async () => {
    const swarms = [{ torrent: 'debian', pieces: 4, have: '8', peers: ['10.0.0.7'], nowhere: [2, 3] }];
    const ui = fakeUi([{ kind: 'boot', name: 'debian' }, { kind: 'shell' }]);
    await runFlow(
      deps({
        timeout: -1,
        engine: fakeEngine({ steps: [0, 100, 100], total: 1000, completes: false, swarms }),
        booter: fakeBooter(),
        ui,
      }),
    );
    assert.match(
      ui.errors[0]!.message,
      /2 of the 4 pieces of "debian" \(2–3\) are on none of the 1 machine\(s\) this client reaches, and the host’s seeder is not among them/,
    );
    // no peer at all: the network check, made when the stall is said, names the cause
    const lost = fakeUi([{ kind: 'boot', name: 'debian' }, { kind: 'shell' }]);
    const d = deps({
      timeout: -1,
      engine: fakeEngine({
        steps: [0, 100, 100],
        total: 1000,
        completes: false,
        peers: 0,
        swarms: [{ ...swarms[0]!, peers: [] }],
      }),
      booter: fakeBooter(),
      ui: lost,
    });
    let checks = 0;
    d.checkNetwork = async () =>
      checks++ === 0
        ? undefined
        : {
            message: 'No network link on eth0: no cable, or the switch port is off.',
            hint: 'check the cable',
          };
    await runFlow(d);
    assert.equal(lost.errors[0]!.message, 'No network link on eth0: no cable, or the switch port is off.');
  });

  it('a bt.os= typo is said even when timeout 0 boots the default at once, with no menu', async () => {
    const engine = fakeEngine({ steps: [1000], total: 1000 });
    const ui = fakeUi([{ kind: 'shell' }]);
    await runFlow(deps({ timeout: 0, engine, booter: fakeBooter(), ui, cmdline: 'bt.os=debain' }));
    assert.equal(ui.errors[0]!.message, 'bt.os=debain on the kernel command line is not an OS on this menu.');
    assert.equal(
      ui.errors[0]!.hint,
      "Debian boots instead (default_os); correct bt.os= in the boot loader's APPEND line.",
    );
    assert.equal(ui.info[0], 'Booting Debian (default_os)');
  });

  it('a torrent larger than the limit is refused before it is parsed', async () => {
    const big = await mkdtemp(path.join(tmpdir(), 'bt-root-'));
    // a torrent that would parse, padded past the limit with a key a parser reads last
    await writeFile(
      path.join(big, 'debian.torrent'),
      encode({
        info: { name: 'debian', 'piece length': 262144, pieces: Buffer.alloc(20), length: 1000 },
        zz: Buffer.alloc(LIMITS.maxTorrentBytes),
      }),
    );
    const ui = fakeUi([{ kind: 'shell' }]);
    await runFlow({
      ...deps({ timeout: -1, engine: fakeEngine({ steps: [1000], total: 1000 }), booter: fakeBooter(), ui }),
      rootDir: big,
      once: true,
      cmdline: new Map([['bt.os', 'debian']]),
    });
    assert.equal(ui.errors[0]?.message, 'The torrent for Debian is too large to be ours.');
    await rm(big, { recursive: true, force: true });
  });

  it('a failed attempt frees what it downloaded, its own folder and nothing beside it: RAM is left as it was found', async () => {
    const dataDir = await tempDir('bt-ram-');
    // Phase 1's data dir is /torrents: the client's own files live beside the downloads
    await writeFile(path.join(dataDir, 'configs.yaml'), 'kept');
    await mkdir(path.join(dataDir, 'downloads', 'debian', 'debian'), { recursive: true });
    await writeFile(path.join(dataDir, 'downloads', 'debian', 'debian', 'vmlinuz'), Buffer.alloc(1000));
    const engine = fakeEngine({ steps: [1000], total: 1000 });
    const booter = fakeBooter({ loadError: btError('kexec failed (exit 1).', 'x.') });
    const ui = fakeUi([{ kind: 'shell' }]);
    await runFlow({
      ...deps({ timeout: -1, engine, booter, ui }),
      dataDir,
      once: true,
      cmdline: new Map([['bt.os', 'debian']]),
    });
    assert.equal(ui.errors[0]!.message, 'kexec failed (exit 1).');
    assert.deepEqual((await readdir(dataDir)).sort(), ['configs.yaml', 'downloads']);
    assert.deepEqual(await readdir(path.join(dataDir, 'downloads')), []);
  });

  it('a qemu OS runs as a VM while seeding, then the menu comes back without autoboot', async () => {
    const timeline: string[] = [];
    const engine = fakeEngine({ steps: [1000], total: 1000, timeline });
    const booter = fakeBooter({ timeline });
    const ui = fakeUi([{ kind: 'shell' }]);
    await runFlow(deps({ timeout: 30, engine, booter, ui, cmdline: 'bt.os=dos' }));
    assert.deepEqual(booter.calls, ['vm /ram/downloads/dos/dos -accel kvm -accel tcg -fda d.img']);
    assert.deepEqual(
      timeline.filter((t) => !t.startsWith('sleep')),
      ['vm /ram/downloads/dos/dos -accel kvm -accel tcg -fda d.img', 'stop'],
      'the client seeds while the VM runs, and stops after',
    );
    assert.equal(ui.menus.length, 1);
    assert.equal(ui.menus[0]!.countdown, undefined);
    assert.equal(ui.menus[0]!.notice, undefined);
  });

  it('a qemu OS brings the qemu profile in the same session, unless an earlier VM left it unpacked', async () => {
    for (const installed of [false, true]) {
      const engine = fakeEngine({ steps: [1000], total: 1000 });
      const booter = fakeBooter({ profileInstalled: installed });
      const ui = fakeUi([{ kind: 'shell' }]);
      const d = deps({ timeout: 30, engine, booter, ui, cmdline: 'bt.os=dos' });
      d.config.profiles = {
        qemu: {
          torrent: 'qemu-profile.torrent',
          infohash: PROFILE_HASH,
          files: { 'p.cpio.zst': FACT },
          unpacked_bytes: 5000,
        },
      };
      await runFlow(d);
      assert.deepEqual(
        engine.started.map((s) => path.basename(s.torrentFile)),
        installed ? ['dos.torrent'] : ['dos.torrent', 'qemu-profile.torrent'],
      );
      assert.deepEqual(booter.calls, [
        `vm /ram/downloads/dos/dos -accel kvm -accel tcg -fda d.img${installed ? '' : ' (unpack /ram/downloads/.qemu-profile/qemu-profile/p.cpio.zst)'}`,
      ]);
    }
  });

  it('--dry-run downloads and verifies, then prints the command lines and loads nothing', async () => {
    const engine = fakeEngine({ steps: [1000], total: 1000 });
    const booter = fakeBooter();
    const ui = fakeUi([]);
    const end = await runFlow({
      ...deps({ timeout: 0, engine, booter, ui }),
      booter: dryRunBooter(booter.booter, ui.ui.info),
    });
    assert.deepEqual(end, { kind: 'exit', code: 0 });
    assert.deepEqual(booter.calls, []);
    assert.deepEqual(
      ui.info.filter((l) => l.startsWith('dry run')),
      ['dry run, would run: kexec -l /ram/downloads/debian/debian/vmlinuz', 'dry run, would run: kexec -e'],
    );
  });
});

describe('--no-exec', () => {
  it('loads and seeds for real, then stops short of exec and leaves the files in RAM', async () => {
    const dataDir = await tempDir('bt-ram-');
    await mkdir(path.join(dataDir, 'debian'));
    await writeFile(path.join(dataDir, 'debian', 'vmlinuz'), Buffer.alloc(1000));
    const booter = fakeBooter();
    const ui = fakeUi([]);
    const end = await runFlow({
      ...deps({ timeout: 0, engine: fakeEngine({ steps: [1000], total: 1000 }), booter, ui }),
      booter: noExecBooter(booter.booter, ui.ui.info),
      dataDir,
    });
    assert.deepEqual(end, { kind: 'exit', code: 0 });
    assert.deepEqual(booter.calls, [
      'load /ram/downloads/debian/debian/vmlinuz - quiet'.replace('/ram', dataDir),
    ]);
    assert.equal(ui.info.at(-1), '--no-exec: stopping before kexec -e');
    assert.deepEqual(
      await readdir(path.join(dataDir, 'debian')),
      ['vmlinuz'],
      'the files stay to be looked at',
    );
  });
});

describe('the events the host is sent', () => {
  it('one per stage, samples between, and "boot" flushed to the host before kexec -e', async () => {
    const timeline: string[] = [];
    const events = fakeEvents(timeline);
    const engine = fakeEngine({ steps: [0, 500, 1000], total: 1000, timeline });
    await runFlow(
      deps({
        timeout: 0,
        engine,
        booter: fakeBooter({ timeline }),
        ui: fakeUi([{ kind: 'shell' }]),
        events,
        timeline,
      }),
    );
    assert.deepEqual(events.stages(), ['download', 'verify', 'load', 'seed', 'boot', 'failed', 'menu']);
    const boot = timeline.indexOf('event boot');
    assert.deepEqual(timeline.slice(boot, boot + 3), ['event boot', 'flush', 'exec']);
    const samples = events.sent.filter((e) => e.kind === 'progress');
    assert.deepEqual(
      samples.filter((e) => e.stage === 'download').map((e) => e.done),
      [0, 500, 1000, 1000],
      'a sample per tick of the download, with its figures (the last tick sees it complete)',
    );
    assert.deepEqual(
      samples.filter((e) => e.stage === 'seed').map((e) => e.seedLeft),
      [3, 2, 1, 0],
      'a sample a second, and the last figures as seeding ends',
    );
    assert.ok(
      events.sent.every((e, i) => e.seq === i),
      'numbered in the order sent',
    );
    const b = events.sent.find((e) => e.stage === 'boot')!;
    assert.deepEqual([b.os, b.label, b.done, b.total, b.uploaded], ['debian', 'Debian', 1000, 1000, 7]);
    // exec came back: the host learns why, in the words the person reads
    const failed = events.sent.find((e) => e.stage === 'failed')!;
    assert.deepEqual(failed.error, { message: 'kexec -e returned', hint: 'fake' });
  });

  it('a failure before any download is sent with the OS it was about', async () => {
    const events = fakeEvents();
    const ui = fakeUi([{ kind: 'shell' }]);
    await runFlow({
      ...deps({
        timeout: -1,
        engine: fakeEngine({ steps: [1000], total: 1000 }),
        booter: fakeBooter(),
        ui,
        events,
      }),
      memAvailable: async () => 1000,
      once: true,
      cmdline: new Map([['bt.os', 'debian']]),
    });
    assert.deepEqual(events.stages(), ['failed']);
    assert.equal(events.sent[0]!.os, 'debian');
    assert.match(events.sent[0]!.error!.message, /^Debian needs \d+ MiB of RAM/);
  });

  it('a qemu OS: the vm stage, then the menu when it ends', async () => {
    const events = fakeEvents();
    await runFlow(
      deps({
        timeout: 30,
        engine: fakeEngine({ steps: [1000], total: 1000 }),
        booter: fakeBooter(),
        ui: fakeUi([{ kind: 'shell' }]),
        cmdline: 'bt.os=dos',
        events,
      }),
    );
    assert.deepEqual(events.stages(), ['download', 'verify', 'vm', 'menu']);
  });
});
