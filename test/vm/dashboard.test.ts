import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { Status } from '../../host/src/shared.ts';
import { readStatus } from '../../tools/lab/host-status.ts';
import { demoOsBytes, makeDemoEnv } from '../../tools/lab/make-demo-env.ts';
import { LabNet } from '../../tools/lab/netns.ts';
import { formatReport, type LabReport, runLab } from '../../tools/lab/run-lab.ts';
import { dist } from '../../tools/lib/paths.ts';

// what an env could carry in an OS label: markup that would run if the page ever put it in as HTML
const HOSTILE = `Demo <img src=x onerror="document.title='pwned'"><script>document.title='pwned'</script>`;
const STAGE_ORDER = ['pxe', 'menu', 'download', 'verify', 'load', 'seed', 'boot'];

// the page's DOM, as far as this test reads it (the project compiles without the DOM library)
interface El {
  textContent: string | null;
  dataset: Record<string, string | undefined>;
  querySelector(selector: string): El | null;
}
declare const document: {
  title: string;
  getElementById(id: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El>;
};

/** What the page shows, read from its DOM as a person would see it. */
function readPage(page: Page) {
  return page.evaluate(() => ({
    title: document.title,
    images: document.querySelectorAll('img, script:not([src])').length,
    hostSent: Number(document.getElementById('t-host')?.dataset.bytes),
    peersSent: Number(document.getElementById('t-peers')?.dataset.bytes),
    link: document.getElementById('link')?.textContent,
    rows: Array.from(document.querySelectorAll('#clients tbody tr')).map((tr) => ({
      mac: tr.dataset.mac ?? '',
      stage: tr.dataset.stage ?? '',
      os: tr.querySelector('td.os')?.textContent,
      nic: tr.querySelector('td.nic')?.textContent,
    })),
  }));
}

describe(
  'the dashboard in a real browser while two QEMU clients boot with WebTorrent',
  { timeout: 900_000 },
  () => {
    it('rows appear, stages advance, the host total is the seeder’s count, and a hostile label is shown as text', async () => {
      const net = new LabNet(`bt-dash-${process.pid}`, '10.67.0');
      const env = await mkdtemp(path.join(tmpdir(), 'bt-lab-dash-'));
      const logDir = dist('vm-logs', 'dashboard');
      await rm(logDir, { recursive: true, force: true });
      await mkdir(logDir, { recursive: true });
      let browser: Browser | undefined;
      let page: Page | undefined;
      // every poll of the page, per client: the stages seen, in order
      const seen = new Map<string, string[]>();
      let polling: NodeJS.Timeout | undefined;
      let final: Awaited<ReturnType<typeof readPage>> | undefined;
      let report: LabReport | undefined;
      let seederLogged = -1;
      let dashUrl = '';
      // the room once the seeder's count stopped moving (it reaches the dashboard a second or two late)
      let settled: Status | undefined;
      try {
        // WebTorrent, the engine the other VM tests do not use: the page must not care which one reports
        await makeDemoEnv({ dir: env, net, timeout: 0, seedTime: 5, padMib: 16, engine: 'webtorrent' });
        const config = path.join(env, 'oss', 'demo-linux', 'config.yaml');
        await writeFile(
          config,
          (await readFile(config, 'utf8')).replace(/^dispname: .*$/m, `dispname: ${JSON.stringify(HOSTILE)}`),
        );
        report = await runLab({
          env,
          net,
          clients: 2,
          seedLimit: '1M',
          budgetS: 360,
          until: /TARGET-OS-UP/,
          logDir,
          onDashboard: async (url) => {
            dashUrl = url;
            browser = await chromium.launch({
              executablePath: '/usr/bin/chromium',
              // root in a container: Chromium's sandbox needs user namespaces it may not get
              args: ['--no-sandbox', '--disable-gpu'],
            });
            page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
            await page.goto(`${url}/`);
            polling = setInterval(async () => {
              const now = await readPage(page!).catch(() => undefined);
              for (const r of now?.rows ?? []) {
                const list = seen.get(r.mac) ?? [];
                if (list.at(-1) !== r.stage) list.push(r.stage);
                seen.set(r.mac, list);
              }
            }, 300);
          },
          // the clients are up; the host still serves: read the page as the run ended
          hold: async () => {
            clearInterval(polling);
            // until the count stops moving and the host's log has caught up with it (a line at most every 10 s)
            let last = -1;
            for (const until = Date.now() + 40_000; !settled && Date.now() < until; ) {
              await new Promise((r) => setTimeout(r, 2500));
              const st = await readStatus(dashUrl);
              const log = await readFile(path.join(env, 'out', 'logs', 'host.log'), 'utf8');
              seederLogged = Number([...log.matchAll(/seeder +\| uploaded (\d+) bytes in all/g)].at(-1)?.[1]);
              if (st && st.host.sent === last && seederLogged === last) settled = st;
              last = st?.host.sent ?? -1;
            }
            // the stream pushed it since (once a second)
            final = await readPage(page!);
            await page!.screenshot({ path: path.join(logDir, 'dashboard.png'), fullPage: true });
          },
        });
        console.log(formatReport(report, await demoOsBytes(env)));
      } finally {
        clearInterval(polling);
        await browser?.close();
        const left = await net.destroy();
        await rm(env, { recursive: true, force: true });
        assert.deepEqual(left, [], 'every process of the lab was stopped');
      }
      for (const c of report.clients) assert.equal(c.error, undefined, c.lines.slice(-20).join('\n'));
      assert.ok(final, 'the page was read');
      assert.equal(final.link, 'live');
      // a row per client, by its MAC, each at the point of no return
      assert.deepEqual(
        final.rows.map((r) => [r.mac, r.stage]),
        [
          ['52:54:00:12:34:01', 'boot'],
          ['52:54:00:12:34:02', 'boot'],
        ],
      );
      for (const [mac, stages] of seen) {
        const order = stages.map((s) => STAGE_ORDER.indexOf(s));
        assert.ok(
          order.every((o, i) => o >= 0 && (i === 0 || o > order[i - 1]!)),
          `${mac}: the stages went forward: ${stages.join(' → ')}`,
        );
        assert.ok(stages.includes('download') && stages.at(-1) === 'boot', `${mac}: ${stages.join(' → ')}`);
      }
      // the label, markup and all, as text; nothing of it ran
      for (const r of final.rows) assert.equal(r.os, HOSTILE);
      // the card each client booted over, as its /sys said (QEMU's virtio-net gives no link speed)
      for (const r of final.rows) assert.equal(r.nic, 'virtio_net', r.mac);
      assert.equal(final.images, 0, 'no element was made from the label');
      assert.equal(final.title, 'BootTorrent — the room');
      // the host's total is the seeder's own count, the same the JSON and the host log carry
      assert.ok(settled, 'the seeder’s count settled');
      assert.equal(final.hostSent, settled.host.sent);
      assert.ok(final.hostSent > 0);
      assert.equal(final.hostSent, seederLogged, 'the seeder’s last count in out/logs/host.log');
      assert.equal(final.peersSent, settled.totals.peersSent);
      // with the host capped at 1 MiB/s, the clients fed each other
      assert.ok(final.peersSent > 0, 'the clients sent each other bytes');
    });
  },
);
