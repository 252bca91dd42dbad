import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';

export interface VmSpec {
  name: string;
  /** qemu arguments after the common ones (boot source, NIC) */
  args: string[];
  memoryMb?: number;
  /** run inside this network namespace (ip netns exec) */
  netns?: string;
  /** every serial line goes here too, with a timestamp */
  logFile?: string;
  onLine?: (vm: string, line: string, t: number) => void;
}

/**
 * One QEMU client with its serial console on stdout. TCG always: KVM hangs on the machines this runs
 * on, and a Debian kernel still reaches init in ~5 s. Lines are kept so tests can wait for markers.
 */
export class QemuVm {
  readonly name: string;
  readonly lines: { t: number; line: string }[] = [];
  readonly started = Date.now();
  readonly exited: Promise<unknown>;
  #child: ResultPromise;
  #waiters: { re: RegExp; resolve: (l: string) => boolean }[] = [];

  constructor(spec: VmSpec) {
    this.name = spec.name;
    const qemu = [
      'qemu-system-x86_64',
      '-accel',
      'tcg',
      '-m',
      String(spec.memoryMb ?? 1024),
      '-smp',
      '1',
      '-nographic',
      '-no-reboot',
      ...spec.args,
    ];
    const [cmd, ...args] = spec.netns ? ['ip', 'netns', 'exec', spec.netns, ...qemu] : qemu;
    this.#child = execa(cmd!, args, {
      reject: false,
      stdin: 'ignore',
      buffer: false,
      cleanup: true,
      forceKillAfterDelay: 5000,
    });
    const log = spec.logFile ? createWriteStream(spec.logFile) : undefined;
    createInterface({ input: this.#child.stdout! }).on('line', (raw) => {
      // the serial console carries CRs and terminal escapes; keep the text
      // (CSI sequences, and two-byte ones such as ESC c, the reset SeaBIOS leaves before init's first line)
      // biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escapes is the point
      const line = raw.replace(/\x1b(\[[0-9;?]*[ -/]*[@-~]|[@-Z\\-_a-z])/g, '').replace(/\r/g, '');
      const t = (Date.now() - this.started) / 1000;
      this.lines.push({ t, line });
      log?.write(`${t.toFixed(2).padStart(7)} ${line}\n`);
      spec.onLine?.(this.name, line, t);
      for (const w of [...this.#waiters]) {
        if (w.re.test(line) && w.resolve(line)) this.#waiters.splice(this.#waiters.indexOf(w), 1);
      }
    });
    createInterface({ input: this.#child.stderr! }).on('line', (l) => log?.write(`qemu: ${l}\n`));
    this.exited = this.#child.then(() => log?.end());
  }

  /**
   * The `count`-th serial line matching `re` (already seen or still to come), or an error after `ms`.
   * A count above 1 proves what happened between: e.g. a failure, the menu, the retry, the failure again.
   */
  waitFor(re: RegExp, ms: number, count = 1): Promise<string> {
    const seen = this.lines.filter((l) => re.test(l.line));
    if (seen.length >= count) return Promise.resolve(seen[count - 1]!.line);
    let left = count - seen.length;
    return new Promise((resolve, reject) => {
      const w = {
        re,
        resolve: (l: string) => {
          if (--left > 0) return false;
          clearTimeout(timer);
          resolve(l);
          return true;
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        const tail = this.lines
          .slice(-15)
          .map((l) => `  ${l.line}`)
          .join('\n');
        reject(new Error(`${this.name}: no line matching ${re} within ${ms / 1000} s; last lines:\n${tail}`));
      }, ms);
      this.#waiters.push(w);
    });
  }

  /** When (seconds since start) the first line matching `re` appeared. */
  timeOf(re: RegExp): number | undefined {
    return this.lines.find((l) => re.test(l.line))?.t;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  async stop(): Promise<void> {
    // SIGKILL follows 5 s later if qemu is still there (forceKillAfterDelay)
    this.#child.kill('SIGTERM');
    await this.exited;
  }
}
