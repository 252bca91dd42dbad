import type { BoottorrentConfig } from '../../../client/src/shared.ts';

/**
 * What `boottorrent start` tells the admin about how clients reach Phase 1: who answers their DHCP, the
 * loaders each firmware gets, and how Phase 1 travels. With no DHCP of ours, the site's server has to
 * name this host, and the line says what to set there.
 */
export function bootChains(c: BoottorrentConfig): string[] {
  const via = c.http.enable ? `HTTP :${c.http.port}` : 'TFTP';
  const d = c.dnsmasq;
  const answer = !d.enable_dhcp
    ? `no DHCP of ours: the site's DHCP server must name ${c.boottorrent.host_ip} (next-server, option 66) with boot file shimx64.efi for UEFI and lpxelinux.0 for BIOS (option 67)`
    : d.proxy_dhcp
      ? "proxy DHCP: the site's server gives the addresses, ours the boot files"
      : 'our DHCP gives the addresses and the boot files';
  return [
    `  clients: ${answer}`,
    `    BIOS: pxelinux${c.http.enable ? ' (lpxelinux.0 where the PXE ROM is not iPXE)' : ''} → Phase 1 over ${via}`,
    `    UEFI, Secure Boot on or off: shim → GRUB (signed) → Phase 1 over ${via}`,
  ];
}
