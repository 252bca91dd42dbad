import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { it } from 'node:test';
import { consoleSafe } from '../config/console-text.ts';
import { btError } from '../core/bt-error.ts';
import { plainUi } from './plain-ui.ts';
import { safeUi } from './safe-ui.ts';
import type { Ui } from './ui.ts';

const EVIL = 'Debian\x1b[2J\x1b]0;owned\x07 12\r';

it('consoleSafe shows control characters as \\xNN and keeps line feeds', () => {
  assert.equal(consoleSafe(`${EVIL}\n`), 'Debian\\x1b[2J\\x1b]0;owned\\x07 12\\x0d\n');
  assert.equal(consoleSafe('a\tb\u009bc'), 'a  b\\x9bc');
});

it('a label with escape sequences reaches the serial console as text, in the menu and in every message', async () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (b: Buffer) => {
    text += b.toString();
  });
  const input = new PassThrough();
  const ui = safeUi(plainUi(out, input));
  const failed = btError(`${EVIL}: download failed.`, 'try again.');
  ui.error(failed);
  const choice = ui.menu({
    title: 'BootTorrent',
    items: [{ name: 'debian', label: EVIL }],
    selected: 0,
    notice: failed,
  });
  input.write('1\n');
  assert.deepEqual(await choice, { kind: 'boot', name: 'debian' });
  ui.info(`${EVIL}: booting`);
  ui.progress({
    stage: 'download',
    dispname: EVIL,
    stats: { done: 1, total: 2, downSpeed: 0, upSpeed: 0, uploaded: 0, peers: 0 },
  });
  ui.close();
  assert.ok(![...text].some((c) => '\x1b\x07\r'.includes(c)), 'no raw control character reached the console');
  assert.match(text, /1\) Debian\\x1b\[2J\\x1b\]0;owned\\x07 12\\x0d/);
  assert.match(text, /Debian\\x1b\[2J.*: booting/);
  // the failure was printed once: the menu knows it is the same error
  assert.equal(text.split('download failed.').length - 1, 1);
});

it('whatever a UI is given passes consoleSafe first: menu title and labels, errors’ message, hint and detail, progress names and file paths, info lines', async () => {
  const seen: unknown[] = [];
  const recording: Ui = {
    menu: async (req) => {
      seen.push(req);
      return { kind: 'shell' };
    },
    progress: (p) => seen.push(p),
    info: (l) => seen.push(l),
    error: (e) => seen.push(e),
    close() {},
  };
  const ui = safeUi(recording);
  const e = btError(`${EVIL} message`, `${EVIL} hint`, `${EVIL} detail`);
  await ui.menu({ title: EVIL, items: [{ name: 'd', label: EVIL }], selected: 0, notice: e });
  ui.error(e);
  ui.info(EVIL);
  ui.progress({
    stage: 'download',
    dispname: EVIL,
    stats: {
      done: 1,
      total: 2,
      downSpeed: 0,
      upSpeed: 0,
      uploaded: 0,
      peers: 0,
      files: [{ path: `${EVIL}/vmlinuz`, done: 1, total: 2 }],
    },
  });
  const text = JSON.stringify(seen);
  assert.doesNotMatch(text, /\\u001b|\\u0007|\\r/, text);
  for (const part of ['message', 'hint', 'detail', '/vmlinuz'])
    assert.match(text, new RegExp(`x1b\\[2J.*${part}`));
});
