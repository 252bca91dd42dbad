#!/usr/bin/env node
// `npm run bench:uefi`: how a UEFI client's GRUB fetches Phase 1, over TFTP (what build writes without
// HTTP) against HTTP (with it), at a few link latencies, in one run; with --chains, also each firmware
// (BIOS, UEFI, UEFI + Secure Boot) with our own DHCP and as a proxy beside a site server. Each boot is
// one client in a lab namespace, from power-on to Phase 1's init; variants alternate, so a busy machine
// hurts all alike.
// The latency is QEMU's filter-buffer on the client's NIC: it holds every packet, both ways, and lets
// them go every INTERVAL µs, which is what a real switch and a real NIC's interrupt moderation add to a
// round trip and what TFTP's one-block-per-round-trip pays for each 1 KiB.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildEnv } from '../../host/src/shared.ts';
import { type Firmware, firmwareArgs } from '../lab/firmware.ts';
import { makeDemoEnv } from '../lab/make-demo-env.ts';
import { LabNet } from '../lab/netns.ts';
import { runLab } from '../lab/run-lab.ts';
import { siteDhcpFor } from '../lab/site-dhcp.ts';
import { dist } from '../lib/paths.ts';
import { parseOptionsOrExit } from '../lib/run-script.ts';
import { saveBenchResults } from './bench-results.ts';
import { median } from './median.ts';
import { grubCfgOverTftp, uefiStages } from './uefi-stages.ts';

const USAGE = `usage: npm run bench:uefi -- [--latency US[,US…]] [--boots N] [--chains]

  --latency  microseconds QEMU holds each packet of the client's NIC (default 0,100,300)
  --boots    boots per variant and latency, alternating (default 2; the median is reported)
  --chains   also BIOS, UEFI and UEFI + Secure Boot, own DHCP and proxy DHCP (HTTP, no added latency)
Results: a table here, and Markdown + JSON in dist/bench/.`;

