import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cpioNewc, FILE } from '../../client/src/shared.ts';
import { buildEnv } from '../../host/src/build/build-env.ts';
import { concatInitrds } from '../../tools/lab/concat-initrds.ts';
import { QemuVm } from '../../tools/lab/qemu-vm.ts';
import { makeOriginalEnv, ORIGINAL_BOOTTORRENT_YAML } from '../helpers/make-env.ts';

const DIST = path.resolve('dist');

// Needs dist/phase1 and dist/overlay: tools/test-all.sh builds them before this tier.
describe('Phase 1 under QEMU (direct kernel boot, no network)', { timeout: 240_000 }, () => {
  let env: string;
  let work: string;
  let vm: QemuVm;
  before(async () => {
    env = await makeOriginalEnv({
      boottorrentYaml: ORIGINAL_BOOTTORRENT_YAML.replace('timeout: 30', 'timeout: 0'),
    });
    assert.ok((await buildEnv(env)).ok);
    work = await mkdtemp(path.join(tmpdir(), 'bt-vm-'));
    const initrd = path.join(work, 'initrd.img');
    const torrentsGz = path.join(env, 'out', 'dnsmasq', 'ph1', 'torrents.gz');
    await concatInitrds(
      [path.join(DIST, 'phase1', 'rootfs.gz'), path.join(DIST, 'overlay', 'diff.gz'), torrentsGz],
      initrd,
    );
    vm = new QemuVm({
      name: 'phase1',
      args: [
        '-kernel',
        path.join(DIST, 'phase1', 'vmlinuz'),
        '-initrd',
        initrd,
        '-append',
        'console=ttyS0,115200 quiet panic=-1',
        '-nic',
        'none',
      ],
      logFile: path.join(work, 'serial.log'),
    });
  });
  after(async () => {
    await vm?.stop();
    await rm(work, { recursive: true, force: true });
    await rm(env, { recursive: true, force: true });
  });

  it('the three archives are newc cpios that bsdtar reads', () => {
    const list = (f: string) =>
      execFileSync('bsdtar', ['-tf', f], { encoding: 'utf8', maxBuffer: 64 << 20 }).split('\n');
    assert.ok(list(path.join(DIST, 'phase1', 'rootfs.gz')).includes('etc/inittab'));
    const overlay = list(path.join(DIST, 'overlay', 'diff.gz'));
    for (const f of ['etc/inittab', 'sbin/bttui', 'sbin/bttui-session', 'lib64/ld-linux-x86-64.so.2'])
      assert.ok(overlay.includes(f), f);
  });

  it('the kernel runs the base init, which gives the RAM disk nearly all the RAM (tmpfs takes half)', async () => {
    await vm.waitFor(/BT-PHASE1: init on /, 90_000);
    const m = /BT-PHASE1: RAM disk (\d+) MiB of (\d+) MiB/.exec(
      await vm.waitFor(/BT-PHASE1: RAM disk/, 30_000),
    );
    assert.ok(m, `the size is said: ${vm.lines.find((l) => /RAM disk/.test(l.line))?.line}`);
    assert.ok(Number(m[1]) >= 0.85 * Number(m[2]), `RAM disk ${m[1]} MiB of ${m[2]} MiB`);
  });

  it("the overlay's inittab replaced the base's and started bttui on the serial console", async () => {
    await vm.waitFor(/^BT-OVERLAY: bttui starting on \/dev\/ttyS0/, 60_000);
    assert.equal(vm.timeOf(/BT-BASE/), undefined, 'the base inittab did not run');
  });

  it('bttui read /torrents/configs.yaml and autobooted default_os, then says why it cannot download: the machine has no network card, as the real kernel shows it', async () => {
    await vm.waitFor(/^Booting Debian 12 \(default_os\)$/, 60_000);
    await vm.waitFor(
      /This machine has no network interface: no network card was found on its PCI bus, and no USB network adapter came up\./,
      30_000,
    );
    assert.equal(vm.timeOf(/check the cable/), undefined, 'the cable is not blamed');
  });
});

describe('Phase 1 on a card it has no driver for (direct kernel boot)', { timeout: 240_000 }, () => {
  let env: string;
  let work: string;
  let vm: QemuVm;
  before(async () => {
    env = await makeOriginalEnv({
      boottorrentYaml: ORIGINAL_BOOTTORRENT_YAML.replace('timeout: 30', 'timeout: 0'),
    });
    assert.ok((await buildEnv(env)).ok);
    work = await mkdtemp(path.join(tmpdir(), 'bt-vm-'));
    // Phase 1 as built, but its modules.alias emptied by one more archive: an rtl8139 then has what a
    // card Phase 1 does not know has, nothing
    const release = (await readdir(path.join(DIST, 'phase1', 'root', 'lib', 'modules')))[0]!;
    const noAliases = path.join(work, 'no-aliases.cpio');
    await writeFile(
      noAliases,
      cpioNewc([{ path: `lib/modules/${release}/modules.alias`, mode: FILE | 0o644, data: Buffer.alloc(0) }]),
    );
    const initrd = path.join(work, 'initrd.img');
    await concatInitrds(
      [
        path.join(DIST, 'phase1', 'rootfs.gz'),
        noAliases,
        path.join(DIST, 'overlay', 'diff.gz'),
        path.join(env, 'out', 'dnsmasq', 'ph1', 'torrents.gz'),
      ],
      initrd,
    );
    vm = new QemuVm({
      name: 'phase1-nodriver',
      args: [
        '-kernel',
        path.join(DIST, 'phase1', 'vmlinuz'),
        '-initrd',
        initrd,
        '-append',
        'console=ttyS0,115200 quiet panic=-1',
        '-nic',
        'none',
        '-device',
        'rtl8139,romfile=',
      ],
      logFile: path.join(work, 'serial.log'),
    });
  });
  after(async () => {
    await vm?.stop();
    await rm(work, { recursive: true, force: true });
    await rm(env, { recursive: true, force: true });
  });

  it('Phase 1 names the card and its missing driver on the console, and bttui names the module the kernel has for it', async () => {
    const card = await vm.waitFor(/BT-PHASE1: network controller /, 120_000);
    assert.match(card, /BT-PHASE1: network controller 0000:00:0\d\.0 10ec:8139 driver none/);
    assert.match(
      await vm.waitFor(/BT-PHASE1: no network after/, 5_000),
      /no network after \d+ s: no network interface/,
    );
    const said = await vm.waitFor(/This machine has no network interface/, 60_000);
    assert.match(
      said,
      /its network card 10ec:8139 \(PCI 0000:00:0\d\.0\) has no driver in Phase 1; Debian's kernel drives it with 8139cp or 8139too\./,
    );
    assert.match(
      await vm.waitFor(/Hint: /, 10_000),
      /Hint: add 8139cp to Phase 1's drivers \(tools\/phase1\/drivers\.ts on the host\)/,
    );
    assert.equal(vm.timeOf(/check the cable/), undefined, 'the cable is not blamed');
  });
});
