import type { BtError } from '../core/bt-error.ts';
import type { BootAction } from '../core/plan-boot.ts';

/**
 * The machine-changing steps, apart from everything else so the flow runs in tests with a fake.
 * load() and runVm() are recoverable; exec() is the point of no return and resolves only on failure.
 * --dry-run and --no-exec are wrappers of a Booter (as u-root's WithDryRun), not flags in the flow.
 */
export interface Booter {
  /** the command lines load and exec would run, for --dry-run and the log */
  describe(action: BootAction): string[];
  load(action: Extract<BootAction, { kind: 'kexec' }>): Promise<BtError | undefined>;
  /** never returns when it works; undefined: stopped on purpose before the point of no return (--no-exec) */
  exec(): Promise<BtError | undefined>;
  /**
   * Unpacks the qemu profile if the action brings one, loads its modules, starts Xorg on the display the
   * machine has, runs qemu; resolves when qemu exits.
   */
  runVm(action: Extract<BootAction, { kind: 'qemu' }>): Promise<BtError | undefined>;
  /** whether the qemu profile of this infohash is already unpacked here (an earlier VM brought it) */
  hasProfile(infohash: string): Promise<boolean>;
}

/** --no-exec: everything up to, not including, the point of no return; the files stay in RAM. */
export function noExecBooter(b: Booter, say: (line: string) => void): Booter {
  return {
    ...b,
    async exec() {
      say('--no-exec: stopping before kexec -e');
      return undefined;
    },
  };
}

/** --dry-run: download and verify for real, then say what would be loaded and run, and change nothing. */
export function dryRunBooter(b: Booter, say: (line: string) => void): Booter {
  const would = (line: string) => say(`dry run, would run: ${line}`);
  let loaded: string | undefined;
  return {
    ...b,
    async load(a) {
      const [load, exec] = b.describe(a);
      would(load!);
      loaded = exec;
      return undefined;
    },
    async exec() {
      if (loaded) would(loaded);
      return undefined;
    },
    async runVm(a) {
      for (const line of b.describe(a)) would(line);
      return undefined;
    },
  };
}
