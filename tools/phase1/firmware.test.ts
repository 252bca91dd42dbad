import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { stageFirmware } from './firmware.ts';

it('copies the firmware files the drivers name that the packages have (a link as the file it names), and says which are missing', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'bt-fw-'));
  try {
    const fw = path.join(root, 'tree', 'lib', 'firmware');
    await mkdir(path.join(fw, 'rtl_nic'), { recursive: true });
    await writeFile(path.join(fw, 'rtl_nic', 'rtl8168h-2.fw'), 'RTL');
    await symlink('rtl8168h-2.fw', path.join(fw, 'rtl_nic', 'rtl8168h-1.fw'));
    const stage = path.join(root, 'stage');
    const r = await stageFirmware(path.join(root, 'tree'), stage, [
      'rtl_nic/rtl8168h-2.fw',
      'rtl_nic/rtl8168h-1.fw',
      'bnx2/bnx2-mips-09-6.2.1b.fw',
      'rtl_nic/rtl8168h-2.fw',
    ]);
    assert.deepEqual(r, {
      found: ['rtl_nic/rtl8168h-1.fw', 'rtl_nic/rtl8168h-2.fw'],
      missing: ['bnx2/bnx2-mips-09-6.2.1b.fw'],
      bytes: 6,
    });
    assert.equal(
      await readFile(path.join(stage, 'lib', 'firmware', 'rtl_nic', 'rtl8168h-1.fw'), 'utf8'),
      'RTL',
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
