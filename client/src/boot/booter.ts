import type { BtError } from '../core/bt-error.ts';
import type { BootAction } from '../core/plan-boot.ts';

/**
 * The machine-changing steps, apart from everything else so the flow runs in tests with a fake.
 * load() and runVm() are recoverable; exec() is the point of no return and resolves only on failure.
 */
export interface Booter {
  /** the command lines load and exec would run, for --dry-run and the log */
  describe(action: BootAction): string[];
  load(action: Extract<BootAction, { kind: 'kexec' }>): Promise<BtError | undefined>;
  exec(): Promise<BtError>;
  /**
   * Unpacks the qemu profile if the action brings one, loads its modules, starts Xorg on the display the
   * machine has, runs qemu; resolves when qemu exits.
   */
  runVm(action: Extract<BootAction, { kind: 'qemu' }>): Promise<BtError | undefined>;
  /** whether the qemu profile of this infohash is already unpacked here (an earlier VM brought it) */
  hasProfile(infohash: string): Promise<boolean>;
}
