/**
 * The smallest guest OS there is: a 1.44 MB floppy whose boot sector prints `marker` on COM1 and powers
 * the (QEMU) machine off through its ACPI port. 16-bit real mode, assembled by hand:
 *   xor ax,ax; mov ds,ax; cld; mov dx,0x3f8; mov si,msg
 *   next: lodsb; test al,al; jz done; out dx,al; jmp next
 *   done: mov ax,0x2000; mov dx,0x604; out dx,ax; hlt; jmp $-1
 */
export function bootSectorFloppy(marker: string): Buffer {
  const code = Buffer.from('31c08ed8fcbaf803be1d7cac84c07403eeebf8b80020ba0406eff4ebfd', 'hex');
  const msg = Buffer.from(`${marker}\r\n\0`, 'latin1');
  if (code.length + msg.length > 510) throw new Error('marker too long for a boot sector');
  const img = Buffer.alloc(1_474_560);
  code.copy(img, 0);
  msg.copy(img, code.length); // the code's mov si points at 0x7c00 + 29, right after it
  img[510] = 0x55;
  img[511] = 0xaa;
  return img;
}
