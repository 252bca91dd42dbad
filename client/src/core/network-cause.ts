import { type BtError, btError } from './bt-error.ts';

/** What the machine shows of its network: its interfaces (not loopback) and its IPv4 addresses. */
export interface NetFacts {
  /** interfaces the kernel has a driver for, with their link (/sys/class/net/NAME/carrier) when known */
  interfaces: { name: string; carrier: boolean | undefined }[];
  /** IPv4 addresses on anything but loopback */
  ipv4: string[];
  /** the PCI network controllers, each with the driver bound to it and the modules that would drive it */
  controllers?: NicController[];
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

/** Why no interface came up, card by card, from what /sys and the alias files say. */
function noInterface(cards: NicController[]): BtError {
  const head = 'This machine has no network interface';
  if (cards.length === 0)
    return btError(
      `${head}: no network card was found on its PCI bus, and no USB network adapter came up.`,
      'check that the card is enabled in the firmware setup (or plug in a USB adapter), then reboot; the cable and the host are not the cause.',
    );
  const said = cards.map((c) => {
    const card = `its network card ${c.id} (PCI ${c.slot})`;
    if (c.driver) return `${card} is driven by ${c.driver}, which made no interface (see dmesg: firmware?)`;
    if (c.inPhase1.length)
      return `${card} matches ${either(c.inPhase1)} in Phase 1, which did not take it (see dmesg)`;
    if (c.inKernel.length)
      return `${card} has no driver in Phase 1; Debian's kernel drives it with ${either(c.inKernel)}`;
    return `${card} has no driver in Phase 1, nor in Debian's kernel`;
  });
  const missing = [
    ...new Set(cards.filter((c) => !c.driver && !c.inPhase1.length).flatMap((c) => c.inKernel.slice(0, 1))),
  ];
  return btError(
    `${head}: ${said.join('; ')}.`,
    missing.length
      ? `add ${missing.join(', ')} to Phase 1's drivers (tools/phase1/drivers.ts on the host) and run \`npm run phase1\`, then reboot; the cable and the host are not the cause.`
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
  if (f.interfaces.length === 0) {
    if (f.controllers) return noInterface(f.controllers);
    return btError(
      'This machine has no network interface: Phase 1 has no driver for its network card.',
      'the host’s Phase 1 needs a driver for this card (`lspci -nn` in a shell here names it); the cable and the host are not the cause.',
    );
  }
  const names = f.interfaces.map((i) => i.name).join(', ');
  if (f.interfaces.every((i) => i.carrier === false))
    return btError(
      `No network link on ${names}: no cable, or the switch port is off.`,
      'check the cable and the switch port, then reboot this machine.',
    );
  return btError(
    `${names} ${f.interfaces.length > 1 ? 'have' : 'has'} no address: no DHCP server answered in Phase 1.`,
    'check that the host runs `boottorrent start` (its DHCP, or the network’s own with proxy_dhcp) and that the switch forwards this port, then reboot.',
  );
}
