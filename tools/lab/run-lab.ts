import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import type { ClientRow, RowStage, Status } from '../../host/src/shared.ts';
import { type Firmware, firmwareArgs } from './firmware.ts';
import { readStatus } from './host-status.ts';
import { startNamespacedHost } from './namespaced-host.ts';
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
  /**
   * what ends a client's run: a marker on its serial console (the target OS's), or a condition on the
   * client's row in the host's dashboard (what bttui reported)
   */
  until: RegExp | { event: (row: ClientRow) => boolean };
  /** end at its n-th appearance instead of the first */
  untilCount?: number;
  /** each client's firmware, client i taking firmware[(i - 1) % length] (default: all BIOS) */
  firmware?: Firmware[];
  /**
   * a client's machine instead of its firmware's PXE boot (e.g. another NIC model, a direct kernel boot,
   * a USB keyboard): QEMU arguments for client i, whose NIC must use `nic.netdev` and `nic.mac`
   */
  clientArgs?: (i: number, nic: { netdev: string; mac: string }) => string[] | Promise<string[]>;
  /** each client's RAM (default 1024 MiB; an OS in qemu wants more) */
  memoryMb?: number;
  logDir: string;
  /** the dashboard's port on 127.0.0.1 (default: any free one) */
  dashboardPort?: number;
  /** told the dashboard's URL as soon as the host serves it */
  onDashboard?: (url: string) => void | Promise<void>;
  /** awaited after the clients are done, before anything stops (the demo's --keep) */
  hold?: (report: LabReport) => Promise<void>;
  onLine?: (who: string, line: string) => void;
  /** stops the run early (Ctrl+C in the demo); everything started is still stopped */
  signal?: AbortSignal;
}

export interface ClientReport {
  name: string;
  firmware: Firmware;
  /** seconds since power-on; undefined when not reached */
  phase1?: number;
  /** bttui's first event: its menu, or the start of its autoboot */
  menu?: number;
  downloadStart?: number;
  downloaded?: number;
  /** the target OS's first line: a kexec'd kernel's, or the guest's of an OS run in qemu */
  target?: number;
  booted?: 'kexec' | 'qemu';
  /** seconds since power-on at which the host's dashboard first saw each stage of the client */
  stages: Partial<Record<RowStage, number>>;
  fromHost?: number;
  fromPeers?: number;
  uploadedToPeers?: number;
  error?: string;
  lines: string[];
}

export interface LabReport {
  clients: ClientReport[];
  /** the seeder's own count */
  hostUploaded?: number;
  /** the host's dashboard as the clients left it */
  status?: Status;
  wallS: number;
}

/** The env's HTTP port, where its dashboard is (the lab's envs all serve HTTP). */
async function httpPort(env: string): Promise<number> {
  const doc = yaml.load(await readFile(path.join(env, 'Boottorrent.yaml'), 'utf8')) as {
    http?: { port?: number };
  };
  return doc?.http?.port ?? 8000;
}

const macOf = (i: number) => `52:54:00:12:34:${String(i).padStart(2, '0')}`;

/** Seconds after `t0` (ms) at which the row first entered `stage`. */
function firstAt(row: ClientRow | undefined, t0: number, ...stages: RowStage[]): number | undefined {
  const at = row?.stages.find((s) => stages.includes(s.stage))?.at;
  return at === undefined ? undefined : (at - t0) / 1000;
}

/**
 * The whole chain on one machine: `boottorrent start` on a bridge inside a namespace, N QEMU clients
 * PXE-booting from it, each followed on its serial console until `until` (or the budget runs out).
 * Everything it started is stopped by PID; the caller destroys the namespace.
 */
