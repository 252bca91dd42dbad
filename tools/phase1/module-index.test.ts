import assert from 'node:assert/strict';
import { it } from 'node:test';
import { type IndexedModule, modinfoValues, modulesAlias, modulesDep } from './module-index.ts';

it('reads every value of a .modinfo key', () => {
  const ko = Buffer.from(
    '\x7fELF\0alias=pci:v000010ECd00008129sv*sd*bc*sc*i*\0firmware=rtl_nic/rtl8125b-2.fw\0alias=pci:v0000021Bd00008139sv*sd*bc*sc*i*\0depends=mii\0',
  );
  assert.deepEqual(modinfoValues(ko, 'alias'), [
    'pci:v000010ECd00008129sv*sd*bc*sc*i*',
    'pci:v0000021Bd00008139sv*sd*bc*sc*i*',
  ]);
  assert.deepEqual(modinfoValues(ko, 'firmware'), ['rtl_nic/rtl8125b-2.fw']);
  assert.deepEqual(modinfoValues(ko, 'softdep'), []);
});

const mods: IndexedModule[] = [
  { name: 'usbnet', rel: 'kernel/drivers/net/usb/usbnet.ko', depends: ['mii', 'usbcore'], aliases: [] },
  {
    name: 'cdc_ether',
    rel: 'kernel/drivers/net/usb/cdc_ether.ko',
    depends: ['usbnet', 'usbcore'],
    aliases: ['usb:v*p*d*dc*dsc*dp*ic02isc06ip00in*'],
  },
  { name: 'mii', rel: 'kernel/drivers/net/mii.ko', depends: [], aliases: [] },
  { name: 'usbcore', rel: 'kernel/drivers/usb/core/usbcore.ko', depends: ['usb_common'], aliases: [] },
  { name: 'usb_common', rel: 'kernel/drivers/usb/common/usb-common.ko', depends: [], aliases: [] },
];

it('writes modules.dep with every dependency, the one to load first last', () => {
  const dep = modulesDep(mods).split('\n');
  assert.equal(
    dep[1],
    'kernel/drivers/net/usb/cdc_ether.ko: kernel/drivers/net/usb/usbnet.ko kernel/drivers/usb/core/usbcore.ko kernel/drivers/usb/common/usb-common.ko kernel/drivers/net/mii.ko',
  );
  assert.equal(dep[2], 'kernel/drivers/net/mii.ko:');
  // in the reversed list each module comes after everything it needs
  const load = dep[1]!.split(/:? /).slice(1).reverse();
  assert.ok(
    load.indexOf('kernel/drivers/usb/common/usb-common.ko') <
      load.indexOf('kernel/drivers/usb/core/usbcore.ko'),
  );
  assert.ok(
    load.indexOf('kernel/drivers/usb/core/usbcore.ko') < load.indexOf('kernel/drivers/net/usb/usbnet.ko'),
  );
});

it('writes modules.alias, one line per alias', () => {
  assert.equal(modulesAlias(mods), 'alias usb:v*p*d*dc*dsc*dp*ic02isc06ip00in* cdc_ether\n');
});
