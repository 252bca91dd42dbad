import { createInterface, type Interface } from 'node:readline';
import { type BtError, formatBtError } from '../core/bt-error.ts';
import { progressLine } from './format.ts';
import type { MenuChoice, MenuRequest, ProgressView, Ui } from './ui.ts';

/**
 * Line-by-line output for a serial console or no TTY at all: no cursor movement, nothing a log file
 * would garble. Choices are typed as a number or a name; with no input at all only autoboot works.
 */
export function plainUi(
  out: NodeJS.WritableStream = process.stdout,
  input: NodeJS.ReadableStream = process.stdin,
): Ui {
  let rl: Interface | undefined;
  let lastProgress = 0;
  let lastLine = '';
  let lastStage = '';
  let lastError: BtError | undefined;
  const say = (l: string): void => {
    out.write(`${l}\n`);
  };
  return {
    menu(req: MenuRequest): Promise<MenuChoice> {
      // a failure was just printed by error(); the menu repeats it only when it was not
      if (req.notice && req.notice !== lastError) say(`!! ${formatBtError(req.notice, '   ')}`);
      say(`== ${req.title}`);
      for (const [i, it] of req.items.entries())
        say(`  ${i + 1}) ${it.label}${i === req.selected ? '  [default]' : ''}`);
      say('Type a number and Enter to boot it, or "shell".');
      return new Promise((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        const finish = (c: MenuChoice) => {
          if (timer) clearInterval(timer);
          rl?.removeAllListeners('line');
          resolve(c);
        };
        if (req.countdown) {
          let left = req.countdown.seconds;
          const target = req.countdown.name;
          say(`Booting ${label(req, target)} in ${left} s (type anything to stop the timer)`);
          timer = setInterval(() => {
            left--;
            if (left <= 0) finish({ kind: 'boot', name: target });
            else if (left % 5 === 0) say(`Booting ${label(req, target)} in ${left} s`);
          }, 1000);
        }
        rl ??= createInterface({ input, terminal: false });
        rl.on('line', (line) => {
          const t = line.trim();
          if (timer) {
            clearInterval(timer);
            timer = undefined;
            say('Timer stopped.');
          }
          if (t === 'shell') return finish({ kind: 'shell' });
          const n = Number(t);
          const item = Number.isInteger(n) && n >= 1 ? req.items[n - 1] : req.items.find((i) => i.name === t);
          if (item) finish({ kind: 'boot', name: item.name });
          else if (t) say(`"${t}" is not on the menu; type 1 to ${req.items.length}.`);
        });
      });
    },
    progress(p: ProgressView) {
      // at every stage change, then at most every 2 s while something moves and every 15 s while
      // nothing does: readable on a 115200-baud serial port and in a log
      const now = Date.now();
      const line = progressLine(p);
      const quietFor = line === lastLine ? 15_000 : 2000;
      if (p.stage === lastStage && now - lastProgress < quietFor) return;
      lastProgress = now;
      lastStage = p.stage;
      lastLine = line;
      say(line);
    },
    info: say,
    error(e: BtError) {
      lastError = e;
      say(`!! ${formatBtError(e, '   ')}`);
      if (e.detail) say(`   (${e.detail.split('\n').slice(-3).join(' / ')})`);
    },
    close() {
      rl?.close();
    },
  };
}

function label(req: MenuRequest, name: string): string {
  return req.items.find((i) => i.name === name)?.label ?? name;
}
