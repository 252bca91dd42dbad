import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { concatInitrds } from '../../tools/lab/concat-initrds.ts';
import { demoOsBytes, makeDemoEnv } from '../../tools/lab/make-demo-env.ts';
import { LabNet } from '../../tools/lab/netns.ts';
import { formatReport, type LabOptions, runLab } from '../../tools/lab/run-lab.ts';
import { type LabDhcp, siteDhcpFor } from '../../tools/lab/site-dhcp.ts';
import { dist } from '../../tools/lib/paths.ts';

/** One lab run in a fresh namespace and env, torn down whatever happens. */
export async function lab(
  name: string,
  o: Omit<LabOptions, 'env' | 'net' | 'logDir'> & {
    padMib: number;
    /** the menu's autoboot timeout (default 0: at once; -1: the menu waits) */
    timeout?: number;
    /** who answers DHCP; proxy and site start the site's server (tools/lab/site-dhcp.ts) */
    dhcp?: LabDhcp;
    /** the site server's log lines, when one runs */
    siteLog?: string[];
    defaultOs?: string;
    byMac?: Record<string, string>;
    /** runs before the host starts; what it returns runs after the lab, whatever happened */
    prepare?: (env: string, net: LabNet) => Promise<(() => Promise<void>) | undefined>;
  },
) {
  const net = new LabNet(`bt-${name}-${process.pid}`, '10.66.0');
  const env = await mkdtemp(path.join(tmpdir(), `bt-lab-${name}-`));
  let cleanup: (() => Promise<void>) | undefined;
  try {
    await makeDemoEnv({
      dir: env,
      net,
      timeout: o.timeout ?? 0,
      seedTime: 5,
      padMib: o.padMib,
      dhcp: o.dhcp,
      defaultOs: o.defaultOs,
      byMac: o.byMac,
    });
    const site = siteDhcpFor(o.dhcp ?? 'own', net, (l) => o.siteLog?.push(l));
    let prepared: (() => Promise<void>) | undefined;
    cleanup = async () => {
      await prepared?.();
      await site?.stop();
    };
    prepared = await o.prepare?.(env, net);
    // serial logs outlive the run (dist/ is not committed): a failed assertion can be read against them
    const logDir = dist('vm-logs', name);
    await rm(logDir, { recursive: true, force: true });
    const report = await runLab({ ...o, env, net, logDir });
    const osBytes = await demoOsBytes(env, o.defaultOs);
    console.log(formatReport(report, osBytes));
    return { report, osBytes };
  } finally {
    await cleanup?.();
    const left = await net.destroy();
    await rm(env, { recursive: true, force: true });
    assert.deepEqual(left, [], 'every process of the lab was stopped');
  }
}

/**
 * QEMU arguments that boot the built Phase 1 directly (no PXE ROM needed) with `env`'s torrents.gz, its
 * three initrds joined once into `dir`; `append` is the kernel command line.
 */
export async function directBootArgs(env: string, dir: string, append: string): Promise<string[]> {
  const initrd = path.join(dir, 'phase1-initrd.img');
  if (!existsSync(initrd))
    await concatInitrds(
      [
        dist('phase1', 'rootfs.gz'),
        dist('overlay', 'diff.gz'),
        path.join(env, 'out', 'dnsmasq', 'ph1', 'torrents.gz'),
      ],
      initrd,
    );
  return ['-kernel', dist('phase1', 'vmlinuz'), '-initrd', initrd, '-append', append];
}
