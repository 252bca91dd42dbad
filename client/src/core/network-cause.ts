import { type BtError, btError } from './bt-error.ts';
import type { MissingFirmware } from './firmware-log.ts';

/** What the machine shows of its network: its interfaces (not loopback) and its IPv4 addresses. */
export interface NetFacts {
  /** interfaces the kernel has a driver for, with their link (/sys/class/net/NAME/carrier) when known */
  interfaces: { name: string; carrier: boolean | undefined; device?: string }[];
  /** IPv4 addresses on anything but loopback */
  ipv4: string[];
  /** the PCI network controllers, each with the driver bound to it and the modules that would drive it */
  controllers?: NicController[];
  /** firmware files the kernel asked for and could not load (its log) */
  firmware?: MissingFirmware[];
}

export interface NicController {
  /** PCI address, e.g. 0000:00:03.0 */
  slot: string;
  /** vendor:device, e.g. 10ec:8139 */
  id: string;
  /** the driver bound to it, if any */
  driver?: string;
  /** modules of Phase 1 whose aliases match it */
  inPhase1: string[];
  /** modules of the whole kernel (its wired NIC drivers) whose aliases match it */
  inKernel: string[];
}

/** "8139cp or 8139too" */
const either = (l: string[]) => (l.length > 1 ? `${l.slice(0, -1).join(', ')} or ${l.at(-1)}` : (l[0] ?? ''));

const files = (l: MissingFirmware[]) => either(l.map((f) => f.file));

/** " The kernel could not load firmware X for r8169 (0000:03:00.0): …", said wherever it was seen */
function firmwareSaid(l: MissingFirmware[]): string {
  if (!l.length) return '';
  const devices = [...new Set(l.map((f) => f.device))];
  const each = devices.map((d) => {
    const of = l.filter((f) => f.device === d);
    return `${files(of)} for ${of[0]!.driver} (${d})`;
  });
  return ` The kernel could not load firmware ${each.join('; ')}: Phase 1 does not carry it.`;
}

const FIRMWARE_HINT =
  'on the host, `phase1.drivers: all` in Boottorrent.yaml adds the firmware of Debian’s packages for server NICs; a file in none of them goes into Phase 1 through tools/phase1/firmware.ts and `npm run phase1`';

/** Why no interface came up, card by card, from what /sys, the alias files and the kernel's log say. */
function noInterface(cards: NicController[], firmware: MissingFirmware[]): BtError {
  const head = 'This machine has no network interface';
  if (cards.length === 0)
    return btError(
      `${head}: no network card was found on its PCI bus, and no USB network adapter came up.`,
      'check that the card is enabled in the firmware setup (or plug in a USB adapter), then reboot; the cable and the host are not the cause.',
    );
  const said = cards.map((c) => {
    const card = `its network card ${c.id} (PCI ${c.slot})`;
    const fw = firmware.filter((f) => f.device === c.slot);
    if (c.driver && fw.length)
      return `${card} is driven by ${c.driver}, which asked for firmware ${files(fw)} that Phase 1 does not carry, and made no interface`;
    if (c.driver) return `${card} is driven by ${c.driver}, which made no interface (see dmesg)`;
    if (c.inPhase1.length)
      return `${card} matches ${either(c.inPhase1)} in Phase 1, which did not take it (see dmesg)`;
    if (c.inKernel.length)
      return `${card} has no driver in Phase 1; Debian's kernel drives it with ${either(c.inKernel)}`;
    return `${card} has no driver in Phase 1, nor in Debian's kernel`;
  });
  const missing = [
    ...new Set(cards.filter((c) => !c.driver && !c.inPhase1.length).flatMap((c) => c.inKernel.slice(0, 1))),
  ];
  const lacksFirmware = cards.some((c) => c.driver && firmware.some((f) => f.device === c.slot));
  return btError(
    `${head}: ${said.join('; ')}.`,
    missing.length
      ? `on the host, set \`phase1.drivers: all\` in the env's Boottorrent.yaml (every wired NIC driver of the kernel, about 11 MiB more per client) or add ${missing.join(', ')} to tools/phase1/drivers.ts and run \`npm run phase1\`; then reboot. The cable and the host are not the cause.`
      : lacksFirmware
        ? `${FIRMWARE_HINT}; then reboot. The cable and the host are not the cause.`
        : 'the host’s Phase 1 needs a driver for this card (`lspci -nn` in a shell here names it); the cable and the host are not the cause.',
  );
}

/**
 * Why no peer can be reached, from what was measured, or undefined when the machine has an address.
 * Each cause is said only when it was seen: no interface (no driver), no link on any interface (the
 * cable or the switch port), a link without an address (no DHCP answer).
 */
export function noNetwork(f: NetFacts): BtError | undefined {
  if (f.ipv4.length) return undefined;
  const firmware = f.firmware ?? [];
  if (f.interfaces.length === 0) {
    if (f.controllers) return noInterface(f.controllers, firmware);
    return btError(
      'This machine has no network interface: Phase 1 has no driver for its network card.',
      'the host’s Phase 1 needs a driver for this card (`lspci -nn` in a shell here names it); the cable and the host are not the cause.',
    );
  }
  const names = f.interfaces.map((i) => i.name).join(', ');
  // firmware asked for by the devices behind these interfaces (all of it when /sys does not say which)
  const devices = f.interfaces.flatMap((i) => i.device ?? []);
  const fw = firmware.filter((x) => devices.length === 0 || devices.includes(x.device));
  if (f.interfaces.every((i) => i.carrier === false))
    return btError(
      fw.length
        ? `No network link on ${names}: no cable, the switch port is off, or the card needs the firmware it lacks.${firmwareSaid(fw)}`
        : `No network link on ${names}: no cable, or the switch port is off.`,
      fw.length
        ? `check the cable and the switch port; ${FIRMWARE_HINT}; then reboot this machine.`
        : 'check the cable and the switch port, then reboot this machine.',
    );
  return btError(
    `${names} ${f.interfaces.length > 1 ? 'have' : 'has'} no address: no DHCP server answered in Phase 1.${firmwareSaid(fw)}`,
    'check that the host runs `boottorrent start` (its DHCP, or the network’s own with proxy_dhcp) and that the switch forwards this port, then reboot.' +
      (fw.length ? ` If the card needs that firmware: ${FIRMWARE_HINT}.` : ''),
  );
}
