import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClientReport } from '../../tools/lab/run-lab.ts';
import { lab } from '../helpers/vm-lab.ts';

/** A client's boot, in the words its consoles used, from its PXE ROM to the target OS. */
function assertBooted(c: ClientReport, bootFile: RegExp, siteLog: string[], mac: string) {
  assert.equal(c.error, undefined, c.lines.slice(-20).join('\n'));
  assert.ok(
    c.lines.some((l) => bootFile.test(l)),
    `${c.name} (${c.firmware}): its PXE ROM said ${bootFile}`,
  );
  assert.match(
    c.lines.find((l) => /BT-PHASE1: network eth0 /.test(l)) ?? '',
    /10\.66\.0\.(1\d\d|200)\/24 \(driver virtio_net, /,
    `${c.name}: Phase 1 got its address from the site server`,
  );
  assert.ok(
    siteLog.some((l) => new RegExp(`DHCPACK\\(eth0\\) 10\\.66\\.0\\.\\d+ ${mac}`).test(l)),
    `the site server leased ${mac}:\n${siteLog.join('\n')}`,
  );
  assert.match(c.lines.find((l) => /TARGET-OS-UP/.test(l)) ?? '', /TARGET-OS-UP demo-linux/);
}

describe('a network whose DHCP server belongs to someone else', { timeout: 900_000 }, () => {
  it('proxy DHCP: the site server gives the addresses, ours only the PXE boot; BIOS, UEFI and UEFI with Secure Boot clients all boot', async () => {
    const siteLog: string[] = [];
    const { report } = await lab('proxy', {
      clients: 3,
      firmware: ['bios', 'uefi', 'uefi-secure-boot'],
      padMib: 4,
      dhcp: 'proxy',
      siteLog,
      budgetS: 360,
      until: /TARGET-OS-UP/,
    });
    const [bios, uefi, sb] = report.clients as [ClientReport, ClientReport, ClientReport];
    assertBooted(bios, /^Filename: pxelinux\.0/, siteLog, '52:54:00:12:34:01');
    // GRUB 2.12 took its server from our proxy offer (2.06 took the site server's and stopped at its prompt)
    for (const [c, mac] of [
      [uefi, '52:54:00:12:34:02'],
      [sb, '52:54:00:12:34:03'],
    ] as const) {
      assertBooted(c, /NBP filename is shimx64\.efi/, siteLog, mac);
      assert.ok(
        c.lines.some((l) => /BT-GRUB: loading Phase 1 over HTTP/.test(l)),
        `${c.name}: GRUB read our grub.cfg`,
      );
    }
    assert.ok(
      sb.lines.some((l) => /Secure Boot is on \(Phase 1 is locked down\)/.test(l)),
      'the third client booted under Secure Boot',
    );
  });

  it("the site server names our host (next-server and a boot file per architecture, README's recipe); ours answers no DHCP at all", async () => {
    const siteLog: string[] = [];
    const { report } = await lab('site', {
      clients: 2,
      firmware: ['bios', 'uefi-secure-boot'],
      padMib: 4,
      dhcp: 'site',
      siteLog,
      budgetS: 300,
      until: /TARGET-OS-UP/,
    });
    const [bios, sb] = report.clients as [ClientReport, ClientReport];
    assertBooted(bios, /^Filename: lpxelinux\.0/, siteLog, '52:54:00:12:34:01');
    assertBooted(sb, /NBP filename is shimx64\.efi/, siteLog, '52:54:00:12:34:02');
    assert.ok(
      siteLog.some((l) => /next server: 10\.66\.0\.1/.test(l)),
      siteLog.join('\n'),
    );
  });
});
