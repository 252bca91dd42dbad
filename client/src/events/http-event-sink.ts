import { loadAxios } from '../lazy-deps.ts';
import type { EventSink } from './boot-events.ts';
import type { ClientEvent } from './client-event.ts';

export type Post = (url: string, body: ClientEvent, timeoutMs: number) => Promise<void>;

const axiosPost: Post = async (url, body, timeoutMs) => {
  // no proxy: the host is on the lab network, and a proxy variable in the environment must not reroute it
  await (await loadAxios()).post(url, body, { timeout: timeoutMs, proxy: false });
};

/**
 * Posts events to the host one at a time, in order. A boot never waits for it: send() only queues.
 * When the host does not answer, samples are merged (only the newest progress sample waits) and the
 * queue is bounded, so an unreachable host costs a little memory and nothing else; after a failed post
 * the next waits `retryMs`, so a dead host is not asked twice a second.
 */
export function httpEventSink(o: {
  url: string;
  timeoutMs?: number;
  retryMs?: number;
  maxQueue?: number;
  post?: Post;
  log?: (line: string) => void;
}): EventSink & { sent(): number; failed(): number } {
  const post = o.post ?? axiosPost;
  const timeoutMs = o.timeoutMs ?? 2000;
  const retryMs = o.retryMs ?? 5000;
  const maxQueue = o.maxQueue ?? 64;
  const queue: ClientEvent[] = [];
  let busy = false;
  let sent = 0;
  let failed = 0;
  let waiters: (() => void)[] = [];
  const idle = () => {
    if (busy || queue.length) return;
    for (const w of waiters) w();
    waiters = [];
  };
  const pump = async () => {
    if (busy) return;
    const next = queue.shift();
    if (!next) return idle();
    busy = true;
    try {
      await post(o.url, next, timeoutMs);
      sent++;
    } catch (e) {
      failed++;
      // one line on the first failure and then every 30th: the log is for people
      if (failed % 30 === 1) o.log?.(`events: the host did not take an event (${(e as Error).message})`);
      await new Promise((r) => setTimeout(r, retryMs).unref());
    } finally {
      busy = false;
    }
    void pump();
  };
  return {
    send(e) {
      const tail = queue.at(-1);
      if (e.kind === 'progress' && tail?.kind === 'progress' && tail.run === e.run)
        queue[queue.length - 1] = e;
      else queue.push(e);
      if (queue.length > maxQueue) {
        const sample = queue.findIndex((q) => q.kind === 'progress');
        queue.splice(sample >= 0 ? sample : 0, 1);
      }
      void pump();
    },
    flush(ms) {
      if (!busy && !queue.length) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        t.unref();
        waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    },
    sent: () => sent,
    failed: () => failed,
  };
}
