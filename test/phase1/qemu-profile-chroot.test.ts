import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa, type ResultPromise } from 'execa';
import { installProfile } from '../../client/src/boot/install-profile.ts';
import { bootSectorFloppy } from '../../tools/lab/boot-sector.ts';
import { phase1Root } from '../helpers/phase1-root.ts';

const DIST = path.resolve('dist');
const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });

const DUMMY_XORG = `Section "ServerFlags"
  Option "AutoAddDevices" "false"
EndSection
Section "Device"
  Identifier "card0"
  Driver "dummy"
  VideoRam 65536
EndSection
Section "Screen"
  Identifier "screen0"
  Device "card0"
  DefaultDepth 24
  SubSection "Display"
    Depth 24
    Modes "1024x768"
  EndSubSection
EndSection
`;

// Needs dist/phase1, dist/overlay and dist/qemu-profile as `npm run phase1` and `npm run overlay` left them.
describe(
  'the qemu profile for real: Xorg and qemu from it, in a chroot of Phase 1',
  { timeout: 120_000 },
  () => {
    let root: string;
    let xorg: ResultPromise | undefined;
    const mounted: string[] = [];
    before(async () => {
      root = await phase1Root('bt-profile-', DIST);
      // the client's own unpacker, as runVm uses it
      const bad = await installProfile(
        path.join(DIST, 'qemu-profile', 'qemu-profile.cpio.zst'),
        root,
        'f'.repeat(40),
      );
      assert.equal(bad, undefined, JSON.stringify(bad));
      // a /dev of its own, without tty0: Xorg then takes no virtual terminal of this machine
      sh('mount', ['-t', 'tmpfs', '-o', 'mode=755', 'tmpfs', path.join(root, 'dev')]);
      mounted.push(path.join(root, 'dev'));
      for (const [n, minor] of [
        ['null', 3],
        ['zero', 5],
        ['random', 8],
        ['urandom', 9],
      ] as const)
        sh('mknod', ['-m', '666', path.join(root, 'dev', n), 'c', '1', String(minor)]);
      sh('mount', ['-t', 'proc', 'proc', path.join(root, 'proc')]);
      mounted.push(path.join(root, 'proc'));
      await mkdir(path.join(root, 'etc', 'X11'), { recursive: true });
      await writeFile(path.join(root, 'etc', 'X11', 'dummy.conf'), DUMMY_XORG);
      await writeFile(
        path.join(root, 'tmp', 'boot.img'),
        bootSectorFloppy('BT-GUEST-UP from the nested qemu'),
      );
    });
    after(async () => {
      if (xorg?.pid) {
        xorg.kill('SIGTERM');
        await xorg;
      }
      for (const m of mounted.reverse()) sh('umount', [m]);
      await rm(root, { recursive: true, force: true });
    });

    it('real Xorg comes up on its dummy display from the profile alone', async () => {
      xorg = execa(
        'chroot',
        [
          root,
          '/usr/bin/Xorg',
          ':7',
          '-config',
          '/etc/X11/dummy.conf',
          '-nolisten',
          'tcp',
          '-noreset',
        ].concat(['-logfile', '/tmp/Xorg.7.log', '-displayfd', '3']),
        { reject: false, stdio: ['ignore', 'ignore', 'pipe', 'pipe'], buffer: false },
      );
      const said = await new Promise<string>((resolve, reject) => {
        let text = '';
        (xorg!.stdio[3] as NodeJS.ReadableStream).on('data', (b: Buffer) => {
          text += b.toString();
          if (text.includes('\n')) resolve(text.trim());
        });
        void xorg!.then(async () =>
          reject(new Error(await readFile(path.join(root, 'tmp', 'Xorg.7.log'), 'utf8'))),
        );
        setTimeout(() => reject(new Error('Xorg did not say its display within 30 s')), 30_000).unref();
      });
      assert.equal(said, '7');
    });

    it('real qemu-system-x86_64 shows its SDL window there and runs a guest to the end', async () => {
      const r = await execa(
        'chroot',
        [root, '/usr/bin/env', 'DISPLAY=:7', 'HOME=/tmp', '/usr/bin/qemu-system-x86_64'].concat(
          ['-accel', 'tcg', '-display', 'sdl', '-serial', 'file:/tmp/serial.txt', '-nic', 'none'],
          ['-drive', 'file=/tmp/boot.img,format=raw,if=floppy'],
        ),
        { reject: false, all: true, timeout: 60_000, stdin: 'ignore' },
      );
      assert.equal(r.exitCode, 0, r.all);
      assert.match(
        await readFile(path.join(root, 'tmp', 'serial.txt'), 'utf8'),
        /BT-GUEST-UP from the nested qemu/,
      );
    });
  },
);
