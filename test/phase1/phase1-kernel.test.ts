// Over 250 lines: Phase 1 booted directly under QEMU, one VM per describe (no network, a card without its driver, …), each read by its tests in turn.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cpioNewc, FILE, SYMLINK } from '../../client/src/shared.ts';
import { buildEnv, DRIVERS_ALL, phase1Initrds } from '../../host/src/shared.ts';
import { concatInitrds } from '../../tools/lab/concat-initrds.ts';
import { QemuVm } from '../../tools/lab/qemu-vm.ts';
import { dist } from '../../tools/lib/paths.ts';
import { DEFAULT_DRIVERS } from '../../tools/phase1/drivers.ts';
import { buildDriversAll } from '../../tools/phase1/drivers-all.ts';
import { ALL_FIRMWARE_PACKAGES, fetchFirmware } from '../../tools/phase1/firmware.ts';
import { moduleFiles } from '../../tools/phase1/kernel-modules.ts';
import { fetchKernel } from '../../tools/phase1/kernel-package.ts';
import { makeOriginalEnv, ORIGINAL_BOOTTORRENT_YAML } from '../helpers/make-env.ts';

const DIST = path.resolve('dist');
const DEFAULT_APPEND = 'console=ttyS0,115200 quiet panic=-1';

/**
 * Phase 1 as built, booted directly under QEMU for one describe: an env (autoboot at once) built for
 * its torrents.gz, the initrds `initrds` chooses (rootfs.gz, diff.gz and torrents.gz by default; an
 * archive after rootfs.gz changes what the base carries), the machine's `devices`. Stopped and removed
 * after the describe; `vm` is there once `before` ran.
 */
function directPhase1(
  name: string,
  o: {
    devices?: string[];
    append?: string;
    initrds?: (work: string, parts: { rootfs: string; diff: string; torrents: string }) => Promise<string[]>;
  } = {},
) {
  const run = {} as { vm: QemuVm; env: string; work: string };
  before(async () => {
    run.env = await makeOriginalEnv({
      boottorrentYaml: ORIGINAL_BOOTTORRENT_YAML.replace('timeout: 30', 'timeout: 0'),
    });
    assert.ok((await buildEnv(run.env)).ok);
    run.work = await mkdtemp(path.join(tmpdir(), 'bt-vm-'));
    const parts = {
      rootfs: path.join(DIST, 'phase1', 'rootfs.gz'),
      diff: path.join(DIST, 'overlay', 'diff.gz'),
      torrents: path.join(run.env, 'out', 'dnsmasq', 'ph1', 'torrents.gz'),
    };
    const initrd = path.join(run.work, 'initrd.img');
    await concatInitrds(
      (await o.initrds?.(run.work, parts)) ?? [parts.rootfs, parts.diff, parts.torrents],
      initrd,
    );
    run.vm = new QemuVm({
      name,
      args: [
        '-kernel',
        path.join(DIST, 'phase1', 'vmlinuz'),
        '-initrd',
        initrd,
        '-append',
        o.append ?? DEFAULT_APPEND,
        '-nic',
        'none',
        ...(o.devices ?? []),
      ],
      logFile: path.join(run.work, 'serial.log'),
    });
  });
  after(async () => {
    await run.vm?.stop();
    if (run.work) await rm(run.work, { recursive: true, force: true });
    if (run.env) await rm(run.env, { recursive: true, force: true });
  });
  return run;
}

