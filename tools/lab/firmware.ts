import { copyFileSync } from 'node:fs';
import path from 'node:path';

/** How a lab client starts: SeaBIOS + iPXE (a BIOS PC), or Debian's OVMF (UEFI), with Secure Boot on. */
export type Firmware = 'bios' | 'uefi' | 'uefi-secure-boot';
export const FIRMWARES: readonly Firmware[] = ['bios', 'uefi', 'uefi-secure-boot'];

const OVMF = '/usr/share/OVMF';

/**
 * qemu arguments for a client's machine and its PXE NIC. UEFI clients get no option ROM on the NIC
 * (`romfile=`), so the firmware's own network stack and PXE run, as on a real UEFI PC; their variable
 * store is a private copy in `dir` (OVMF writes boot entries into it). Secure Boot: the code image that
 * enforces it, SMM, and the variable store with Microsoft's keys enrolled, which shim is signed by.
 */
export function firmwareArgs(fw: Firmware, nic: { netdev: string; mac: string }, dir: string): string[] {
  if (fw === 'bios') return ['-boot', 'n', '-device', `virtio-net-pci,netdev=${nic.netdev},mac=${nic.mac}`];
  const secure = fw === 'uefi-secure-boot';
  const vars = path.join(dir, `OVMF_VARS-${nic.mac.replaceAll(':', '')}.fd`);
  copyFileSync(path.join(OVMF, secure ? 'OVMF_VARS_4M.ms.fd' : 'OVMF_VARS_4M.fd'), vars);
  return [
    '-machine',
    secure ? 'q35,smm=on' : 'q35',
    ...(secure ? ['-global', 'driver=cfi.pflash01,property=secure,value=on'] : []),
    '-drive',
    `if=pflash,format=raw,unit=0,readonly=on,file=${path.join(OVMF, secure ? 'OVMF_CODE_4M.secboot.fd' : 'OVMF_CODE_4M.fd')}`,
    '-drive',
    `if=pflash,format=raw,unit=1,file=${vars}`,
    '-device',
    `virtio-net-pci,netdev=${nic.netdev},mac=${nic.mac},romfile=,bootindex=1`,
  ];
}
