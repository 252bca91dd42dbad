import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readStatus } from '../../tools/lab/host-status.ts';
import { pressKey } from '../../tools/lab/qmp.ts';
import { dist } from '../../tools/lib/paths.ts';
import { directBootArgs, lab } from '../helpers/vm-lab.ts';

describe('a client whose only working keyboard is USB', { timeout: 600_000 }, () => {
  it('keys sent to the USB keyboard alone move the menu on tty1 and boot the OS chosen (the second, not the default)', async () => {
    let env = '';
    const logs = dist('vm-logs', 'usbkbd');
    const qmpSocket = path.join(logs, 'qmp.sock');
    let pressed = '';
    let keyError: unknown;
    // a key that cannot be sent ends the run at once, rather than at the budget
    const stop = new AbortController();
    const run = lab('usbkbd', {
      clients: 1,
      padMib: 0,
      timeout: -1,
      budgetS: 400,
      until: /TARGET-OS-UP/,
      prepare: async (e) => {
        env = e;
        return undefined;
      },
      // once bttui says it shows its menu: down, then Enter, on the USB keyboard only (QEMU's PS/2
      // keyboard is there too, as on a PC, and gets nothing)
      signal: stop.signal,
      onDashboard: (url) => {
        void (async () => {
          for (
            const until = Date.now() + 300_000;
            Date.now() < until;
            await new Promise((r) => setTimeout(r, 500))
          ) {
            const row = (await readStatus(url))?.clients.find((c) => c.mac === '52:54:00:12:34:01');
            if (row?.stage !== 'menu') continue;
            // blessed reads the keys once the menu is drawn; the event is sent just before
            await new Promise((r) => setTimeout(r, 3000));
            for (const k of ['down', 'ret']) await pressKey(qmpSocket, 'video0', k);
            pressed = 'down ret';
            return;
          }
        })().catch((e: unknown) => {
          keyError = e;
          stop.abort();
        });
      },
      clientArgs: async (_i, nic) => {
        return [
          // tty1 last: the console bttui takes is the PC's screen, where keyboards type
          ...(await directBootArgs(env, logs, 'console=ttyS0,115200 console=tty1 quiet')),
          '-device',
          `virtio-net-pci,netdev=${nic.netdev},mac=${nic.mac},romfile=`,
          // QMP sends keys to a display (video0); QEMU hands them to the keyboard bound to it, the USB one,
          // and to the PS/2 keyboard only when none is bound
          '-vga',
          'none',
          '-device',
          'VGA,id=video0',
          '-device',
          'qemu-xhci,id=xhci',
          '-device',
          'usb-kbd,id=kbd0,bus=xhci.0,display=video0',
          '-qmp',
          `unix:${qmpSocket},server=on,wait=off`,
        ];
      },
    });
    const { report } = await run.catch((e: unknown) => {
      throw keyError ?? e;
    });
    if (keyError) throw keyError;
    const c = report.clients[0]!;
    assert.equal(pressed, 'down ret', 'the menu was shown and the keys were sent');
    assert.equal(c.error, undefined, c.lines.slice(-20).join('\n'));
    assert.match(c.lines.find((l) => /TARGET-OS-UP/.test(l)) ?? '', /TARGET-OS-UP tiny-linux/);
  });
});
