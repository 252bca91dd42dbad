#!/usr/bin/env node
// `npm run demo`: the QEMU lab. Builds what is missing, starts the host on a private bridge, PXE-boots
// N clients that fetch the demo OS over BitTorrent from the host and from each other, and kexec it.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dist } from '../lib/paths.ts';
import { parseOptionsOrExit } from '../lib/run-script.ts';
import { buildOverlay } from '../overlay/build-overlay.ts';
import { buildPhase1 } from '../phase1/build-phase1.ts';
import { buildQemuProfile } from '../phase1/qemu-profile.ts';
import { FIRMWARES, type Firmware } from './firmware.ts';
import { demoOsBytes, makeDemoEnv } from './make-demo-env.ts';
import { LabNet } from './netns.ts';
import { formatReport, type LabReport, runLab } from './run-lab.ts';
import { LAB_DHCPS, type LabDhcp, siteDhcpFor } from './site-dhcp.ts';

const USAGE = `usage: npm run demo -- [--clients N] [--seed-limit RATE] [--engine aria2|webtorrent] [--pad MIB] [--menu SECONDS] [--os NAME] [--firmware F[,F…]] [--dhcp own|proxy|site] [--keep] [--dashboard-port PORT]

  --clients     QEMU clients booting at once (default 2)
  --seed-limit  cap on the host seeder's upload, so clients visibly feed each other (default 2M)
  --engine      the clients' download engine (default aria2)
  --pad         size of the demo OS's padding in MiB (default 48)
  --menu        seconds the menu waits before autobooting (default 0: no menu)
  --os          what the clients boot: demo-linux (kexec, the default), tiny-linux, or bootsector (a guest
                run in qemu: the clients fetch Xorg and qemu, the qemu profile, over BitTorrent too)
  --firmware    the clients' firmware: bios (SeaBIOS + iPXE, the default), uefi (OVMF: shim → GRUB →
                Phase 1) or uefi-secure-boot (OVMF with Secure Boot on and Microsoft's keys); a list
                such as bios,uefi is handed out to the clients in turn
  --dhcp        who answers DHCP: own (the host, the default); proxy (a "site" DHCP server in the lab
                hands out addresses, the host answers PXE only, as beside a school's server); site (the
                site server names the host for PXE itself, README's recipe; the host answers no DHCP)
  --keep        after the clients boot, keep the host and the clients running (and the dashboard
                open) until Ctrl+C
  --dashboard-port  the host's dashboard on this machine: http://127.0.0.1:PORT/ (default 8000, or a
                free port when 8000 is taken); boottorrent status --url takes the same URL
  --quiet       print only the summary, not every client's console`;

