import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { PROJECT_ROOT } from '../../host/src/build/phase1-files.ts';
import { type Firmware, firmwareArgs } from './firmware.ts';
import type { LabNet } from './netns.ts';
import { QemuVm } from './qemu-vm.ts';

const firmwareOf = (o: LabOptions, i: number): Firmware =>
  o.firmware?.[(i - 1) % o.firmware.length] ?? 'bios';

export interface LabOptions {
  env: string;
  net: LabNet;
  clients: number;
  /** host seeder upload cap, e.g. "2M": clients then feed each other */
  seedLimit?: string;
  /** extra `boottorrent start` arguments */
  startArgs?: string[];
  /** seconds a client may take from power-on to its target marker */
  budgetS: number;
  /** the marker that ends a client's run */
  until: RegExp;
  /** end at its n-th appearance instead of the first */
  untilCount?: number;
  /** each client's firmware, client i taking firmware[(i - 1) % length] (default: all BIOS) */
  firmware?: Firmware[];
  /** each client's RAM (default 1024 MiB; an OS in qemu wants more) */
  memoryMb?: number;
  logDir: string;
  onLine?: (who: string, line: string) => void;
  /** stops the run early (Ctrl+C in the demo); everything started is still stopped */
  signal?: AbortSignal;
}

export interface ClientReport {
  name: string;
  firmware: Firmware;
  /** seconds since power-on; undefined when not reached */
  phase1?: number;
  /** bttui's menu, or its autoboot line where the menu would be */
  menu?: number;
  downloadStart?: number;
  downloaded?: number;
  /** the target OS's first line: a kexec'd kernel's, or the guest's of an OS run in qemu */
  target?: number;
  booted?: 'kexec' | 'qemu';
  fromHost?: number;
  fromPeers?: number;
  uploadedToPeers?: number;
  error?: string;
  lines: string[];
}

export interface LabReport {
  clients: ClientReport[];
  hostUploaded?: number;
  wallS: number;
}

/** What bttui prints first: its menu's title, or `Booting <os> (<why>)` when it autoboots. */
export const MENU_LINE = /^== |^Booting .+ \(.+\)$/;

/**
 * The whole chain on one machine: `boottorrent start` on a bridge inside a namespace, N QEMU clients
 * PXE-booting from it, each followed on its serial console until `until` (or the budget runs out).
 * Everything it started is stopped by PID; the caller destroys the namespace.
 */
