import { execa } from 'execa';
import { btError } from '../core/bt-error.ts';
import { LIMITS } from '../core/limits.ts';
import type { BootAction } from '../core/plan-boot.ts';
import type { Booter } from './booter.ts';

export interface Tools {
  kexec: string;
  qemu: string;
  xorg: string;
}

export const DEFAULT_TOOLS: Tools = { kexec: 'kexec', qemu: 'qemu-system-x86_64', xorg: 'Xorg' };

/** kexec_load (not -s/kexec_file_load): it copies the kernel into memory, so the seeder holding the file open is harmless. */
export function kexecLoadArgs(a: Extract<BootAction, { kind: 'kexec' }>): string[] {
  return ['-l', a.kernel, ...(a.initrd ? [`--initrd=${a.initrd}`] : []), `--append=${a.cmdline}`];
}

const MISSING: Record<string, string> = {
  kexec: 'Hint: the Phase-1 system needs kexec-tools; rebuild it with `npm run phase1`.',
  qemu: 'Hint: ISO and disk images need the Phase-1 qemu profile: `npm run phase1 -- --with-qemu`.',
  xorg: 'Hint: ISO and disk images need the Phase-1 qemu profile: `npm run phase1 -- --with-qemu`.',
};

export function realBooter(tools: Tools = DEFAULT_TOOLS, log: (line: string) => void = () => {}): Booter {
  const run = async (
    which: keyof Tools,
    args: string[],
    opts: { cwd?: string; env?: Record<string, string> } = {},
  ) => {
    log(`run: ${tools[which]} ${args.join(' ')}`);
    const r = await execa(tools[which], args, { reject: false, stdin: 'ignore', all: true, ...opts });
    if (r.code === 'ENOENT')
      return btError(`${tools[which]} is not on this Phase-1 system.`, MISSING[which]!);
    if (r.exitCode !== 0)
      return btError(
        `${tools[which]} failed (exit ${r.exitCode ?? r.signal}).`,
        'Hint: the reason is below; choose another OS or fix its config on the host.',
        r.all?.trim().slice(-400),
      );
    return undefined;
  };
  return {
    describe(a) {
      if (a.kind === 'kexec') return [`${tools.kexec} ${kexecLoadArgs(a).join(' ')}`, `${tools.kexec} -e`];
      return [
        `${tools.xorg} :0 -displayfd 3 -nolisten tcp`,
        `DISPLAY=:0 ${tools.qemu} ${a.args.join(' ')}   (in ${a.cwd})`,
      ];
    },
    load: (a) => run('kexec', kexecLoadArgs(a)),
    async exec() {
      const e = await run('kexec', ['-e']);
      return (
        e ??
        btError(
          'kexec -e returned without booting the new kernel.',
          'Hint: this kernel cannot kexec; choose another OS.',
        )
      );
    },
    async runVm(a) {
      const x = await startXorg(tools.xorg, log);
      if ('error' in x) return x.error;
      try {
        return await run('qemu', a.args, { cwd: a.cwd, env: { DISPLAY: `:${x.display}` } });
      } finally {
        await x.stop();
      }
    },
  };
}

/** Starts Xorg and waits until it says (via -displayfd) which display is ready, within a bound. */
async function startXorg(bin: string, log: (l: string) => void) {
  log(`run: ${bin} -displayfd 3 -nolisten tcp`);
  const child = execa(bin, ['-displayfd', '3', '-nolisten', 'tcp'], {
    reject: false,
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    buffer: false,
  });
  const fd3 = child.stdio[3] as NodeJS.ReadableStream;
  let said = '';
  const ready = new Promise<string | undefined>((resolve) => {
    fd3.on('data', (b: Buffer) => {
      said += b.toString();
      if (said.includes('\n')) resolve(said.trim());
    });
    void child.then(() => resolve(undefined));
    setTimeout(() => resolve(undefined), LIMITS.xorgStartupMs).unref();
  });
  const display = await ready;
  const stop = async () => {
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 3000);
    await child;
    clearTimeout(t);
  };
  if (display === undefined || !/^\d+$/.test(display)) {
    const r = await Promise.race([child, new Promise((r) => setTimeout(r, 10))]);
    await stop();
    if (r && (r as { code?: string }).code === 'ENOENT')
      return { error: btError(`${bin} is not on this Phase-1 system.`, MISSING.xorg!) };
    return {
      error: btError(
        'The graphical display (Xorg) did not start.',
        "Hint: this machine's graphics may need another driver; see Xorg.0.log.",
      ),
    };
  }
  return { display, stop };
}
