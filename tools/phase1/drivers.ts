import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { findModules, moduleFiles } from './kernel-modules.ts';
import { type IndexedModule, modinfoValues, modulesAlias, modulesDep } from './module-index.ts';
import { modinfoDepends } from './module-order.ts';

/**
 * Phase 1's default drivers: the wired NICs of lab PCs (Intel, Realtek, Broadcom, Atheros/Killer,
 * Aquantia, Marvell, nVidia, VIA), of virtual machines (every model QEMU emulates, VMware) and of USB
 * docks and adapters, their PHYs, and USB host controllers with HID, so that a USB keyboard drives the
 * menu. Their dependencies come from each module's .modinfo. Which of them load is the machine's
 * choice: modprobe takes what a present device's modalias names.
 */
export const DEFAULT_DRIVERS = [
  // Intel
  'e100',
  'e1000',
  'e1000e',
  'igb',
  'igc',
  'ixgbe',
  'i40e',
  // Realtek and their PHYs
  'r8169',
  '8139too',
  '8139cp',
  'realtek',
  // Broadcom
  'tg3',
  'bnx2',
  'bnxt_en',
  'broadcom',
  // Atheros / Killer, Aquantia, Marvell, nVidia, VIA
  'alx',
  'atl1c',
  'atl1e',
  'atlantic',
  'sky2',
  'skge',
  'forcedeth',
  'via_rhine',
  'via_velocity',
  // older and virtual cards (QEMU's pcnet, tulip, ne2k_pci; VMware; virtio)
  'pcnet32',
  'tulip',
  'dmfe',
  'ne2k_pci',
  'vmxnet3',
  'virtio_pci',
  'virtio_net',
  // USB NICs: Realtek and ASIX adapters, docks, CDC (QEMU's usb-net, phones), Microchip/SMSC
  'r8152',
  'ax88179_178a',
  'asix',
  'cdc_ether',
  'cdc_ncm',
  'rndis_host',
  'lan78xx',
  'smsc95xx',
  // USB host controllers and keyboards
  'xhci_pci',
  'ehci_pci',
  'ohci_pci',
  'uhci_hcd',
  'usbhid',
  'hid_generic',
];

/** Where the kernel tree keeps wired NIC drivers: the source of the names bttui gives a card without one. */
const NIC_TREES = [
  'drivers/net/ethernet',
  'drivers/net/usb',
  'drivers/net/vmxnet3',
  'drivers/net/virtio_net.ko',
];

/** What `phase1.drivers: all` carries besides the NICs: their PHYs, MDIO buses and PCS, all of them. */
const LINK_TREES = ['drivers/net/phy', 'drivers/net/mdio', 'drivers/net/pcs'];

/** The kernel's modules under `trees` (paths below kernel/), by name, sorted by path. */
async function modulesUnder(
  kernel: { root: string; version: string },
  trees: readonly string[],
): Promise<{ name: string; rel: string }[]> {
  const k = path.join(kernel.root, 'lib', 'modules', kernel.version, 'kernel');
  return [...(await findModules(path.join(k, 'drivers', 'net')))]
    .map(([name, file]) => ({ name, rel: path.relative(k, file) }))
    .filter((m) => trees.some((t) => m.rel.startsWith(t)))
    .sort((a, b) => a.rel.localeCompare(b.rel));
}

/** Every wired NIC driver of the kernel with the PHY, MDIO and PCS modules they may ask for. */
export async function allWiredDrivers(kernel: { root: string; version: string }): Promise<string[]> {
  return (await modulesUnder(kernel, [...NIC_TREES, ...LINK_TREES])).map((m) => m.name);
}

/**
 * Puts `want` and their dependencies into `stage`'s /lib/modules/<version>/ at their kernel paths, with
 * the modules.dep and modules.alias that busybox's modprobe reads, and returns the firmware files the
 * modules name. Modules in `carried` (an earlier initrd has them) are indexed but not copied: the
 * index of a later initrd replaces the earlier one's when the kernel unpacks both.
 */
export async function stageDrivers(
  kernel: { root: string; version: string },
  stage: string,
  want: readonly string[] = DEFAULT_DRIVERS,
  carried: ReadonlySet<string> = new Set(),
): Promise<{ modules: string[]; copied: string[]; bytes: number; firmware: string[] }> {
  const base = path.join(kernel.root, 'lib', 'modules', kernel.version);
  const to = path.join(stage, 'lib', 'modules', kernel.version);
  const indexed: IndexedModule[] = [];
  const copied: string[] = [];
  let bytes = 0;
  const firmware: string[] = [];
  for (const m of await moduleFiles(kernel, want)) {
    const ko = await readFile(m.file);
    const rel = path.relative(base, m.file);
    indexed.push({
      name: m.name,
      rel,
      depends: modinfoDepends(ko).map((d) => d.replaceAll('-', '_')),
      aliases: modinfoValues(ko, 'alias'),
    });
    if (carried.has(m.name)) continue;
    await mkdir(path.dirname(path.join(to, rel)), { recursive: true });
    await copyFile(m.file, path.join(to, rel));
    copied.push(m.name);
    bytes += ko.length;
    firmware.push(...modinfoValues(ko, 'firmware'));
  }
  await mkdir(to, { recursive: true });
  await writeFile(path.join(to, 'modules.dep'), modulesDep(indexed));
  await writeFile(path.join(to, 'modules.alias'), modulesAlias(indexed));
  return { modules: indexed.map((m) => m.name), copied, bytes, firmware };
}

/**
 * /etc/bt/nic-aliases: every PCI and USB alias of every wired NIC driver of the kernel, so that bttui
 * names the module a card lacks in Phase 1.
 */
export async function writeNicAliases(
  kernel: { root: string; version: string },
  stage: string,
): Promise<void> {
  const k = path.join(kernel.root, 'lib', 'modules', kernel.version, 'kernel');
  const all: string[] = [];
  for (const m of await modulesUnder(kernel, NIC_TREES))
    for (const a of modinfoValues(await readFile(path.join(k, m.rel)), 'alias'))
      if (/^(pci|usb):/.test(a)) all.push(`alias ${a} ${m.name}\n`);
  await mkdir(path.join(stage, 'etc', 'bt'), { recursive: true });
  await writeFile(path.join(stage, 'etc', 'bt', 'nic-aliases'), all.join(''));
}
