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
      /^add 8139cp to Phase 1's drivers \(tools\/phase1\/drivers\.ts on the host\) and run `npm run phase1`/,
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
});