export async function runLab(o: LabOptions): Promise<LabReport> {
  await mkdir(o.logDir, { recursive: true });
  const t0 = Date.now();
  // the dashboard answers "ready" once every part of the host runs; a host that stops says why
  const host = await startNamespacedHost({
    net: o.net,
    env: o.env,
    args: [...(o.seedLimit ? ['--seed-limit', o.seedLimit] : []), ...(o.startArgs ?? [])],
    httpPort: await httpPort(o.env),
    ...(o.dashboardPort !== undefined ? { localPort: o.dashboardPort } : {}),
    readyMs: 120_000,
    onLine: (l) => o.onLine?.('host', l),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const vms: QemuVm[] = [];
  const aborted = new Promise<never>((_, reject) => {
    o.signal?.addEventListener('abort', () => reject(new Error('interrupted')), { once: true });
  });
  aborted.catch(() => {});
  try {
    const url = host.url;
    await o.onDashboard?.(url);
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
            ...(o.clientArgs
              ? await o.clientArgs(i, { netdev: 'n0', mac: macOf(i) })
              : firmwareArgs(firmwareOf(o, i), { netdev: 'n0', mac: macOf(i) }, o.logDir)),
          ],
          logFile: path.join(o.logDir, `vm${i}.log`),
          onLine: (vm, line) => o.onLine?.(vm, line),
        }),
      );
    }
    const until = o.until;
    const errors = await Promise.all(
      vms.map(async (vm, i) => {
        try {
          if (until instanceof RegExp)
            await Promise.race([vm.waitFor(until, o.budgetS * 1000, o.untilCount), aborted]);
          else
            await Promise.race([eventually(url, macOf(i + 1), until.event, o.budgetS * 1000, vm), aborted]);
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      }),
    );
    // the clients' own figures, as the host's dashboard has them (their last event was sent before kexec)
    const status = await readStatus(url);
    const reports = vms.map((vm, i): ClientReport => {
      const error = errors[i];
      const row = status?.clients.find((c) => c.mac === macOf(i + 1));
      const bttuiSpoke = row?.stages.find((s) => s.stage !== 'pxe')?.at;
      return {
        name: vm.name,
        firmware: firmwareOf(o, i + 1),
        phase1: vm.timeOf(/BT-PHASE1: init/),
        menu: bttuiSpoke === undefined ? undefined : (bttuiSpoke - vm.started) / 1000,
        downloadStart: firstAt(row, vm.started, 'download'),
        downloaded: firstAt(row, vm.started, 'verify'),
        stages: Object.fromEntries(
          (row?.stages ?? [])
            .filter((st, k, all) => all.findIndex((x) => x.stage === st.stage) === k)
            .map((st) => [st.stage, (st.at - vm.started) / 1000]),
        ),
        target: vm.timeOf(/TARGET-OS-UP|QEMU-GUEST-UP/),
        booted:
          vm.timeOf(/QEMU-GUEST-UP/) !== undefined
            ? 'qemu'
            : vm.timeOf(/TARGET-OS-UP/) !== undefined
              ? 'kexec'
              : undefined,
        // a client's sources count once it has its download (verify follows it)
        ...(row?.stages.some((s) => s.stage === 'verify')
          ? { fromHost: row.fromHost, fromPeers: row.fromPeers, uploadedToPeers: row.uploaded }
          : {}),
        ...(error ? { error } : {}),
        lines: vm.lines.map((l) => l.line),
      };
    });
    const report: LabReport = {
      clients: reports,
      wallS: (Date.now() - t0) / 1000,
      ...(status ? { status, hostUploaded: status.host.sent } : {}),
    };
    await o.hold?.(report);
    return report;
  } finally {
    await Promise.all(vms.map((v) => v.stop()));
    await host.stop();
  }
}

/** Polls the dashboard until the client's row satisfies `ok`, its VM ends, or the budget runs out. */
async function eventually(
  url: string,
  mac: string,
  ok: (row: ClientRow) => boolean,
  budgetMs: number,
  vm: QemuVm,
): Promise<void> {
  let vmEnded = false;
  void vm.exited.then(() => {
    vmEnded = true;
  });
  for (const until = Date.now() + budgetMs; Date.now() < until && !vmEnded; ) {
    const row = (await readStatus(url))?.clients.find((c) => c.mac === mac);
    if (row && ok(row)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${vm.name}: bttui did not report what was awaited within ${budgetMs / 1000} s`);
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