// Needs dist/phase1 and dist/overlay: tools/test-all.sh builds them before this tier.
describe('Phase 1 under QEMU (direct kernel boot, no network)', { timeout: 240_000 }, () => {
  const run = directPhase1('phase1');

  it('the three archives are newc cpios that bsdtar reads', () => {
    const list = (f: string) =>
      execFileSync('bsdtar', ['-tf', f], { encoding: 'utf8', maxBuffer: 64 << 20 }).split('\n');
    assert.ok(list(path.join(DIST, 'phase1', 'rootfs.gz')).includes('etc/inittab'));
    const overlay = list(path.join(DIST, 'overlay', 'diff.gz'));
    for (const f of ['etc/inittab', 'sbin/bttui', 'sbin/bttui-session', 'lib64/ld-linux-x86-64.so.2'])
      assert.ok(overlay.includes(f), f);
  });

  it('the kernel runs the base init, which gives the RAM disk nearly all the RAM (tmpfs takes half)', async () => {
    await run.vm.waitFor(/BT-PHASE1: init on /, 90_000);
    const m = /BT-PHASE1: RAM disk (\d+) MiB of (\d+) MiB/.exec(
      await run.vm.waitFor(/BT-PHASE1: RAM disk/, 30_000),
    );
    assert.ok(m, `the size is said: ${run.vm.lines.find((l) => /RAM disk/.test(l.line))?.line}`);
    assert.ok(Number(m[1]) >= 0.85 * Number(m[2]), `RAM disk ${m[1]} MiB of ${m[2]} MiB`);
  });

  it("the overlay's inittab replaced the base's and started bttui on the serial console", async () => {
    await run.vm.waitFor(/^BT-OVERLAY: bttui starting on \/dev\/ttyS0/, 60_000);
    assert.equal(run.vm.timeOf(/BT-BASE/), undefined, 'the base inittab did not run');
  });

  it("bttui's zeros (its ICU region past the English data) left the tmpfs root as holes before it started", async () => {
    const m = /BT-OVERLAY: (\d+) MiB of zeros punched/.exec(
      await run.vm.waitFor(/BT-OVERLAY: \d+ MiB of zeros/, 30_000),
    );
    assert.ok(Number(m?.[1]) >= 20, `${m?.[1]} MiB punched, the ICU region's zeros are 27.6 MiB`);
  });

  it('bttui read /torrents/configs.yaml and autobooted default_os, then says why it cannot download: the machine has no network card, as the real kernel shows it', async () => {
    await run.vm.waitFor(/^Booting Debian 12 \(default_os\)$/, 60_000);
    await run.vm.waitFor(
      /This machine has no network interface: no network card was found on its PCI bus, and no USB network adapter came up\./,
      30_000,
    );
    assert.equal(run.vm.timeOf(/check the cable/), undefined, 'the cable is not blamed');
  });
});

describe('Phase 1 on a card it has no driver for (direct kernel boot)', { timeout: 240_000 }, () => {
  // Phase 1 as built, but its modules.alias emptied by one more archive: an rtl8139 then has what a
  // card Phase 1 does not know has, nothing
  const run = directPhase1('phase1-nodriver', {
    devices: ['-device', 'rtl8139,romfile='],
    initrds: async (work, p) => {
      const release = (await readdir(path.join(DIST, 'phase1', 'root', 'lib', 'modules')))[0]!;
      const noAliases = path.join(work, 'no-aliases.cpio');
      await writeFile(
        noAliases,
        cpioNewc([
          { path: `lib/modules/${release}/modules.alias`, mode: FILE | 0o644, data: Buffer.alloc(0) },
        ]),
      );
      return [p.rootfs, noAliases, p.diff, p.torrents];
    },
  });

  it('Phase 1 names the card and its missing driver on the console, and bttui names the module the kernel has for it', async () => {
    const card = await run.vm.waitFor(/BT-PHASE1: network controller /, 120_000);
    assert.match(card, /BT-PHASE1: network controller 0000:00:0\d\.0 10ec:8139 driver none/);
    assert.match(
      await run.vm.waitFor(/BT-PHASE1: no network after/, 5_000),
      /no network after \d+ s: no network interface/,
    );
    const said = await run.vm.waitFor(/This machine has no network interface/, 60_000);
    assert.match(
      said,
      /its network card 10ec:8139 \(PCI 0000:00:0\d\.0\) has no driver in Phase 1; Debian's kernel drives it with 8139cp or 8139too\./,
    );
    assert.match(
      await run.vm.waitFor(/Hint: /, 10_000),
      /Hint: on the host, set `phase1\.drivers: all` in the env's Boottorrent\.yaml .* or add 8139cp to tools\/phase1\/drivers\.ts/,
    );
    assert.equal(run.vm.timeOf(/check the cable/), undefined, 'the cable is not blamed');
  });
});

