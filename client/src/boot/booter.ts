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
  runVm(action: Extract<BootAction, { kind: 'qemu' }>): Promise<BtError | undefined>;
}
