import assert from 'node:assert/strict';
import { it } from 'node:test';
import { missingFirmware } from './firmware-log.ts';

it('finds each missing firmware file once per device, in the kernel’s two wordings, as dmesg and /dev/kmsg write them', () => {
  // Phase 1 on QEMU's i82559er with e100/ taken out (dmesg), then a r8152 dock and a bnx2 card (kmsg records)
  const log = [
    '[    3.907437] e100 0000:00:03.0 eth0: addr 0xfe000000, irq 11, MAC addr 52:54:00:12:34:56',
    '[    3.984555] e100 0000:00:03.0: firmware: failed to load e100/d101s_ucode.bin (-2)',
    '[    3.984999] firmware_class: See https://wiki.debian.org/Firmware for information about missing firmware',
    '[    3.985398] e100 0000:00:03.0: firmware: failed to load e100/d101s_ucode.bin (-2)',
    '[    3.985827] e100 0000:00:03.0: Direct firmware load for e100/d101s_ucode.bin failed with error -2',
    '[    4.001385] e100 0000:00:03.0 eth0: CPUSaver disabled. Needs "e100/d101s_ucode.bin": -2',
    '3,812,9120331,-;r8152 2-1:1.0: firmware: failed to load rtl_nic/rtl8153a-4.fw (-2)',
    ' SUBSYSTEM=usb',
    ' DEVICE=+usb:2-1:1.0',
    '4,813,9120400,-;bnx2 0000:02:00.0: Direct firmware load for bnx2/bnx2-mips-09-6.2.1b.fw failed with error -2',
    '6,814,9120500,-;r8169 0000:03:00.0: firmware: direct-loading firmware rtl_nic/rtl8168h-2.fw',
  ].join('\n');
  assert.deepEqual(missingFirmware(log), [
    { driver: 'e100', device: '0000:00:03.0', file: 'e100/d101s_ucode.bin' },
    { driver: 'r8152', device: '2-1:1.0', file: 'rtl_nic/rtl8153a-4.fw' },
    { driver: 'bnx2', device: '0000:02:00.0', file: 'bnx2/bnx2-mips-09-6.2.1b.fw' },
  ]);
  assert.deepEqual(missingFirmware(''), []);
});
