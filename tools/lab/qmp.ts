import net from 'node:net';

/**
 * One QMP command to a QEMU started with `-qmp unix:PATH,server=on,wait=off`: the greeting, the
 * capabilities handshake, the command, its answer. Bounded by `ms`.
 */
export function qmp(socket: string, execute: string, args?: unknown, ms = 10_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const s = net.connect(socket);
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`QMP ${execute}: no answer within ${ms / 1000} s`));
    }, ms);
    let buf = '';
    let step = 0;
    const done = (e: Error | undefined, v?: unknown) => {
      clearTimeout(timer);
      s.destroy();
      if (e) reject(e);
      else resolve(v);
    };
    s.on('error', (e) => done(e));
    s.on('data', (b) => {
      buf += b.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const msg = JSON.parse(buf.slice(0, nl)) as {
          QMP?: unknown;
          return?: unknown;
          error?: { desc: string };
        };
        buf = buf.slice(nl + 1);
        if (msg.error) return done(new Error(`QMP ${execute}: ${msg.error.desc}`));
        if (step === 0 && msg.QMP) {
          step = 1;
          s.write(`${JSON.stringify({ execute: 'qmp_capabilities' })}\n`);
        } else if (step === 1 && 'return' in msg) {
          step = 2;
          s.write(`${JSON.stringify({ execute, ...(args === undefined ? {} : { arguments: args }) })}\n`);
        } else if (step === 2 && 'return' in msg) return done(undefined, msg.return);
      }
    });
  });
}

/**
 * A key pressed and released on the console of `display` (a display device's id, e.g. a VGA with
 * id=video0): QEMU hands it to the keyboard bound to that display (`usb-kbd,display=video0`) alone.
 * QMP's qcodes: "down", "ret", "ctrl"…
 */
export async function pressKey(socket: string, display: string, key: string): Promise<void> {
  for (const down of [true, false])
    await qmp(socket, 'input-send-event', {
      device: display,
      events: [{ type: 'key', data: { down, key: { type: 'qcode', data: key } } }],
    });
}
