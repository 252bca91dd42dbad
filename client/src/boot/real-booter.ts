import { existsSync } from 'node:fs';
import { access, copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { btError, fromThrown } from '../core/bt-error.ts';
import type { BootAction } from '../core/plan-boot.ts';
import { loadExeca } from '../lazy-deps.ts';
import type { Booter } from './booter.ts';
import { installProfile, profileMarker } from './install-profile.ts';
import { modulesFor, parseHardware } from './module-choice.ts';
import { startXorg } from './start-xorg.ts';
import { findDisplay, findInputs, xorgConfig } from './xorg-config.ts';

export interface Tools {
  kexec: string;
  qemu: string;
  xorg: string;
  insmod: string;
}

export const DEFAULT_TOOLS: Tools = {
  kexec: 'kexec',
  qemu: 'qemu-system-x86_64',
  xorg: 'Xorg',
  insmod: 'insmod',
};

/** Where the VM side of the client lives: the root the qemu profile is unpacked into, and sysfs. */
export interface Machine {
  system: string;
  sys: string;
  proc: string;
  /** a line for the person at the client (no KVM, …) */
  say: (line: string) => void;
}

export const THIS_MACHINE: Machine = { system: '/', sys: '/sys', proc: '/proc', say: () => {} };

/**
 * kexec_load by default (kexec copies the files into memory itself); under lockdown kexec_file_load
 * (`-s`), the only call a Secure Boot kernel allows, which verifies the new kernel's signature.
 */
export function kexecLoadArgs(a: Extract<BootAction, { kind: 'kexec' }>): string[] {
  return [
    ...(a.fileLoad ? ['-s'] : []),
    '-l',
    a.kernel,
    ...(a.initrd ? [`--initrd=${a.initrd}`] : []),
    `--append=${a.cmdline}`,
  ];
}

const NO_PROFILE =
  'Xorg and qemu come in the qemu profile: on the host, `npm run phase1` builds it and `boottorrent start` publishes it (a Phase-1 base of your own must carry them itself).';
const MISSING: Record<string, string> = {
  kexec: 'the Phase-1 system needs kexec-tools; rebuild it with `npm run phase1`.',
  qemu: NO_PROFILE,
  xorg: NO_PROFILE,
  insmod: 'the Phase-1 base needs busybox insmod.',
};

export function realBooter(
  tools: Tools = DEFAULT_TOOLS,
  log: (line: string) => void = () => {},
  machine: Machine = THIS_MACHINE,
): Booter {
  const run = async (
    which: keyof Tools,
    args: string[],
    opts: { cwd?: string; env?: Record<string, string> } = {},
  ) => {
    log(`run: ${tools[which]} ${args.join(' ')}`);
    const execa = await loadExeca();
    const r = await execa(tools[which], args, { reject: false, stdin: 'ignore', all: true, ...opts });
    if (r.code === 'ENOENT')
      return btError(`${tools[which]} is not on this Phase-1 system.`, MISSING[which]!);
    if (r.exitCode !== 0)
      return btError(
        `${tools[which]} failed (exit ${r.exitCode ?? r.signal}).`,
        'the reason is below; choose another OS or fix its config on the host.',
        r.all?.trim().slice(-400),
      );
    return undefined;
  };
  return {
    describe(a) {
      if (a.kind === 'kexec') return [`${tools.kexec} ${kexecLoadArgs(a).join(' ')}`, `${tools.kexec} -e`];
      return [
        ...(a.profile ? [`unpack ${a.profile.archive} into ${machine.system}`] : []),
        `${tools.xorg} -config ${path.join(machine.system, 'etc', 'X11', 'bttui-xorg.conf')} -displayfd 3 -nolisten tcp`,
        `DISPLAY=:0 ${tools.qemu} ${a.args.join(' ')}   (in ${a.cwd})`,
      ];
    },
    async load(a) {
      if (!a.fileLoad) return run('kexec', kexecLoadArgs(a));
      // kexec_file_load refuses a file some process has open for writing (ETXTBSY), and the engine, still
      // seeding, has; so the kernel reads copies, which go as soon as it holds them
      const copies = { kernel: `${a.kernel}.kexec`, initrd: a.initrd ? `${a.initrd}.kexec` : undefined };
      try {
        await copyFile(a.kernel, copies.kernel);
        if (a.initrd && copies.initrd) await copyFile(a.initrd, copies.initrd);
        const e = await run('kexec', kexecLoadArgs({ ...a, kernel: copies.kernel, initrd: copies.initrd }));
        // the kernel checks the new one's signature: a refusal is about trust, not the file
        if (e && /rejected|not permitted|permission denied|bad message/i.test(e.detail ?? ''))
          return btError(
            'Secure Boot is on, and this machine’s kernel refused the OS’s kernel (kexec -s checks its signature).',
            'under Secure Boot Phase 1 starts only kernels signed by a key it trusts (Debian’s are); sign this one, or switch Secure Boot off in the firmware.',
            e.detail,
          );
        return e;
      } catch (e) {
        return fromThrown('copy the kernel for kexec -s', e);
      } finally {
        for (const c of [copies.kernel, copies.initrd]) if (c) await rm(c, { force: true });
      }
    },
    async exec() {
      const e = await run('kexec', ['-e']);
      return (
        e ??
        btError(
          'kexec -e returned without booting the new kernel.',
          'this kernel cannot kexec; choose another OS.',
        )
      );
    },
    hasProfile: (infohash) =>
      access(profileMarker(machine.system, infohash)).then(
        () => true,
        () => false,
      ),
    async runVm(a) {
      const t0 = Date.now();
      if (a.profile) {
        machine.say('Unpacking Xorg and qemu (the qemu profile) into RAM');
        const bad = await installProfile(a.profile.archive, machine.system, a.profile.infohash);
        if (bad) return bad;
      }
      const t1 = Date.now();
      const loaded = await loadModules(machine, tools.insmod, log);
      machine.say(
        `Xorg and qemu ready: unpacked in ${((t1 - t0) / 1000).toFixed(1)} s, ` +
          `${loaded} kernel modules loaded in ${((Date.now() - t1) / 1000).toFixed(1)} s`,
      );
      const display = await findDisplay(machine.sys);
      machine.say(
        `Starting Xorg (${display === 'kms' ? 'KMS' : display === 'fbdev' ? 'framebuffer' : 'no display'}), then qemu`,
      );
      if (!display)
        return btError(
          'This machine shows no display Xorg could use (no KMS driver for its graphics, no firmware framebuffer).',
          'boot an OS that does not need qemu, or give this machine a graphics card Linux drives (Intel, QEMU, ASPEED, Matrox) or a VESA/UEFI framebuffer.',
        );
      const conf = path.join(machine.system, 'etc', 'X11', 'bttui-xorg.conf');
      await mkdir(path.dirname(conf), { recursive: true });
      await writeFile(conf, xorgConfig({ display, inputs: await findInputs(machine.sys) }));
      if (a.args.includes('kvm') && !existsSync(path.join(machine.system, 'dev', 'kvm')))
        machine.say(
          'No KVM on this machine (or it is off in the firmware): qemu emulates the CPU, which is slow.',
        );
      const x = await startXorg({ bin: tools.xorg, conf, log, missingHint: MISSING.xorg! });
      if ('error' in x) return x.error;
      try {
        return await run('qemu', a.args, { cwd: a.cwd, env: { DISPLAY: `:${x.display}` } });
      } finally {
        await x.stop();
      }
    },
  };
}

/** `sh -c` this with the insmod program and the modules: each failure is one line naming the module. */
const INSMOD_EACH =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's parameter expansion, not a template
  'insmod=$1; shift; for ko; do out=$("$insmod" "$ko" 2>&1) || { m=${ko##*/}; echo "insmod ${m%.ko}: $out"; }; done';

/** The profile's kernel modules, in its order, but the drivers of hardware this machine does not have. */
async function loadModules(machine: Machine, insmod: string, log: (l: string) => void): Promise<number> {
  const list = await readFile(path.join(machine.system, 'etc', 'bt', 'qemu-modules'), 'utf8').catch(() => '');
  const pciDir = path.join(machine.sys, 'bus', 'pci', 'devices');
  const pci = await Promise.all(
    (await readdir(pciDir).catch(() => [] as string[])).map(async (d) => ({
      class: await readFile(path.join(pciDir, d, 'class'), 'utf8').catch(() => ''),
      vendor: await readFile(path.join(pciDir, d, 'vendor'), 'utf8').catch(() => ''),
    })),
  );
  const cpuinfo = await readFile(path.join(machine.proc, 'cpuinfo'), 'utf8').catch(() => '');
  const mods = modulesFor(list.split('\n').filter(Boolean), parseHardware(pci, cpuinfo));
  if (!mods.length) return 0;
  // one shell runs every insmod: under emulation each spawn from Node costs ~0.1 s, a shell's fork less
  const execa = await loadExeca();
  const kos = mods.map((m) => path.join(machine.system, 'lib', 'modules', 'qemu-profile', `${m}.ko`));
  const r = await execa('sh', ['-c', INSMOD_EACH, 'sh', insmod, ...kos], {
    reject: false,
    all: true,
    stdin: 'ignore',
  });
  for (const line of String(r.all ?? r.code ?? '').split('\n')) if (line.trim()) log(line.trim());
  return mods.length;
}
