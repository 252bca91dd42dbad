import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { findDisplay, findInputs, xorgConfig } from './xorg-config.ts';

it('picks KMS over the firmware framebuffer, and lists every evdev device, from sysfs alone', async () => {
  const sys = await mkdtemp(path.join(tmpdir(), 'bt-sys-'));
  try {
    assert.equal(await findDisplay(sys), undefined);
    await mkdir(path.join(sys, 'class', 'graphics', 'fb0'), { recursive: true });
    assert.equal(await findDisplay(sys), 'fbdev');
    await mkdir(path.join(sys, 'class', 'drm', 'card0'), { recursive: true });
    assert.equal(await findDisplay(sys), 'kms');
    for (const n of ['event10', 'event2', 'mouse0', 'input3'])
      await mkdir(path.join(sys, 'class', 'input', n), { recursive: true });
    assert.deepEqual(await findInputs(sys), ['/dev/input/event2', '/dev/input/event10']);
  } finally {
    await rm(sys, { recursive: true, force: true });
  }
});

it('writes an xorg.conf that names its devices: no udev will', () => {
  const kms = xorgConfig({ display: 'kms', inputs: ['/dev/input/event0', '/dev/input/event1'] });
  assert.match(kms, /Option "AutoAddDevices" "false"/);
  assert.match(kms, /Driver "modesetting"/);
  assert.match(kms, /Identifier "input1"\n {2}Driver "evdev"\n {2}Option "Device" "\/dev\/input\/event1"/);
  assert.match(
    kms,
    /Section "ServerLayout"\n {2}Identifier "bttui"\n {2}Screen "screen0"\n {2}InputDevice "input0"\n {2}InputDevice "input1"\nEndSection/,
  );
  const fb = xorgConfig({ display: 'fbdev', inputs: [] });
  assert.match(fb, /Driver "fbdev"\n {2}Option "fbdev" "\/dev\/fb0"/);
  assert.match(fb, /DefaultFbBpp 32/);
});
