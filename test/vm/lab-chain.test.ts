// Over 250 lines: the whole chain over PXE in the lab, one group of clients per test, sharing the lab's setup.
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import type { OsConfig } from '../../client/src/config/os-config.ts';
import { buildEnv, packTorrents } from '../../host/src/shared.ts';
import type { ClientReport } from '../../tools/lab/run-lab.ts';
import { lab } from '../helpers/vm-lab.ts';

describe('the whole chain in QEMU: PXE, Phase 1, BitTorrent, kexec', { timeout: 1_500_000 }, () => {
  it('one client: power-on → DHCP → pxelinux → Phase 1 → bttui autoboot → download → sha256 → kexec → target, each stage in budget', async () => {
    const { report } = await lab('one', { clients: 1, padMib: 24, budgetS: 240, until: /TARGET-OS-UP/ });
    const c = report.clients[0]!;
    assert.equal(c.error, undefined, c.lines.slice(-20).join('\n'));
    assert.ok(
      c.lines.some((l) => /^Filename: pxelinux\.0/.test(l)),
      'iPXE got the boot file from our DHCP',
    );
    assert.ok(
      c.lines.some((l) => /all 2 file\(s\) verified/.test(l)),
      'sha256 checked',
    );
    assert.match(
      c.lines.find((l) => /TARGET-OS-UP/.test(l))!,
      /TARGET-OS-UP demo-linux \(kexec'd by BootTorrent; 25165824 bytes of padding\)/,
    );
    // budgets are ~3x what a quiet 2-core machine takes, so a busy CI run still passes
    assert.ok(c.phase1! < 60, `Phase 1 init at ${c.phase1} s`);
    assert.ok(c.menu! - c.phase1! < 45, `bttui chose what to boot ${c.menu! - c.phase1!} s after init`);
    assert.ok(
      c.downloadStart! - c.menu! < 30,
      `bttui started downloading ${c.downloadStart! - c.menu!} s after its autoboot line`,
    );
    assert.ok(c.downloaded! - c.downloadStart! < 60, `download took ${c.downloaded! - c.downloadStart!} s`);
    assert.ok(
      c.target! - c.downloaded! < 60,
      `verify + seed 5 s + kexec took ${c.target! - c.downloaded!} s`,
    );
  });

  it('an OS that runs in qemu: the qemu profile comes over BitTorrent, real Xorg and a nested qemu run the guest, then the menu', async () => {
    const { report } = await lab('qemu', {
      clients: 1,
      padMib: 0,
      defaultOs: 'bootsector',
      memoryMb: 1536,
      budgetS: 480,
      // the guest powers off, qemu exits, and bttui tells the host it is at its menu again
      until: { event: (row) => row.stage === 'menu' && row.stages.some((s) => s.stage === 'vm') },
    });
    const c = report.clients[0]!;
    assert.equal(c.error, undefined, c.lines.slice(-30).join('\n'));
    const at = (re: RegExp) => c.lines.findIndex((l) => re.test(l));
    assert.ok(
      at(/and Xorg with qemu \(the qemu profile\) in the same swarm/) >= 0,
      'the profile was fetched',
    );
    assert.ok(at(/Boot sector .*: all 2 file\(s\) verified/) >= 0, 'the OS and the profile were checked');
    // the marker's token only: the guest writes it byte by byte to the same serial port bttui's progress
    // lines go to, and one fresh-clone run saw the rest of the line split by such a line
    const guest = at(/QEMU-GUEST-UP/);
    assert.ok(guest >= 0, "the nested guest's marker reached the client's console");
    assert.ok(guest < at(/^== BootTorrent: choose/), 'the menu came back after the guest ended');
    assert.equal(c.booted, 'qemu');
    const row = report.status?.clients[0];
    assert.deepEqual(
      row?.stages.map((s) => s.stage),
      ['pxe', 'download', 'verify', 'vm', 'menu'],
      'the host saw the VM run and end',
    );
  });

  it('a UEFI client: firmware PXE → shim → GRUB → Phase 1 over HTTP → download → kexec → target, each stage in budget', async () => {
    const { report } = await lab('uefi', {
      clients: 1,
      firmware: ['uefi'],
      padMib: 8,
      budgetS: 240,
      until: /TARGET-OS-UP/,
    });
    const c = report.clients[0]!;
    assert.equal(c.error, undefined, c.lines.slice(-20).join('\n'));
    assert.ok(
      c.lines.some((l) => /NBP filename is shimx64\.efi/.test(l)),
      "the firmware's own PXE got shim from our DHCP",
    );
    assert.ok(
      c.lines.some((l) => /BT-GRUB: loading Phase 1 over HTTP/.test(l)),
      'shim started GRUB, which read our grub.cfg and took Phase 1 from our HTTP server',
    );
    assert.match(c.lines.find((l) => /TARGET-OS-UP/.test(l))!, /TARGET-OS-UP demo-linux/);
    assert.ok(!c.lines.some((l) => /Secure Boot is on/.test(l)), 'no lockdown without Secure Boot');
    assert.ok(c.phase1! < 75, `Phase 1 init at ${c.phase1} s`);
    assert.ok(c.target! - c.phase1! < 150, `Phase 1 → target took ${c.target! - c.phase1!} s`);
  });

  it('Secure Boot on: shim → GRUB → a locked-down Phase 1; a signed kernel is kexec’d with kexec -s, an unsigned one refused before downloading', async () => {
    const { report } = await lab('sb', {
      clients: 2,
      firmware: ['uefi-secure-boot'],
      padMib: 8,
      byMac: { '52:54:00:12:34:02': 'unsigned-linux' },
      budgetS: 300,
      until: /TARGET-OS-UP|is not signed\./,
    });
    const [signed, unsigned] = report.clients as [ClientReport, ClientReport];
    for (const c of report.clients) assert.equal(c.error, undefined, c.lines.slice(-20).join('\n'));
    assert.ok(
      signed.lines.some((l) =>
        /Demo Linux .*: Secure Boot is on \(Phase 1 is locked down\): its kernel is loaded with kexec -s/.test(
          l,
        ),
      ),
      'bttui saw the lockdown',
    );
    assert.match(signed.lines.find((l) => /TARGET-OS-UP/.test(l))!, /TARGET-OS-UP demo-linux/);
    assert.ok(
      unsigned.lines.some((l) =>
        /Unsigned Linux .* cannot start on this machine: Secure Boot is on, and its kernel \(vmlinuz\) is not signed\./.test(
          l,
        ),
      ),
      unsigned.lines.slice(-10).join('\n'),
    );
    assert.equal(unsigned.downloadStart, undefined, 'nothing was downloaded for the unsigned kernel');
    assert.equal(unsigned.target, undefined);
  });

  it('a BIOS and a UEFI client with the host seeder capped: both boot, and they fed each other', async () => {
    const { report, osBytes } = await lab('two', {
      clients: 2,
      firmware: ['bios', 'uefi'],
      padMib: 24,
      seedLimit: '1M',
      budgetS: 360,
      until: /TARGET-OS-UP/,
    });
    for (const c of report.clients) assert.equal(c.error, undefined, c.lines.slice(-20).join('\n'));
    assert.ok(
      report.clients[0]!.lines.some((l) => /^Filename: pxelinux\.0/.test(l)),
      'vm1 booted by BIOS PXE',
    );
    assert.ok(
      report.clients[1]!.lines.some((l) => /NBP filename is shimx64\.efi/.test(l)),
      'vm2 by UEFI PXE',
    );
    const traded = report.clients.reduce((n, c) => n + (c.uploadedToPeers ?? 0), 0);
    // at 1 MiB/s from the host, clients that trade are the only way to beat 2 x F / 1 MiB/s
    assert.ok(traded > osBytes / 4, `clients uploaded ${traded} bytes to each other (OS is ${osBytes})`);
    assert.ok(
      report.hostUploaded! < 2 * osBytes,
      `the host sent ${report.hostUploaded} bytes, less than two full copies`,
    );
  });

  it("a file that does not match the host's sha256 never boots, and the client says why", async () => {
    const { report } = await lab('bad', {
      clients: 1,
      padMib: 4,
      budgetS: 240,
      // twice: refused, back to the menu, autobooted again 10 s later, refused again; nothing in between
      until: /does not match the host's checksum; it will not boot/,
      untilCount: 2,
      startArgs: ['--no-build'],
      // the bytes stay valid for the torrent; the checksum the host recorded does not: as if configs.yaml
      // came from another build than the torrent
      prepare: async (env) => {
        assert.ok((await buildEnv(env)).ok);
        const torrents = path.join(env, 'out', 'torrents');
        const configs = yaml.load(await readFile(path.join(torrents, 'configs.yaml'), 'utf8')) as Record<
          string,
          OsConfig
        >;
        const fact = configs['demo-linux']!.files!['initrd.img']!;
        fact.sha256 = `${fact.sha256.startsWith('0') ? '1' : '0'}${fact.sha256.slice(1)}`;
        await writeFile(path.join(torrents, 'configs.yaml'), yaml.dump(configs));
        const names = await readdir(torrents);
        await writeFile(
          path.join(env, 'out', 'dnsmasq', 'ph1', 'torrents.gz'),
          packTorrents(
            await Promise.all(
              names.map(async (name) => ({ name, data: await readFile(path.join(torrents, name)) })),
            ),
          ),
        );
        return undefined;
      },
    });
    const c = report.clients[0]!;
    assert.equal(c.error, undefined, c.lines.slice(-20).join('\n'));
    assert.equal(c.target, undefined, 'the target OS never ran');
    assert.ok(!c.lines.some((l) => /: loading the kernel|: booting$/.test(l)), 'kexec was never reached');
    const refused = c.lines.filter((l) => /does not match the host's checksum/.test(l)).length;
    assert.equal(refused, 2, 'the client came back, tried again, and refused again');
  });
});
