import { execFileSync } from 'node:child_process';
import { spawnComponent } from '../../host/src/shared.ts';
import type { LabNet } from './netns.ts';

/**
 * Who hands out addresses in the lab: `own` (the host's dnsmasq, the default), `proxy` (a site server
 * hands out addresses and knows nothing of PXE; the host answers PXE as a proxy) or `site` (the site
 * server names the host for PXE with next-server and a boot file, as README's recipe says; the host
 * answers no DHCP at all and serves TFTP and HTTP).
 */
export type LabDhcp = 'own' | 'proxy' | 'site';
export const LAB_DHCPS: readonly LabDhcp[] = ['own', 'proxy', 'site'];

/**
 * The site's DHCP server: dnsmasq in a namespace of its own on the lab's bridge, at .254, leasing
 * .100–.200. With `pxeHost` it also sends what an admin sets on the site server for BootTorrent: the
 * boot server (siaddr, "next-server"; option 66 for servers that only set options) and the boot file by
 * client architecture (option 67): shimx64.efi for x86-64 UEFI, lpxelinux.0 for BIOS (pxelinux with
 * HTTP, for any PXE ROM). stop() ends it by PID.
 */
function startSiteDhcp(net: LabNet, o: { pxeHost?: string; log: (line: string) => void }) {
  const ns = net.addClient('site');
  execFileSync('ip', ['-n', ns, 'addr', 'add', `${net.prefix}.254/24`, 'dev', 'eth0']);
  const pxe = o.pxeHost
    ? [
        '--dhcp-match=set:efi64,option:client-arch,7',
        '--dhcp-match=set:efi64,option:client-arch,9',
        `--dhcp-boot=tag:efi64,shimx64.efi,,${o.pxeHost}`,
        `--dhcp-boot=tag:!efi64,lpxelinux.0,,${o.pxeHost}`,
        `--dhcp-option=66,"${o.pxeHost}"`,
      ]
    : [];
  return spawnComponent({
    name: 'site-dhcp',
    cmd: 'ip',
    args: [
      'netns',
      'exec',
      ns,
      'dnsmasq',
      '-k',
      '--pid-file=',
      '--port=0',
      '--interface=eth0',
      '--bind-interfaces',
      '--no-ping',
      `--dhcp-range=${net.prefix}.100,${net.prefix}.200,1h`,
      '--dhcp-leasefile=/dev/null',
      '--log-dhcp',
      '--log-facility=-',
      ...pxe,
    ],
    log: (_, l) => o.log(l),
  });
}

/**
 * The site server a lab with `dhcp` needs: none for `own`, a plain one for `proxy`, one that names the
 * lab's host for PXE for `site`.
 */
export function siteDhcpFor(dhcp: LabDhcp, net: LabNet, log: (line: string) => void) {
  if (dhcp === 'own') return undefined;
  return startSiteDhcp(net, { pxeHost: dhcp === 'site' ? net.hostIp : undefined, log });
}
