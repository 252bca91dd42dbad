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
});
