import blessed from 'blessed';
import { type BtError, formatBtError } from '../core/bt-error.ts';
import { bytes, eta, percent, rate } from './format.ts';
import { installTerminfoFallback } from './terminfo-fallback.ts';
import type { MenuChoice, MenuRequest, ProgressView, Ui } from './ui.ts';

const percentOf = (done: number, total: number) => `${total > 0 ? Math.floor((done / total) * 100) : 100}%`;
const HELP = '↑/↓ choose   Enter boot   Ctrl+C stop the timer   Ctrl+S shell';

/** The full-screen menu and progress view on the Linux console (TERM=linux, no terminfo on disk). */
export function blessedUi(): Ui {
  installTerminfoFallback(blessed as unknown as Parameters<typeof installTerminfoFallback>[0]);
  const screen = blessed.screen({
    smartCSR: true,
    title: 'BootTorrent',
    fullUnicode: false,
    autoPadding: true,
  });
  const header = blessed.box({
    parent: screen,
    top: 0,
    left: 0,
    width: '100%',
    height: 1,
    content: ' BootTorrent',
    style: { fg: 'black', bg: 'cyan' },
  });
  const notice = blessed.box({
    parent: screen,
    top: 2,
    left: 2,
    width: '100%-4',
    height: 3,
    tags: false,
    style: { fg: 'red' },
  });
  const list = blessed.list({
    parent: screen,
    top: 'center',
    left: 'center',
    width: 50,
    height: 10,
    border: { type: 'line' },
    label: ' Operating systems ',
    keys: true,
    vi: false,
    style: { selected: { fg: 'black', bg: 'green' }, border: { fg: 'cyan' } },
  });
  const timer = blessed.box({
    parent: screen,
    bottom: 4,
    left: 'center',
    width: 60,
    height: 1,
    align: 'center',
    style: { fg: 'yellow' },
  });
  const progress = blessed.box({
    parent: screen,
    top: 'center',
    left: 'center',
    width: 70,
    height: 13,
    border: { type: 'line' },
    hidden: true,
  });
  const bar = blessed.progressbar({
    parent: progress,
    top: 1,
    left: 1,
    width: '100%-4',
    height: 1,
    orientation: 'horizontal',
    filled: 0,
    style: { bar: { bg: 'green' } },
    ch: ' ',
  });
  const details = blessed.box({ parent: progress, top: 3, left: 1, width: '100%-4', height: 8 });
  const logBox = blessed.log({
    parent: screen,
    bottom: 1,
    left: 1,
    width: '100%-2',
    height: 3,
    style: { fg: 'white' },
  });
  const help = blessed.box({
    parent: screen,
    bottom: 0,
    left: 0,
    width: '100%',
    height: 1,
    content: ` ${HELP}`,
    style: { fg: 'black', bg: 'white' },
  });
  void header;
  void help;

  const showNotice = (e?: BtError) => notice.setContent(e ? formatBtError(e, '') : '');

  return {
    menu(req: MenuRequest): Promise<MenuChoice> {
      progress.hide();
      list.show();
      showNotice(req.notice);
      list.setItems(req.items.map((i) => i.label));
      list.height = Math.min(req.items.length + 2, 14);
      list.select(req.selected);
      list.focus();
      return new Promise((resolve) => {
        let left = req.countdown?.seconds ?? 0;
        let tick: NodeJS.Timeout | undefined;
        const label = req.items.find((i) => i.name === req.countdown?.name)?.label;
        const stopTimer = () => {
          if (tick) clearInterval(tick);
          tick = undefined;
          timer.setContent('');
          screen.render();
        };
        const finish = (c: MenuChoice) => {
          stopTimer();
          list.removeListener('select', onSelect);
          screen.unkey('C-c', stopTimer);
          screen.unkey('C-s', onShell);
          resolve(c);
        };
        const onSelect = (_: unknown, i: number) => finish({ kind: 'boot', name: req.items[i]!.name });
        const onShell = () => finish({ kind: 'shell' });
        list.on('select', onSelect);
        screen.key('C-c', stopTimer);
        screen.key('C-s', onShell);
        if (req.countdown) {
          const show = () => timer.setContent(`Booting ${label} in ${left} s`);
          show();
          tick = setInterval(() => {
            left--;
            if (left <= 0) return finish({ kind: 'boot', name: req.countdown!.name });
            show();
            screen.render();
          }, 1000);
          // moving in the list is a person at the keyboard: the timer gives way
          list.once('keypress', (_: unknown, key: { name?: string; ctrl?: boolean }) => {
            if (key.name === 'up' || key.name === 'down') stopTimer();
          });
        }
        screen.render();
      });
    },
    progress(p: ProgressView) {
      list.hide();
      timer.setContent('');
      progress.show();
      const s = p.stats;
      progress.setLabel(` ${p.dispname} `);
      bar.setProgress(p.stage === 'download' ? percent(s) : 100);
      const lines = {
        download: [
          `Downloading: ${percent(s)}%  ${bytes(s.done)} of ${bytes(s.total)}`,
          `${rate(s.downSpeed)} down   ${rate(s.upSpeed)} up   ${s.peers} peers   ETA ${eta(s)}`,
        ],
        seed: [
          `Seeding to the other clients: ${p.seedLeft} s left`,
          `uploaded ${bytes(s.uploaded)}   ${rate(s.upSpeed)}   ${s.peers} peers`,
        ],
        verify: ["Checking every file against the host's checksums…"],
        load: ['Loading the kernel…'],
        vm: [
          'Running in a virtual machine; seeding meanwhile',
          `uploaded ${bytes(s.uploaded)}   ${s.peers} peers`,
        ],
      }[p.stage];
      // per file, while downloading: a few lines are enough to see which part is still coming
      const files =
        p.stage === 'download'
          ? (s.files ?? []).slice(0, 5).map((f) => `  ${percentOf(f.done, f.total).padStart(4)}  ${f.path}`)
          : [];
      details.setContent([...lines, ...(files.length > 1 ? ['', ...files] : [])].join('\n'));
      screen.render();
    },
    info(line: string) {
      logBox.log(line);
      screen.render();
    },
    error(e: BtError) {
      showNotice(e);
      logBox.log(`error: ${e.message}`);
      screen.render();
    },
    close() {
      screen.destroy();
    },
  };
}
