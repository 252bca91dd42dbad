/**
 * Firmware the kernel asked for and could not load, from its log: a card whose driver is in Phase 1 may
 * still need a file from Debian's firmware packages to bring its link up.
 */
export interface MissingFirmware {
  /** the driver that asked, e.g. r8169 */
  driver: string;
  /** the device it asked for: a PCI slot (0000:00:03.0) or a USB interface (2-1:1.0) */
  device: string;
  /** the file, as the driver names it (rtl_nic/rtl8168h-2.fw) */
  file: string;
}

// Debian's kernel says "firmware: failed to load F (-2)"; upstream's "Direct firmware load for F failed
// with error -2". Both follow the device's "driver device: " prefix, in dmesg and in /dev/kmsg records.
const FAILED = /^(\S+) (\S+): (?:firmware: failed to load (\S+) \(|Direct firmware load for (\S+) failed)/;
/** a /dev/kmsg record's "level,seq,usec,flags;" or dmesg's "[ 3.98] " */
const PREFIX = /^(\d+,\d+,\d+,[^;]*;|\[\s*[\d.]+\]\s*)/;

/** Each file once per device, in the order the kernel first asked, from the log's lines. */
export function missingFirmware(log: string): MissingFirmware[] {
  const out: MissingFirmware[] = [];
  for (const line of log.split('\n')) {
    const m = FAILED.exec(line.replace(PREFIX, ''));
    if (!m) continue;
    const f = { driver: m[1]!, device: m[2]!, file: (m[3] ?? m[4])! };
    if (!out.some((o) => o.device === f.device && o.file === f.file)) out.push(f);
  }
  return out;
}
