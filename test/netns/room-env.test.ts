import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fakeTools } from '../helpers/fake-tools.ts';
import { makeRoomEnv, ORIGINAL_BOOTTORRENT_YAML } from '../helpers/make-env.ts';
import { withNetnsHost } from '../helpers/netns-host.ts';
import { runBttui } from '../helpers/run-bttui.ts';

describe('an env the size of a room, served by boottorrent start', { timeout: 240_000 }, () => {
  for (const seeder of ['aria2', 'webtorrent'])
    it(`8 OSes and the qemu profile (9 torrents), ${seeder} seeder: a client boots the last OS (an ISO, in qemu, with the profile) and the 6th (kexec)`, async () => {
      await withNetnsHost(
        `room-${seeder.slice(0, 2)}`,
        {
          args: ['--seeder', seeder],
          makeEnv: async () =>
            (
              await makeRoomEnv({
                kexec: 6,
                // a torrent that is never seeded fails in 15 s, not the default minute
                boottorrentYaml: ORIGINAL_BOOTTORRENT_YAML.replaceAll('10.77.0', '10.79.0').replace(
                  'seed_time: 30',
                  'seed_time: 0\n    stall_timeout: 15',
                ),
              })
            ).dir,
        },
        async (h) => {
          const root = path.join(h.env, 'out', 'torrents');
          const fake = await fakeTools();
          const vm = await runBttui(root, [], {
            path: `${fake.bin}:${process.env.PATH}`,
            cmdline: 'quiet bt.os=cdrom',
            netns: h.client,
          });
          assert.equal(vm.exitCode, 0, vm.output);
          assert.match(vm.output, /A CD: all 2 file\(s\) verified/, 'the ISO and the qemu profile');
          const calls = await fake.calls();
          assert.deepEqual(
            calls.map((c) => c[0]),
            ['Xorg', 'qemu-system-x86_64'],
          );
          assert.ok(calls[1]!.includes('cd.iso'), calls[1]!.join(' '));

          const kexec = await fakeTools();
          const k = await runBttui(root, ['--no-exec'], {
            path: `${kexec.bin}:${process.env.PATH}`,
            cmdline: 'quiet bt.os=linux6',
            netns: h.client,
          });
          assert.equal(k.exitCode, 0, k.output);
          assert.match(k.output, /Linux 6: all 2 file\(s\) verified/);
          assert.deepEqual(
            (await kexec.calls()).map((c) => c.slice(0, 5)),
            [
              [
                'kexec',
                process.cwd(),
                '',
                '-l',
                path.join(k.data, 'downloads', 'linux6', 'linux6', 'vmlinuz'),
              ],
            ],
          );
          for (const d of [vm.data, vm.system, k.data, k.system, fake.dir, kexec.dir])
            await rm(d, { recursive: true, force: true });
        },
      );
    });
});
