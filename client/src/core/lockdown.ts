/**
 * The kernel's lockdown mode, from /sys/kernel/security/lockdown ("none [integrity] confidentiality":
 * the bracketed one is in force). A Debian kernel booted under UEFI Secure Boot locks itself down, and
 * then refuses kexec_load: only kexec_file_load (`kexec -s`) of a kernel signed by a trusted key works.
 * No file (no securityfs, an older kernel): not locked down.
 */
export function lockedDown(text: string | undefined): boolean {
  const mode = text ? /\[(\w+)\]/.exec(text)?.[1] : undefined;
  return mode !== undefined && mode !== 'none';
}
