import assert from 'node:assert/strict';
import { it } from 'node:test';
import { modulesFor, parseHardware } from './module-choice.ts';

const LIST = ['drm', 'bochs', 'i915', 'virtio_gpu', 'evdev', 'usbhid', 'kvm', 'kvm_intel', 'kvm_amd'];

it('loads a graphics or KVM driver only where its hardware is; helpers and input always', () => {
  const qemu = parseHardware(
    [
      { class: '0x060000', vendor: '0x8086' },
      { class: '0x030000\n', vendor: '0x1234\n' },
      { class: '0x020000', vendor: '0x1af4' },
    ],
    'processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: QEMU\n',
  );
  assert.deepEqual(qemu, { gpuVendors: ['1234'], cpuVendor: 'AuthenticAMD' });
  assert.deepEqual(modulesFor(LIST, qemu), ['drm', 'bochs', 'evdev', 'usbhid', 'kvm', 'kvm_amd']);
  const intelPc = parseHardware([{ class: '0x030000', vendor: '0x8086' }], 'vendor_id : GenuineIntel\n');
  assert.deepEqual(modulesFor(LIST, intelPc), ['drm', 'i915', 'evdev', 'usbhid', 'kvm', 'kvm_intel']);
});
