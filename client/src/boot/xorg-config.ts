import { access, readdir } from 'node:fs/promises';
import path from 'node:path';

export type DisplayKind = 'kms' | 'fbdev';

/**
 * Which display Xorg can drive here: a KMS device (a DRM driver bound to the graphics card: modesetting),
 * else the firmware's framebuffer (fbdev), else none. Read from sysfs, as Phase 1 has no udev.
 */
export async function findDisplay(sysDir: string): Promise<DisplayKind | undefined> {
  const has = (p: string) =>
    access(path.join(sysDir, p)).then(
      () => true,
      () => false,
    );
  if (await has('class/drm/card0')) return 'kms';
  if (await has('class/graphics/fb0')) return 'fbdev';
  return undefined;
}

/** The evdev devices (/dev/input/eventN) the kernel has, from sysfs. */
export async function findInputs(sysDir: string): Promise<string[]> {
  const names = await readdir(path.join(sysDir, 'class', 'input')).catch(() => [] as string[]);
  return names
    .filter((n) => /^event\d+$/.test(n))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)))
    .map((n) => `/dev/input/${n}`);
}

/**
 * xorg.conf for a machine without udev: Xorg would find neither keyboard nor mouse by itself, so every
 * input device is listed for the evdev driver; the display is KMS (modesetting) or the firmware's
 * framebuffer (fbdev, at 32 bpp: a 24-bpp framebuffer mode is refused by the kernel's vesafb).
 */
export function xorgConfig(o: { display: DisplayKind; inputs: string[] }): string {
  const inputs = o.inputs.map((dev, i) => ({ id: `input${i}`, dev }));
  return [
    '# Written by bttui for this boot (Phase 1 has no udev: devices are listed, not discovered).',
    'Section "ServerFlags"',
    '  Option "AutoAddDevices" "false"',
    '  Option "AutoAddGPU" "false"',
    'EndSection',
    'Section "Device"',
    '  Identifier "card0"',
    o.display === 'kms' ? '  Driver "modesetting"' : '  Driver "fbdev"',
    ...(o.display === 'fbdev' ? ['  Option "fbdev" "/dev/fb0"'] : []),
    'EndSection',
    'Section "Screen"',
    '  Identifier "screen0"',
    '  Device "card0"',
    '  DefaultDepth 24',
    '  DefaultFbBpp 32',
    'EndSection',
    ...inputs.flatMap((i) => [
      'Section "InputDevice"',
      `  Identifier "${i.id}"`,
      '  Driver "evdev"',
      `  Option "Device" "${i.dev}"`,
      'EndSection',
    ]),
    'Section "ServerLayout"',
    '  Identifier "bttui"',
    '  Screen "screen0"',
    ...inputs.map((i) => `  InputDevice "${i.id}"`),
    'EndSection',
    '',
  ].join('\n');
}
