import type { Component } from './component.ts';

/** What the console and the dashboard are told about one of the host's components. */
export interface ComponentState {
  name: string;
  state: 'running' | 'restarting';
  pid: number | undefined;
  /** how many times it was started again since the host started */
  restarts: number;
  /** how it ended the last time, e.g. "SIGKILL" or "code 1" */
  lastExit?: string;
  /** host ms of the last change */
  since: number;
}

export interface Backoff {
  /** the first wait before a start again; each quick death in a row doubles it */
  firstMs: number;
  maxMs: number;
  /** a component that ran this long before it died starts again after firstMs */
  steadyMs: number;
}

export const BACKOFF: Backoff = { firstMs: 1000, maxMs: 30_000, steadyMs: 60_000 };

export interface Supervised {
  readonly name: string;
  state(): ComponentState;
  /** stops it and any start again that was waiting; resolves once it is gone */
  stop(): Promise<void>;
}

/** How a component ended, in a word a person reads. */
export function exitWords(r: { code?: number; signal?: string; failedToStart?: string }): string {
  if (r.failedToStart) return `could not start: ${r.failedToStart}`;
  return r.signal ?? `code ${r.code}`;
}

/**
 * Runs a component and starts it again whenever it dies, after a wait that doubles with each quick death
 * (1 s, 2 s, 4 s … at most 30 s) and starts over once it has run a minute: a room mid-boot keeps its
 * DHCP, tracker and HTTP when the seeder dies, and gets its seeder back. Every death and start is said
 * through `log`, and `onChange` gets the state for the dashboard.
 */
export async function supervise(o: {
  name: string;
  start: () => Component | Promise<Component>;
  log: (line: string) => void;
  onChange?: (s: ComponentState) => void;
  backoff?: Backoff;
  now?: () => number;
}): Promise<Supervised> {
  const b = o.backoff ?? BACKOFF;
  const now = o.now ?? Date.now;
  let current = await o.start();
  let stopped = false;
  let wake: (() => void) | undefined;
  let state: ComponentState = { name: o.name, state: 'running', pid: current.pid, restarts: 0, since: now() };
  const change = (s: Partial<ComponentState>) => {
    state = { ...state, ...s, since: now() };
    o.onChange?.(state);
  };
  o.onChange?.(state);
  const loop = (async () => {
    let wait = b.firstMs;
    for (;;) {
      const startedAt = now();
      const r = await current.exited;
      if (stopped) return;
      const ran = now() - startedAt;
      wait = ran >= b.steadyMs ? b.firstMs : wait;
      const words = exitWords(r);
      o.log(
        `${o.name} exited (${words}) after ${(ran / 1000).toFixed(1)} s; starting it again in ${(wait / 1000).toFixed(0)} s (the others keep serving)`,
      );
      change({ state: 'restarting', pid: undefined, lastExit: words });
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = undefined;
      if (stopped) return;
      wait = Math.min(b.maxMs, wait * 2);
      try {
        current = await o.start();
      } catch (e) {
        // a start that throws is a death like any other: wait, and try again
        current = {
          name: o.name,
          pid: undefined,
          exited: Promise.resolve({
            code: undefined,
            signal: undefined,
            failedToStart: (e as Error).message,
          }),
          stop: async () => {},
        };
        continue;
      }
      o.log(`${o.name} started again (pid ${current.pid}), restart ${state.restarts + 1}`);
      change({ state: 'running', pid: current.pid, restarts: state.restarts + 1 });
    }
  })();
  return {
    name: o.name,
    state: () => state,
    async stop() {
      stopped = true;
      wake?.();
      await current.stop();
      await loop;
    },
  };
}
