import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { readBootLink, readControllers, readKernelLog, readMissingFirmware } from './machine-facts.ts';

it('reads the PCI network controllers, their driver, and the modules of Phase 1 and of the kernel that match them', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'bt-sys-'));
  try {
    const sys = path.join(root, 'sys');
    const system = path.join(root, 'system');
    const dev = async (
      slot: string,
      cls: string,
      vendor: string,
      device: string,
      modalias: string,
      driver?: string,
    ) => {
      const d = path.join(sys, 'bus', 'pci', 'devices', slot);
      await mkdir(d, { recursive: true });
      await writeFile(path.join(d, 'class'), `${cls}\n`);
      await writeFile(path.join(d, 'vendor'), `${vendor}\n`);
      await writeFile(path.join(d, 'device'), `${device}\n`);
      await writeFile(path.join(d, 'modalias'), `${modalias}\n`);
      if (driver) await symlink(`../../../bus/pci/drivers/${driver}`, path.join(d, 'driver'));
    };
    await dev(
      '0000:00:02.0',
      '0x030000',
      '0x1234',
      '0x1111',
      'pci:v00001234d00001111sv00001AF4sd00001100bc03sc00i00',
    );
    await dev(
      '0000:00:03.0',
      '0x020000',
      '0x10ec',
      '0x8139',
      'pci:v000010ECd00008139sv00001AF4sd00001100bc02sc00i00',
    );
    await dev(
      '0000:00:04.0',
      '0x020000',
      '0x8086',
      '0x100e',
      'pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00',
      'e1000',
    );
    await mkdir(path.join(system, 'lib', 'modules', '6.1.0-57-amd64'), { recursive: true });
    await writeFile(
      path.join(system, 'lib', 'modules', '6.1.0-57-amd64', 'modules.alias'),
      'alias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000\n',
    );
    await mkdir(path.join(system, 'etc', 'bt'), { recursive: true });
    await writeFile(
      path.join(system, 'etc', 'bt', 'nic-aliases'),
      'alias pci:v000010ECd00008139sv*sd*bc*sc*i* 8139cp\nalias pci:v000010ECd00008139sv*sd*bc*sc*i* 8139too\nalias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000\n',
    );
    assert.deepEqual(await readControllers(sys, system, '6.1.0-57-amd64'), [
      { slot: '0000:00:03.0', id: '10ec:8139', inPhase1: [], inKernel: ['8139cp', '8139too'] },
      { slot: '0000:00:04.0', id: '8086:100e', driver: 'e1000', inPhase1: ['e1000'], inKernel: ['e1000'] },
    ]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

it('reads the kernel’s log record by record until /dev/kmsg has no more, and finds the firmware it could not load in a log file', async () => {
  // the real device: a read per record, EAGAIN at the end (opened non-blocking), so the read ends
  const live = readKernelLog('/dev/kmsg');
  assert.match(live, /^\d+,\d+,\d+,[^;]*;/, 'records as the kernel writes them');
  assert.equal(readKernelLog('/nonexistent/kmsg'), '');
  const dir = await mkdtemp(path.join(tmpdir(), 'bt-kmsg-'));
  try {
    const file = path.join(dir, 'kmsg');
    await writeFile(
      file,
      '6,339,5140900,-;r8169 0000:03:00.0 eth0: RTL8168h/8111h, 52:54:00:12:34:56, XID 541, IRQ 35\n' +
        '3,340,5140950,-;r8169 0000:03:00.0: firmware: failed to load rtl_nic/rtl8168h-2.fw (-2)\n',
    );
    assert.deepEqual(readMissingFirmware(file), [
      { driver: 'r8169', device: '0000:03:00.0', file: 'rtl_nic/rtl8168h-2.fw' },
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

it('the card it boots over is the interface with the address: its MAC, driver and link speed (none when the driver says -1)', async () => {
  const sys = await mkdtemp(path.join(tmpdir(), 'bt-sys-'));
  try {
    for (const [n, driver, speed] of [
      ['eth0', 'r8169', '-1'],
      ['eth1', 'igc', '2500'],
    ] as const) {
      await mkdir(path.join(sys, 'bus', 'pci', 'drivers', driver), { recursive: true });
      await mkdir(path.join(sys, 'devices', n), { recursive: true });
      await symlink(path.join(sys, 'bus', 'pci', 'drivers', driver), path.join(sys, 'devices', n, 'driver'));
      await mkdir(path.join(sys, 'class', 'net', n), { recursive: true });
      await symlink(path.join(sys, 'devices', n), path.join(sys, 'class', 'net', n, 'device'));
      await writeFile(path.join(sys, 'class', 'net', n, 'speed'), `${speed}\n`);
    }
    const addr = (address: string, family: 'IPv4' | 'IPv6', mac: string, internal = false) => ({
      address,
      family,
      mac,
      internal,
      netmask: '',
      cidr: null,
      ...(family === 'IPv6' ? { scopeid: 0 } : {}),
    });
    const lo = [addr('127.0.0.1', 'IPv4', '00:00:00:00:00:00', true)];
    assert.deepEqual(
      await readBootLink(sys, {
        lo,
        eth0: [addr('fe80::1', 'IPv6', '52:54:00:00:00:01')],
        eth1: [addr('10.66.0.51', 'IPv4', '52:54:00:00:00:02')],
      } as never),
      { iface: 'eth1', mac: '52:54:00:00:00:02', driver: 'igc', mbps: 2500 },
    );
    assert.deepEqual(
      await readBootLink(sys, { lo, eth0: [addr('10.66.0.52', 'IPv4', '52:54:00:00:00:01')] } as never),
      { iface: 'eth0', mac: '52:54:00:00:00:01', driver: 'r8169' },
    );
    assert.equal(await readBootLink(sys, { lo } as never), undefined);
  } finally {
    await rm(sys, { recursive: true, force: true });
  }
});
