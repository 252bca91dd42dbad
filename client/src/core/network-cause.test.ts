import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { noNetwork } from './network-cause.ts';

describe('why a client reaches no peer, from what it measured', () => {
  it('nothing to say with an address', () => {
    assert.equal(noNetwork({ interfaces: [{ name: 'eth0', carrier: true }], ipv4: ['10.0.0.5'] }), undefined);
  });

  it('no interface at all: a missing driver, not the cable', () => {
    const e = noNetwork({ interfaces: [], ipv4: [] });
    assert.match(e!.message, /no network interface: Phase 1 has no driver for its network card/);
    assert.doesNotMatch(`${e!.message} ${e!.hint}`, /check the cable/);
  });

  it('no link on any interface: the cable or the switch port', () => {
    const e = noNetwork({
      interfaces: [
        { name: 'eth0', carrier: false },
        { name: 'eth1', carrier: false },
      ],
      ipv4: [],
    });
    assert.match(e!.message, /^No network link on eth0, eth1: no cable, or the switch port is off\.$/);
    assert.match(e!.hint, /check the cable/);
  });

  it('a link (or one not known) but no address: DHCP did not answer, and the cable is not blamed', () => {
    for (const carrier of [true, undefined]) {
      const e = noNetwork({
        interfaces: [
          { name: 'eth0', carrier: false },
          { name: 'eth1', carrier },
        ],
        ipv4: [],
      });
      assert.match(e!.message, /^eth0, eth1 have no address: no DHCP server answered in Phase 1\.$/);
      assert.doesNotMatch(e!.hint, /cable/);
    }
  });

  it('no interface, card by card: no card at all; a card Phase 1 has no driver for, named with the kernel’s module; a driver that took it and made nothing', () => {
    const none = noNetwork({ interfaces: [], ipv4: [], controllers: [] });
    assert.match(
      none!.message,
      /^This machine has no network interface: no network card was found on its PCI bus, and no USB network adapter came up\.$/,
    );
    assert.doesNotMatch(`${none!.message} ${none!.hint}`, /check the cable/);
    const rtl = noNetwork({
      interfaces: [],
      ipv4: [],
      controllers: [{ slot: '0000:00:03.0', id: '10ec:8139', inPhase1: [], inKernel: ['8139cp', '8139too'] }],
    });
    assert.equal(
      rtl!.message,
      "This machine has no network interface: its network card 10ec:8139 (PCI 0000:00:03.0) has no driver in Phase 1; Debian's kernel drives it with 8139cp or 8139too.",
    );
    assert.match(
      rtl!.hint,
      /^on the host, set `phase1\.drivers: all` in the env's Boottorrent\.yaml \(every wired NIC driver of the kernel, about 11 MiB more per client\) or add 8139cp to tools\/phase1\/drivers\.ts and run `npm run phase1`/,
    );
    assert.doesNotMatch(rtl!.hint, /check the cable/);
    const two = noNetwork({
      interfaces: [],
      ipv4: [],
      controllers: [
        { slot: '0000:01:00.0', id: '8086:15f2', driver: 'igc', inPhase1: ['igc'], inKernel: ['igc'] },
        { slot: '0000:02:00.0', id: '1234:5678', inPhase1: [], inKernel: [] },
        { slot: '0000:03:00.0', id: '10ec:8168', inPhase1: ['r8169'], inKernel: ['r8169'] },
      ],
    });
    assert.match(
      two!.message,
      /its network card 8086:15f2 \(PCI 0000:01:00\.0\) is driven by igc, which made no interface/,
    );
    assert.match(
      two!.message,
      /its network card 1234:5678 \(PCI 0000:02:00\.0\) has no driver in Phase 1, nor in Debian's kernel/,
    );
    assert.match(
      two!.message,
      /its network card 10ec:8168 \(PCI 0000:03:00\.0\) matches r8169 in Phase 1, which did not take it/,
    );
  });

  it('firmware the kernel could not load is named where it was seen: a card that made no interface, no link, no DHCP answer', () => {
    const bnx2 = { driver: 'bnx2', device: '0000:02:00.0', file: 'bnx2/bnx2-mips-09-6.2.1b.fw' };
    const other = { driver: 'e100', device: '0000:00:03.0', file: 'e100/d101s_ucode.bin' };
    const card = noNetwork({
      interfaces: [],
      ipv4: [],
      controllers: [
        { slot: '0000:02:00.0', id: '14e4:163b', driver: 'bnx2', inPhase1: ['bnx2'], inKernel: ['bnx2'] },
      ],
      firmware: [other, bnx2],
    });
    assert.equal(
      card!.message,
      'This machine has no network interface: its network card 14e4:163b (PCI 0000:02:00.0) is driven by bnx2, which asked for firmware bnx2/bnx2-mips-09-6.2.1b.fw that Phase 1 does not carry, and made no interface.',
    );
    assert.match(card!.hint, /^on the host, `phase1\.drivers: all` in Boottorrent\.yaml adds the firmware/);
    const link = noNetwork({
      interfaces: [{ name: 'eth0', carrier: false, device: '0000:02:00.0' }],
      ipv4: [],
      firmware: [other, bnx2],
    });
    assert.equal(
      link!.message,
      'No network link on eth0: no cable, the switch port is off, or the card needs the firmware it lacks. The kernel could not load firmware bnx2/bnx2-mips-09-6.2.1b.fw for bnx2 (0000:02:00.0): Phase 1 does not carry it.',
    );
    assert.match(link!.hint, /^check the cable and the switch port; on the host, `phase1\.drivers: all`/);
    const dhcp = noNetwork({
      interfaces: [{ name: 'eth0', carrier: true, device: '0000:00:03.0' }],
      ipv4: [],
      firmware: [other, bnx2],
    });
    assert.match(
      dhcp!.message,
      /^eth0 has no address: no DHCP server answered in Phase 1\. The kernel could not load firmware e100\/d101s_ucode\.bin for e100 \(0000:00:03\.0\): Phase 1 does not carry it\.$/,
    );
    assert.match(dhcp!.hint, /If the card needs that firmware: on the host/);
    // firmware of a device behind no interface of these is not this interface's cause
    const unrelated = noNetwork({
      interfaces: [{ name: 'eth0', carrier: false, device: '0000:00:03.0' }],
      ipv4: [],
      firmware: [bnx2],
    });
    assert.equal(unrelated!.message, 'No network link on eth0: no cable, or the switch port is off.');
  });
});