describe(
  'Phase 1 with phase1.drivers: all, on a card only drivers-all.gz has a driver for (direct kernel boot)',
  {
    timeout: 300_000,
  },
  () => {
    // the default set as built, less the rtl8139's drivers (their files emptied, the index cleared), and
    // a drivers-all.gz built as npm run phase1 builds it for a default set without them: the card's
    // driver then comes only from the extra initrd, through its index, as a server NIC's does
    const run = directPhase1('phase1-drivers-all', {
      // QEMU's own user-mode network: its DHCP answers inside this QEMU process and nowhere else
      devices: ['-netdev', 'user,id=n0,restrict=on', '-device', 'rtl8139,netdev=n0,romfile='],
      initrds: async (work, p) => {
        const kernel = fetchKernel(dist('cache'));
        const gone = ['8139cp', '8139too'];
        const base = (await moduleFiles(kernel, DEFAULT_DRIVERS)).filter((m) => !gone.includes(m.name));
        const lib = `lib/modules/${kernel.version}`;
        const crippled = path.join(work, 'no-8139.cpio');
        await writeFile(
          crippled,
          cpioNewc([
            { path: `${lib}/modules.alias`, mode: FILE | 0o644, data: Buffer.alloc(0) },
            ...gone.map((n) => ({
              path: `${lib}/kernel/drivers/net/ethernet/realtek/${n}.ko`,
              mode: FILE | 0o644,
              data: Buffer.alloc(0),
            })),
          ]),
        );
        // gzip: the kernel takes initrds of mixed compression, and it is seconds where zstd -19 is a minute
        const all = await buildDriversAll({
          kernel,
          carried: base.map((m) => m.name),
          carriedFirmware: [],
          firmwareTree: fetchFirmware(dist('cache', 'firmware'), ALL_FIRMWARE_PACKAGES),
          out: work,
          compress: 'gzip',
        });
        assert.ok(all.modules > 150, `drivers-all.gz carries ${all.modules} modules`);
        const files: Record<string, string> = {
          'rootfs.gz': p.rootfs,
          'drivers-all.gz': path.join(work, DRIVERS_ALL),
          'diff.gz': p.diff,
          'torrents.gz': p.torrents,
        };
        // in the order pxelinux and GRUB get them, the crippling archive right after the base it changes
        return phase1Initrds('all').flatMap((n) => (n === 'rootfs.gz' ? [files[n]!, crippled] : [files[n]!]));
      },
    });

    it('the card finds its driver in drivers-all.gz by the index that replaced the default one, and gets a lease', async () => {
      assert.match(
        await run.vm.waitFor(/BT-PHASE1: (network \S+ \S+ \(driver|no network after)/, 150_000),
        /BT-PHASE1: network eth0 10\.0\.2\.15\/24 \(driver 8139(cp|too),/,
      );
    });
  },
);

describe(
  'Phase 1 on a card whose firmware it lacks (direct kernel boot, no DHCP)',
  { timeout: 240_000 },
  () => {
    // QEMU's i82559er is an 82559 D101S, for which e100 asks for e100/d101s_ucode.bin; one more archive
    // points the files of e100/ nowhere, as a Phase 1 without the card's firmware package would be
    const run = directPhase1('phase1-nofirmware', {
      append: `${DEFAULT_APPEND} bt.netwait=8`,
      // a card with no network behind it: no DHCP answers, and the firmware is what the log shows
      devices: ['-device', 'i82559er,romfile='],
      initrds: async (work, p) => {
        const noFirmware = path.join(work, 'no-e100-firmware.cpio');
        await writeFile(
          noFirmware,
          cpioNewc(
            ['d101m_ucode.bin', 'd101s_ucode.bin', 'd102e_ucode.bin'].map((n) => ({
              path: `lib/firmware/e100/${n}`,
              mode: SYMLINK | 0o777,
              link: '/nonexistent',
            })),
          ),
        );
        return [p.rootfs, noFirmware, p.diff, p.torrents];
      },
    });

    it('Phase 1 names the firmware file, its driver and device on the console, and bttui says it with the cause it measured', async () => {
      assert.match(
        await run.vm.waitFor(/BT-PHASE1: (firmware missing|no network after)/, 120_000),
        /BT-PHASE1: firmware missing: e100\/d101s_ucode\.bin for e100 \(0000:00:0\d\.0\)/,
      );
      const said = await run.vm.waitFor(/The kernel could not load firmware/, 90_000);
      assert.match(
        said,
        /eth0 has no address: no DHCP server answered in Phase 1\. The kernel could not load firmware e100\/d101s_ucode\.bin for e100 \(0000:00:0\d\.0\): Phase 1 does not carry it\./,
      );
    });
  },
);
