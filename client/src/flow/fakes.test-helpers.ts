import type { Booter } from '../boot/booter.ts';
import { type BtError, btError } from '../core/bt-error.ts';
import type { BootAction } from '../core/plan-boot.ts';
import type { DownloadEngine, Transfer, TransferStats } from '../engines/engine.ts';
import { bootEvents, type EventSink } from '../events/boot-events.ts';
import type { ClientEvent } from '../events/client-event.ts';
import type { MenuChoice, MenuRequest, ProgressView, Ui } from '../ui/ui.ts';
import type { Clock } from './watch-transfer.ts';

/** A clock whose sleeps pass at once and advance its time: minutes of waiting run in microseconds. */
export function fakeClock(timeline?: string[]): Clock & { t: number } {
  const c = {
    t: 0,
    now: () => c.t,
    sleep: async (ms: number) => {
      c.t += ms;
      timeline?.push(`sleep ${ms}`);
      // a macrotask, not a microtask: a flow that never ends must still let a test's timeout fire
      await new Promise((r) => setImmediate(r));
    },
  };
  return c;
}

/** An engine whose transfers follow a script of `done` byte counts, one per tick, then complete (or not). */
export function fakeEngine(script: {
  steps: number[];
  total: number;
  fail?: BtError;
  completes?: boolean;
  /** repeat the steps for ever instead of holding the last one */
  cycle?: boolean;
  /** pieces that fail their hash at each tick (a corrupt peer) */
  failedPerTick?: number;
  /** peers connected (2 unless said) */
  peers?: number;
  /** what the engine sees of the swarm */
  swarms?: TransferStats['swarms'];
  /** shared with the booter and clock: the order in which things happened */
  timeline?: string[];
}) {
  const started: { torrentFile: string; dataDir: string }[] = [];
  let stops = 0;
  const engine: DownloadEngine = {
    name: 'fake',
    async start(job) {
      started.push(job);
      let i = 0;
      let settle: { resolve: () => void; reject: (e: BtError) => void } | undefined;
      const complete = new Promise<void>((resolve, reject) => {
        settle = { resolve, reject };
      });
      complete.catch(() => {});
      const t: Transfer = {
        complete,
        stats(): TransferStats {
          const at = script.cycle ? i++ % script.steps.length : Math.min(i++, script.steps.length - 1);
          const done = script.steps[at] ?? 0;
          if (done >= script.total && script.completes !== false) settle!.resolve();
          if (script.fail && i > script.steps.length) settle!.reject(script.fail);
          return {
            done,
            total: script.total,
            downSpeed: 1,
            upSpeed: 0,
            uploaded: 7,
            peers: script.peers ?? 2,
            failedPieces: i * (script.failedPerTick ?? 0),
            ...(script.swarms ? { swarms: script.swarms } : {}),
          };
        },
        async stop() {
          stops++;
          script.timeline?.push('stop');
        },
      };
      return t;
    },
  };
  return { engine, started, stops: () => stops };
}

export function fakeBooter(
  o: { loadError?: BtError; vmError?: BtError; profileInstalled?: boolean; timeline?: string[] } = {},
) {
  const calls: string[] = [];
  const record = (c: string) => {
    calls.push(c);
    o.timeline?.push(c);
  };
  const booter: Booter = {
    hasProfile: async () => o.profileInstalled ?? false,
    describe: (a: BootAction) =>
      a.kind === 'kexec' ? [`kexec -l ${a.kernel}`, 'kexec -e'] : [`qemu ${a.args.join(' ')}`],
    async load(a) {
      record(`load${a.fileLoad ? ' -s' : ''} ${a.kernel} ${a.initrd ?? '-'} ${a.cmdline}`);
      return o.loadError;
    },
    async exec() {
      record('exec');
      return btError('kexec -e returned', 'fake');
    },
    async runVm(a) {
      record(`vm ${a.cwd} ${a.args.join(' ')}${a.profile ? ` (unpack ${a.profile.archive})` : ''}`);
      return o.vmError;
    },
  };
  return { booter, calls };
}

/** A UI that answers menus from a list and records everything shown. */
export function fakeUi(answers: MenuChoice[]) {
  const menus: MenuRequest[] = [];
  const info: string[] = [];
  const errors: BtError[] = [];
  const progress: ProgressView[] = [];
  const ui: Ui = {
    async menu(req) {
      menus.push(req);
      const a = answers.shift();
      if (!a) throw new Error('the flow asked for a menu the test did not expect');
      return a;
    },
    progress: (p) => progress.push(p),
    info: (l) => info.push(l),
    error: (e) => errors.push(e),
    close() {},
  };
  return { ui, menus, info, errors, progress };
}

/** The real event builder over a sink that records: what the host would have been sent, in order. */
export function fakeEvents(timeline?: string[]) {
  const sent: ClientEvent[] = [];
  const sink: EventSink = {
    send(e) {
      sent.push(e);
      timeline?.push(`event ${e.kind === 'stage' ? e.stage : 'sample'}`);
    },
    async flush() {
      timeline?.push('flush');
    },
  };
  const events = bootEvents(sink, {
    mac: '52:54:00:00:00:01',
    run: 'r1',
    hostIp: '10.0.0.1',
    engine: 'fake',
  });
  return { events, sent, stages: () => sent.filter((e) => e.kind === 'stage').map((e) => e.stage) };
}