const { values: o } = parseOptionsOrExit('bench:uefi', USAGE, {
  options: {
    latency: { type: 'string', default: '0,100,300' },
    boots: { type: 'string', default: '2' },
    chains: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (o.help) {
  console.log(USAGE);
  process.exit(0);
}
const latencies = o.latency.split(',').map(Number);
const boots = Number(o.boots);
if (latencies.some((l) => !Number.isInteger(l) || l < 0) || !Number.isInteger(boots) || boots < 1) {
  console.error(`bench:uefi: --latency takes whole microseconds, --boots a count\n\n${USAGE}`);
  process.exit(2);
}
if (process.getuid?.() !== 0) {
  console.error('bench:uefi: the lab creates a network namespace and tap devices, which needs root');
  process.exit(1);
}

type Via = 'TFTP' | 'HTTP';
interface Row {
  firmware: Firmware;
  dhcp: 'own' | 'proxy';
  via: Via;
  latencyUs: number;
  /** power-on → GRUB's first line (UEFI only) */
  grubS: number[];
  /** power-on → Phase 1's init */
  initS: number[];
}
const row = (firmware: Firmware, dhcp: Row['dhcp'], via: Via, latencyUs: number): Row => ({
  firmware,
  dhcp,
  via,
  latencyUs,
  grubS: [],
  initS: [],
});
const rows: Row[] = [
  ...latencies.flatMap((l) => [row('uefi', 'own', 'TFTP', l), row('uefi', 'own', 'HTTP', l)]),
  ...(o.chains
    ? [
        row('bios', 'own', 'HTTP', 0),
        row('uefi-secure-boot', 'own', 'HTTP', 0),
        row('bios', 'proxy', 'HTTP', 0),
        row('uefi', 'proxy', 'HTTP', 0),
        row('uefi-secure-boot', 'proxy', 'HTTP', 0),
      ]
    : []),
];
const envKey = (r: Row) => `${r.via}-${r.dhcp}`;

const BENCH = dist('bench', 'uefi');
const work = await mkdtemp(path.join(tmpdir(), 'bt-bench-uefi-'));
const net = { hostIp: '10.69.0.1', bridge: 'btbr0' as const, prefix: '10.69.0' };
try {
  const envs = new Map<string, string>();
  for (const r of rows) {
    if (envs.has(envKey(r))) continue;
    const env = path.join(work, envKey(r));
    envs.set(envKey(r), env);
    await makeDemoEnv({ dir: env, net, timeout: -1, seedTime: 0, padMib: 0, dhcp: r.dhcp });
    const b = await buildEnv(env);
    if (!b.ok) throw new Error(`the bench env did not build: ${JSON.stringify(b.problems)}`);
    const cfg = path.join(env, 'out', 'dnsmasq', 'ph1', 'grub', 'grub.cfg');
    if (r.via === 'TFTP') await writeFile(cfg, grubCfgOverTftp(await readFile(cfg, 'utf8')));
  }
  let n = 0;
  for (let round = 1; round <= boots; round++)
    for (const r of rows) {
      const lab = new LabNet(`bt-uefi-${process.pid}-${n++}`, net.prefix);
      const name = `${r.firmware}-${r.dhcp}-${r.via}-${r.latencyUs}`;
      const logDir = path.join(BENCH, 'logs', `${name}-${round}`);
      const site = siteDhcpFor(r.dhcp, lab, () => {});
      try {
        console.log(`== boot ${round} of ${boots}: ${name.replaceAll('-', ' ')} µs`);
        const report = await runLab({
          env: envs.get(envKey(r))!,
          net: lab,
          clients: 1,
          budgetS: 240,
          until: /BT-PHASE1: init on /,
          startArgs: ['--no-build'],
          logDir,
          clientArgs: (_i, nic) => [
            ...firmwareArgs(r.firmware, nic, logDir),
            ...(r.latencyUs
              ? ['-object', `filter-buffer,id=lat0,netdev=${nic.netdev},queue=all,interval=${r.latencyUs}`]
              : []),
          ],
        });
        const s = uefiStages(await readFile(path.join(logDir, 'vm1.log'), 'utf8'));
        if (s.init === undefined || (r.firmware !== 'bios' && s.grub === undefined))
          throw new Error(`${name}: no Phase 1\n${report.clients[0]?.lines.slice(-15).join('\n')}`);
        if (s.grub !== undefined) r.grubS.push(s.grub);
        r.initS.push(s.init);
      } finally {
        await site?.stop();
        const left = await lab.destroy();
        if (left.length) console.error(`warning: processes left in the lab: ${left.join(', ')}`);
      }
    }
} finally {
  await rm(work, { recursive: true, force: true });
}

const load = (r: Row) => median(r.initS) - median(r.grubS);
const tftp = (r: Row) =>
  rows.find(
    (t) => t.via === 'TFTP' && t.latencyUs === r.latencyUs && t.firmware === r.firmware && t.dhcp === r.dhcp,
  );
const table = [
  '| client | DHCP | latency | Phase 1 over | power-on → GRUB | GRUB → Phase 1 init | power-on → init | GRUB → init vs TFTP |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => {
    const uefi = r.grubS.length > 0;
    const base = tftp(r);
    return `| ${r.firmware} | ${r.dhcp} | ${r.latencyUs} µs | ${r.via} | ${uefi ? `${median(r.grubS).toFixed(1)} s` : '-'} | ${uefi ? `${load(r).toFixed(1)} s` : '-'} | ${median(r.initS).toFixed(1)} s | ${uefi && base ? `${(load(r) / load(base)).toFixed(2)} ×` : '-'} |`;
  }),
];
const notes = [
  '',
  `* one client (QEMU TCG; SeaBIOS + iPXE, or OVMF) in a lab namespace: PXE → pxelinux, or shim → GRUB, → Phase 1; proxy: a site DHCP server gives the address; median of ${boots} boot(s), variants alternating`,
  "* GRUB → Phase 1 init: GRUB reads the kernel and the three initrds, then the kernel boots to rcS's first line (the same ~5 s in both)",
  '* latency: QEMU filter-buffer on the client NIC, both ways (packets released every N µs)',
];
const text = [...table, ...notes].join('\n');
await saveBenchResults('uefi', text, rows);
