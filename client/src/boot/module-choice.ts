/** What the machine has, as the kernel lists it: display controllers by PCI vendor, and the CPU's maker. */
export interface Hardware {
  /** PCI vendor IDs (lower-case hex, e.g. "8086") of the display controllers (PCI class 03) */
  gpuVendors: string[];
  /** /proc/cpuinfo's vendor_id, e.g. GenuineIntel */
  cpuVendor: string | undefined;
}

/**
 * The profile's drivers that serve one kind of hardware only. Loading one checks its signature and
 * links it, which for i915 (6.6 MB) takes seconds on a real CPU and much longer emulated: a machine
 * without that hardware skips it. Everything else (DRM helpers, input, USB) is loaded always.
 */
const ONLY_FOR: Record<string, (h: Hardware) => boolean> = {
  i915: (h) => h.gpuVendors.includes('8086'),
  bochs: (h) => h.gpuVendors.includes('1234'),
  virtio_gpu: (h) => h.gpuVendors.includes('1af4'),
  ast: (h) => h.gpuVendors.includes('1a03'),
  mgag200: (h) => h.gpuVendors.includes('102b'),
  kvm_intel: (h) => h.cpuVendor === 'GenuineIntel',
  kvm_amd: (h) => h.cpuVendor === 'AuthenticAMD',
};

/** The modules of the profile's list (in its order) that this machine can use. Pure. */
export function modulesFor(list: string[], h: Hardware): string[] {
  return list.filter((m) => ONLY_FOR[m]?.(h) ?? true);
}

/** Reads the facts modulesFor needs from sysfs and /proc/cpuinfo text. */
export function parseHardware(pci: { class: string; vendor: string }[], cpuinfo: string): Hardware {
  return {
    gpuVendors: pci
      .filter((d) => /^0x03/.test(d.class.trim()))
      .map((d) => d.vendor.trim().replace(/^0x/, '').toLowerCase()),
    cpuVendor: /^vendor_id\s*:\s*(\S+)/m.exec(cpuinfo)?.[1],
  };
}
