import assert from 'node:assert/strict';
import { it } from 'node:test';
import { rangeOutside } from './preflight.ts';

it("checks a DHCP range against host_ip's network, as the interface's netmask draws it", () => {
  assert.equal(rangeOutside('10.0.0.50,10.0.0.150,12h', false, '10.0.0.1', '255.255.255.0'), undefined);
  assert.equal(
    rangeOutside('10.0.1.50,10.0.1.150,12h', false, '10.0.0.1', '255.255.255.0'),
    "reaches outside host_ip's network (10.0.1.50, 10.0.1.150)",
  );
  assert.equal(rangeOutside('10.0.1.50,10.0.1.150,12h', false, '10.0.0.1', '255.255.0.0'), undefined);
  assert.equal(rangeOutside('192.168.1.0', true, '192.168.1.10', '255.255.255.0'), undefined);
  assert.equal(
    rangeOutside('192.168.2.0', true, '192.168.1.10', '255.255.255.0'),
    "is not the address of host_ip's network",
  );
});