const { values } = parseOptionsOrExit('demo', USAGE, {
  options: {
    clients: { type: 'string', default: '2' },
    'seed-limit': { type: 'string', default: '2M' },
    engine: { type: 'string', default: 'aria2' },
    pad: { type: 'string', default: '48' },
    menu: { type: 'string', default: '0' },
    os: { type: 'string', default: 'demo-linux' },
    firmware: { type: 'string', default: 'bios' },
    dhcp: { type: 'string', default: 'own' },
    quiet: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'dashboard-port': { type: 'string', default: '8000' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!['demo-linux', 'tiny-linux', 'bootsector'].includes(values.os)) {
  console.error(
    `demo: --os ${values.os} is not an OS of the demo (demo-linux, tiny-linux, bootsector)\n\n${USAGE}`,
  );
  process.exit(2);
}
const firmware = values.firmware.split(',') as Firmware[];
const unknownFw = firmware.find((f) => !FIRMWARES.includes(f));
if (unknownFw !== undefined) {
  console.error(`demo: --firmware ${unknownFw} is not one of ${FIRMWARES.join(', ')}\n\n${USAGE}`);
  process.exit(2);
}
const dhcp = values.dhcp as LabDhcp;
if (!LAB_DHCPS.includes(dhcp)) {
  console.error(`demo: --dhcp ${values.dhcp} is not one of ${LAB_DHCPS.join(', ')}\n\n${USAGE}`);
  process.exit(2);
}
const dashboardPort = Number(values['dashboard-port']);
if (!Number.isInteger(dashboardPort) || dashboardPort < 1 || dashboardPort > 65535) {
  console.error(
    `demo: --dashboard-port must be a port number, not "${values['dashboard-port']}"\n\n${USAGE}`,
  );
  process.exit(2);
}
const inQemu = values.os === 'bootsector';
if (process.getuid?.() !== 0) {
  console.error(
    'demo: the lab creates a network namespace and tap devices, which needs root (sudo npm run demo)',
  );
  process.exit(1);
}
if (
  !existsSync(dist('phase1', 'rootfs.gz')) ||
  !existsSync(dist('phase1', 'vmlinuz')) ||
  !existsSync(dist('phase1', 'efi', 'grubx64.efi'))
) {
  console.log('== building the Phase-1 base (npm run phase1)');
  await buildPhase1();
}
if (inQemu && !existsSync(dist('qemu-profile', 'qemu-profile.cpio.zst'))) {
  console.log('== building the qemu profile (part of npm run phase1)');
  await buildQemuProfile();
}
if (!existsSync(dist('overlay', 'diff.gz'))) {
  console.log('== building the overlay with bttui (npm run overlay)');
  await buildOverlay();
}

const net = new LabNet(`btlab-${process.pid}`, '10.55.0');
const env = dist('demo-env');
await mkdir(env, { recursive: true });
// Ctrl+C: stop waiting for the clients (or, with --keep, end the wait after them); runLab then stops
// the VMs and the host, and the namespace goes
const interrupt = new AbortController();
// `on`, not `once`: execa's exit hook re-raises a signal that no other listener is left to handle, which
// ended the demo before it stopped anything and left the namespace behind (seen with --keep)
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) return console.log('demo: still stopping the clients and the host');
  console.log('demo: interrupted, stopping the clients and the host');
  interrupt.abort();
});
let dashboardUrl = '';
let summarised = false;
const summary = async (r: LabReport) => {
  summarised = true;
  const osBytes = await demoOsBytes(env, values.os);
  console.log(`\n${formatReport(r, osBytes)}\nSerial logs: ${dist('demo-logs')}`);
};
let ok = false;
let site: { stop(): Promise<void> } | undefined;
try {
  await makeDemoEnv({
    dir: env,
    net,
    timeout: Number(values.menu),
    seedTime: 10,
    padMib: Number(values.pad),
    engine: values.engine === 'webtorrent' ? 'webtorrent' : 'aria2',
    defaultOs: values.os,
    dhcp,
  });
  site = siteDhcpFor(dhcp, net, (l) => values.quiet || console.log(`site | ${l}`));
  const clients = Number(values.clients);
  console.log(
    `== the lab: host ${net.hostIp} on ${net.bridge} in namespace ${net.ns}, ${clients} QEMU client(s), seeder capped at ${values['seed-limit']}${dhcp === 'own' ? '' : `, addresses from a site DHCP server at ${net.prefix}.254 (${dhcp === 'proxy' ? 'the host answers PXE as a proxy' : 'it names the host for PXE'})`}`,
  );
  const report = await runLab({
    env,
    net,
    clients,
    seedLimit: values['seed-limit'],
    firmware,
    budgetS: 300 + 60 * clients,
    until: /TARGET-OS-UP|QEMU-GUEST-UP/,
    // Phase 1, the OS, the qemu profile unpacked, Xorg and a nested qemu
    ...(inQemu ? { memoryMb: 1536 } : {}),
    logDir: dist('demo-logs'),
    signal: interrupt.signal,
    dashboardPort,
    onDashboard: (url) => {
      dashboardUrl = url;
      console.log(`== the dashboard: ${url}/  (or: node host/src/cli.ts status --url ${url})`);
    },
    ...(values.keep
      ? {
          hold: async (r: LabReport) => {
            if (interrupt.signal.aborted) return;
            await summary(r);
            console.log(
              `\n== the clients are up; the host keeps serving and the dashboard stays at ${dashboardUrl}/ — Ctrl+C ends the demo`,
            );
            await new Promise((r) => interrupt.signal.addEventListener('abort', r, { once: true }));
          },
        }
      : {}),
    onLine: values.quiet ? undefined : (who, line) => console.log(`${who.padEnd(5)}| ${line}`),
  });
  // with --keep it came before the wait, unless Ctrl+C came first
  if (!summarised) await summary(report);
  ok = report.clients.every((c) => c.target !== undefined);
  for (const c of report.clients) if (c.error) console.error(c.error);
} finally {
  await site?.stop();
  const left = await net.destroy();
  if (left.length) console.error(`demo: processes still in the namespace after stopping: ${left.join(' ')}`);
}
process.exit(ok ? 0 : 1);
