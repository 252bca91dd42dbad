import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { readControllers } from './machine-facts.ts';

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
