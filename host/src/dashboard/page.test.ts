import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { downloadEvent, serveDashboard } from './events.test-helpers.ts';
import { Room } from './room.ts';

// the page's DOM, as far as this test reads it (the project compiles without the DOM library)
declare const document: {
  getElementById(id: string): { textContent: string | null; hidden: boolean } | null;
  querySelectorAll(s: string): Iterable<{ textContent: string | null; className: string; title: string }>;
};

/** The dashboard's page in Debian's Chromium, against a room the test sets up (no clients needed). */
describe('the dashboard page in a browser', { timeout: 60_000 }, () => {
  const room = new Room({ ip: '127.0.0.1', seeder: 'aria2', startedAt: Date.now() });
  let dashboard: Awaited<ReturnType<typeof serveDashboard>> | undefined;
  let browser: Browser;
  let url: string;
  before(async () => {
    dashboard = await serveDashboard(room);
    url = `${dashboard.url}/`;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu'],
    });
  });
  after(async () => {
    await browser?.close();
    await dashboard?.close();
  });

  it('says nothing of the host’s components while they run, and says it when one died and is being started again', async () => {
    room.ready = true;
    room.applyComponent({ name: 'seeder', state: 'running', pid: 7, restarts: 0, since: Date.now() });
    const page = await browser.newPage();
    await page.goto(url);
    const line = () =>
      page.evaluate(() => {
        const el = document.getElementById('components');
        return { text: el?.textContent, hidden: el?.hidden };
      });
    await page.waitForFunction(() => document.getElementById('link')?.textContent !== 'connecting…');
    assert.deepEqual(await line(), { text: '', hidden: true });
    room.applyComponent({
      name: 'seeder',
      state: 'restarting',
      pid: undefined,
      restarts: 0,
      lastExit: 'SIGKILL',
      since: Date.now(),
    });
    await page.waitForFunction(() => !document.getElementById('components')?.hidden, undefined, {
      timeout: 5000,
    });
    assert.match(
      (await line()).text ?? '',
      /^seeder exited \(SIGKILL\) \d s ago and is being started again$/,
    );
    await page.close();
  });

  it('shows each client’s network card and link speed, and marks a link slower than the room’s fastest', async () => {
    room.applyEvent(
      downloadEvent({ label: 'a', mac: '52:54:00:00:00:01', link: { driver: 'igc', mbps: 1000 } }),
      '127.0.0.1',
      Date.now(),
    );
    room.applyEvent(
      downloadEvent({ label: 'b', mac: '52:54:00:00:00:02', link: { driver: 'r8169', mbps: 100 } }),
      '127.0.0.1',
      Date.now(),
    );
    room.applyEvent(
      downloadEvent({ label: 'c', mac: '52:54:00:00:00:03', link: { driver: 'virtio_net' } }),
      '127.0.0.1',
      Date.now(),
    );
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => [...document.querySelectorAll('td.nic')].length === 3, undefined, {
      timeout: 5000,
    });
    const cells = await page.evaluate(() =>
      [...document.querySelectorAll('td.nic')].map((td) => [td.textContent, td.className, td.title]),
    );
    assert.deepEqual(cells, [
      ['igc 1 Gb/s', 'nic', ''],
      ['r8169 100 Mb/s', 'nic slow', "slower than the room's 1 Gb/s: check its cable and switch port"],
      ['virtio_net', 'nic', ''],
    ]);
    await page.close();
  });
});
