import { type BtError, btError } from './bt-error.ts';

/** What the machine shows of its network: its interfaces (not loopback) and its IPv4 addresses. */
export interface NetFacts {
  /** interfaces the kernel has a driver for, with their link (/sys/class/net/NAME/carrier) when known */
  interfaces: { name: string; carrier: boolean | undefined }[];
  /** IPv4 addresses on anything but loopback */
  ipv4: string[];
}

/**
 * Why no peer can be reached, from what was measured, or undefined when the machine has an address.
 * Each cause is said only when it was seen: no interface (no driver), no link on any interface (the
 * cable or the switch port), a link without an address (no DHCP answer).
 */
export function noNetwork(f: NetFacts): BtError | undefined {
  if (f.ipv4.length) return undefined;
  if (f.interfaces.length === 0)
    return btError(
      'This machine has no network interface: Phase 1 has no driver for its network card.',
      'the host’s Phase 1 needs a driver for this card (`lspci -nn` in a shell here names it); the cable and the host are not the cause.',
    );
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
