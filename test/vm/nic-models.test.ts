import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dist } from '../../tools/lib/paths.ts';
import { directBootArgs, lab } from '../helpers/vm-lab.ts';

/**
 * Every NIC model Debian's QEMU emulates, and the driver Phase 1 must load for it by its modalias (a PC
 * with that card has nothing else: no driver, no lease). 8139cp and 8139too both claim 10ec:8139;
 * QEMU's usb-net offers RNDIS and CDC Ethernet.
 */
const MODELS: { model: string; driver: RegExp; usb?: boolean }[] = [
  { model: 'e1000', driver: /^e1000$/ },
  { model: 'e1000e', driver: /^e1000e$/ },
  { model: 'rtl8139', driver: /^8139(cp|too)$/ },
  { model: 'pcnet', driver: /^pcnet32$/ },
  { model: 'i82559er', driver: /^e100$/ },
  { model: 'tulip', driver: /^tulip$/ },
  { model: 'ne2k_pci', driver: /^ne2k-pci$/ },
  { model: 'vmxnet3', driver: /^vmxnet3$/ },
  { model: 'virtio-net-pci', driver: /^virtio_net$/ },
  { model: 'usb-net', driver: /^(rndis_host|cdc_ether)$/, usb: true },
];

/** A direct kernel boot of Phase 1 (most of these models have no PXE ROM) with one NIC of `model`. */
async function directBoot(
  env: string,
  work: string,
  nic: { netdev: string; mac: string },
  model: string,
  usb?: boolean,
) {
  const device = `${model},netdev=${nic.netdev},mac=${nic.mac}`;
  return [
    ...(await directBootArgs(
      env,
      work,
      // as pxelinux's IPAPPEND 2 says it
      `console=ttyS0,115200 quiet panic=-1 BOOTIF=01-${nic.mac.replaceAll(':', '-')}`,
    )),
    ...(usb ? ['-device', 'qemu-xhci', '-device', device] : ['-device', `${device},romfile=`]),
  ];
}

describe('Phase 1 on every NIC model QEMU emulates', { timeout: 1_200_000 }, () => {
  it('each model: the driver its modalias names is loaded, DHCP answers, and the OS comes over BitTorrent and boots', async () => {
    let env = '';
    const { report } = await lab('nics', {
      clients: MODELS.length,
      padMib: 0,
      memoryMb: 768,
      budgetS: 900,
      until: /TARGET-OS-UP/,
      prepare: async (e) => {
        env = e;
        return undefined;
      },
      clientArgs: (i, nic) =>
        directBoot(env, dist('vm-logs', 'nics'), nic, MODELS[i - 1]!.model, MODELS[i - 1]!.usb),
    });
    const rows = report.clients.map((c, k) => {
      const m = MODELS[k]!;
      const net = c.lines
        .map((l) => /BT-PHASE1: network (\S+) (\S+) \(driver (\S+), (\S+) Mb\/s\)/.exec(l))
        .find(Boolean);
      return { model: m.model, want: m.driver, net, c };
    });
    console.log(
      rows
        .map(
          (r) =>
            `${r.model.padEnd(15)} ${r.net ? `${r.net[3]} ${r.net[1]} ${r.net[2]} ${r.net[4]} Mb/s` : 'no network'}  OS ${r.c.target ? `up at ${r.c.target.toFixed(0)} s` : 'not booted'}`,
        )
        .join('\n'),
    );
    for (const r of rows) {
      assert.ok(r.net, `${r.model}: no lease in Phase 1\n${r.c.lines.slice(-15).join('\n')}`);
      assert.match(r.net[3]!, r.want, `${r.model}: driver ${r.net[3]}`);
      assert.equal(r.c.error, undefined, `${r.model}: ${r.c.error}\n${r.c.lines.slice(-15).join('\n')}`);
      assert.equal(r.c.booted, 'kexec', `${r.model}: the OS came and booted`);
    }
  });
});
