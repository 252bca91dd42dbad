import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from './temp-dir.ts';

/**
 * A folder of fake kexec / qemu-system-x86_64 / Xorg that record how they were called (one line per
 * call: cwd, DISPLAY, then the arguments, tab-separated) and succeed; put it first on PATH.
 * `only` adds real tools by symlink, for a PATH made of this folder alone.
 */
export async function fakeTools(
  opts: { omit?: string[]; failing?: string[]; link?: string[]; failWith?: string } = {},
) {
  const dir = await tempDir('bt-fake-');
  const bin = path.join(dir, 'bin');
  await mkdir(bin);
  const calls = path.join(dir, 'calls.log');
  await writeFile(calls, '');
  const seen = path.join(dir, 'seen.log');
  await writeFile(seen, '');
  // insmod too: a module load that reached this machine's kernel would be a test gone very wrong
  const tools = ['kexec', 'qemu-system-x86_64', 'Xorg', 'insmod'].filter((t) => !opts.omit?.includes(t));
  for (const t of tools) {
    const fail = opts.failing?.includes(t);
    // Xorg announces its display on the -displayfd descriptor, as the real one does when ready
    const body = [
      '#!/bin/sh',
      `printf '%s\\t%s\\t%s' "${t}" "$PWD" "\${DISPLAY:-}" >> '${calls}'`,
      `for a in "$@"; do printf '\\t%s' "$a" >> '${calls}'; done; echo >> '${calls}'`,
      // kexec: which files it was given existed when it ran (kexec -s reads copies that go right after)
      t === 'kexec'
        ? `for a in "$@"; do f="\${a#--initrd=}"; [ -f "$f" ] && echo "$f" >> '${seen}'; done`
        : '',
      // a failing Xorg writes its log where -logfile says, as the real one does, and never says a display
      t === 'Xorg' && fail
        ? 'while [ $# -gt 0 ]; do [ "$1" = -logfile ] && echo "(EE) no screens found(EE)" > "$2"; shift; done'
        : '',
      t === 'Xorg' && !fail ? 'echo 0 >&3; trap "exit 0" TERM; while :; do sleep 0.1; done' : '',
      fail ? `echo "${t}: ${opts.failWith ?? 'Cannot load kernel: Invalid argument'}" >&2; exit 1` : 'exit 0',
    ].join('\n');
    await writeFile(path.join(bin, t), `${body}\n`);
    await chmod(path.join(bin, t), 0o755);
  }
  for (const real of opts.link ?? []) await symlink(real, path.join(bin, path.basename(real)));
  return {
    dir,
    bin,
    /** the files kexec's arguments named that existed while it ran */
    async filesSeen(): Promise<string[]> {
      return (await readFile(seen, 'utf8')).split('\n').filter(Boolean);
    },
    async calls(): Promise<string[][]> {
      return (await readFile(calls, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t'));
    },
  };
}

/** /proc and /sys stand-ins: a kernel command line, MemAvailable, one NIC with a MAC, a KMS card, an input device. */
export async function fakeMachine(
  o: {
    cmdline?: string;
    memAvailableKb?: number;
    mac?: string;
    noDisplay?: boolean;
    lockdown?: boolean;
  } = {},
) {
  const dir = await tempDir('bt-machine-');
  const proc = path.join(dir, 'proc');
  const sys = path.join(dir, 'sys');
  await mkdir(proc);
  await mkdir(path.join(sys, 'class', 'net', 'eth0'), { recursive: true });
  // a graphics card with a KMS driver, as QEMU's std VGA with bochs: Xorg gets modesetting
  if (!o.noDisplay) await mkdir(path.join(sys, 'class', 'drm', 'card0'), { recursive: true });
  await mkdir(path.join(sys, 'class', 'input', 'event0'), { recursive: true });
  await writeFile(path.join(proc, 'cmdline'), `${o.cmdline ?? 'console=ttyS0 quiet'}\n`);
  await writeFile(
    path.join(proc, 'meminfo'),
    `MemTotal: 4000000 kB\nMemFree: 3000000 kB\nMemAvailable: ${o.memAvailableKb ?? 3500000} kB\n`,
  );
  await writeFile(path.join(sys, 'class', 'net', 'eth0', 'address'), `${o.mac ?? '52:54:00:12:34:01'}\n`);
  // what a Debian kernel booted under UEFI Secure Boot shows
  if (o.lockdown) {
    await mkdir(path.join(sys, 'kernel', 'security'), { recursive: true });
    await writeFile(path.join(sys, 'kernel', 'security', 'lockdown'), 'none [integrity] confidentiality\n');
  }
  return { dir, proc, sys };
}