export async function runLab(o: LabOptions): Promise<LabReport> {
  await mkdir(o.logDir, { recursive: true });
  const t0 = Date.now();
  let hostOut = '';
  const host: ResultPromise = execa(
    'ip',
    [
      'netns',
      'exec',
      o.net.ns,
      process.execPath,
      path.join(PROJECT_ROOT, 'host', 'src', 'cli.ts'),
      'start',
      o.env,
      ...(o.seedLimit ? ['--seed-limit', o.seedLimit] : []),
      ...(o.startArgs ?? []),
    ],
    { reject: false, all: true, stdin: 'ignore', buffer: false },
  );
  host.all!.on('data', (b: Buffer) => {
    hostOut += b.toString();
    for (const l of b.toString().split('\n').filter(Boolean)) o.onLine?.('host', l);
  });
  const vms: QemuVm[] = [];
  const aborted = new Promise<never>((_, reject) => {
    o.signal?.addEventListener('abort', () => reject(new Error('interrupted')), { once: true });
  });
  aborted.catch(() => {});
  try {
    for (let waited = 0; !/Ctrl\+C stops everything/.test(hostOut); waited += 100) {
      if (o.signal?.aborted) throw new Error('interrupted');
      if (waited > 120_000 || /boottorrent( start)?: /.test(hostOut))
        throw new Error(`the host did not start:\n${hostOut}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    for (let i = 1; i <= o.clients; i++) {
      const tap = o.net.addTap(`tap${i}`);
      vms.push(
        new QemuVm({
          name: `vm${i}`,
          netns: o.net.ns,
          ...(o.memoryMb ? { memoryMb: o.memoryMb } : {}),
          args: [
            '-netdev',
            `tap,id=n0,ifname=${tap},script=no,downscript=no`,
            ...firmwareArgs(
              firmwareOf(o, i),
              { netdev: 'n0', mac: `52:54:00:12:34:${String(i).padStart(2, '0')}` },
              o.logDir,
            ),
          ],
          logFile: path.join(o.logDir, `vm${i}.log`),
          onLine: (vm, line) => o.onLine?.(vm, line),
        }),
      );
    }
    const reports = await Promise.all(
      vms.map(async (vm, i): Promise<ClientReport> => {
        let error: string | undefined;
        try {
          await Promise.race([vm.waitFor(o.until, o.budgetS * 1000, o.untilCount), aborted]);
        } catch (e) {
          error = (e as Error).message;
        }
        const first = (re: RegExp) => vm.lines.map((l) => re.exec(l.line)).find(Boolean);
        const up = first(/uploaded .* \((\d+) bytes\) to other clients/);
        const got = first(
          /received .* \((\d+) bytes\) from the host and .* \((\d+) bytes\) from other clients/,
        );
        return {
          name: vm.name,
          firmware: firmwareOf(o, i + 1),
          phase1: vm.timeOf(/BT-PHASE1: init/),
          menu: vm.timeOf(MENU_LINE),
          downloadStart: vm.timeOf(/: fetching \d+ file/),
          downloaded: vm.timeOf(/: downloaded .* in [\d.]+ s$/),
          target: vm.timeOf(/TARGET-OS-UP|QEMU-GUEST-UP/),
          booted:
            vm.timeOf(/QEMU-GUEST-UP/) !== undefined
              ? 'qemu'
              : vm.timeOf(/TARGET-OS-UP/) !== undefined
                ? 'kexec'
                : undefined,
          fromHost: got ? Number(got[1]) : undefined,
          fromPeers: got ? Number(got[2]) : undefined,
          uploadedToPeers: up ? Number(up[1]) : undefined,
          ...(error ? { error } : {}),
          lines: vm.lines.map((l) => l.line),
        };
      }),
    );
    return { clients: reports, wallS: (Date.now() - t0) / 1000, ...lastHostFigures(hostOut) };
  } finally {
    await Promise.all(vms.map((v) => v.stop()));
    host.kill('SIGTERM');
    await host;
  }
}

function lastHostFigures(out: string): { hostUploaded?: number } {
  const ups = [...out.matchAll(/seeder +\| uploaded (\d+) bytes in all/g)];
  return ups.length ? { hostUploaded: Number(ups.at(-1)![1]) } : {};
}

/** The demo's closing table: per client, when each stage was reached, and who fed whom. */
export function formatReport(r: LabReport, osBytes: number): string {
  const s = (t?: number) => (t === undefined ? '     -' : `${t.toFixed(1).padStart(5)} s`);
  const mib = (n?: number) => (n === undefined ? '      -' : `${(n / 1048576).toFixed(1).padStart(5)} MiB`);
  const lines = [
    'client  firmware          Phase 1   menu      download start → done   target OS  by      from host   from clients   uploaded to clients',
    ...r.clients.map(
      (c) =>
        `  ${c.name.padEnd(5)} ${c.firmware.padEnd(16)}${s(c.phase1)}   ${s(c.menu)}   ${s(c.downloadStart)} → ${s(c.downloaded)}     ${s(c.target)}  ${(c.booted ?? '-').padEnd(5)}  ${mib(c.fromHost)}    ${mib(c.fromPeers)}      ${mib(c.uploadedToPeers)}${c.error ? '   FAILED' : ''}`,
    ),
  ];
  const done = r.clients.filter((c) => c.downloaded !== undefined).length;
  if (r.hostUploaded !== undefined && done > 0) {
    const received = done * osBytes;
    const fromPeers = Math.max(0, received - r.hostUploaded);
    lines.push(
      `The ${done} client(s) received ${mib(received).trim()} of OS files; the host's seeder sent ${mib(r.hostUploaded).trim()}, ` +
        `so ${mib(fromPeers).trim()} (${Math.round((fromPeers / received) * 100)} %) came from the clients themselves.`,
    );
  }
  lines.push(
    `Wall time: ${r.wallS.toFixed(0)} s. (With aria2, a client's split by source is estimated from per-peer speeds.)`,
  );
  return lines.join('\n');
}
