import { chromium } from 'playwright-core';
const url = process.argv[2]!;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1440, height: 820 } });
await page.goto(url);
for (let i = 0; i < 45; i++) {
  await new Promise((r) => setTimeout(r, 4000));
  await page.screenshot({ path: `/tmp/shots/s${String(i).padStart(2, '0')}.png` });
}
await browser.close();
