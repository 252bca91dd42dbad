import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Component } from './component.ts';
import { type ComponentState, supervise } from './supervise.ts';

/** Components that die when told; each start is recorded. */
function fakes() {
  const started: { die: (signal: string) => void; stopped: boolean }[] = [];
  let failNext = false;
  const start = (): Component => {
    if (failNext) {
      failNext = false;
      throw new Error('spawn aria2c ENOENT');
    }
    let die!: (signal: string) => void;
    const exited = new Promise<{ code: number | undefined; signal: string | undefined }>((r) => {
      die = (signal) => r({ code: undefined, signal });
    });
    const me = { die, stopped: false };
    started.push(me);
    return {
      name: 'seeder',
      pid: 1000 + started.length,
      exited,
      stop: async () => {
        me.stopped = true;
        die('SIGTERM');
      },
    };
  };
  const failOnce = () => {
    failNext = true;
  };
  return { start, started, failOnce };
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the host starts a component that died again, and keeps the rest serving', () => {
  it('a dead seeder is started again after the back-off, said in the log and in its state', async () => {
    const f = fakes();
    const log: string[] = [];
    const states: ComponentState[] = [];
    const s = await supervise({
      name: 'seeder',
      start: f.start,
      log: (l) => log.push(l),
      onChange: (x) => states.push(x),
      backoff: { firstMs: 20, maxMs: 80, steadyMs: 10_000 },
    });
    f.started[0]!.die('SIGKILL');
    await tick(5);
    assert.equal(s.state().state, 'restarting');
    assert.equal(s.state().lastExit, 'SIGKILL');
    assert.match(
      log[0]!,
      /^seeder exited \(SIGKILL\) after 0\.0 s; starting it again in 0 s \(the others keep serving\)$/,
    );
    await tick(40);
    assert.equal(f.started.length, 2, 'started again');
    assert.deepEqual([s.state().state, s.state().pid, s.state().restarts], ['running', 1002, 1]);
    assert.match(log[1]!, /^seeder started again \(pid 1002\), restart 1$/);
    assert.deepEqual(
      states.map((x) => x.state),
      ['running', 'restarting', 'running'],
    );
    await s.stop();
    assert.ok(f.started[1]!.stopped);
  });

  it('quick deaths in a row wait longer each time, up to the bound; a start that throws is one of them', async () => {
    const f = fakes();
    const log: string[] = [];
    const s = await supervise({
      name: 'seeder',
      start: f.start,
      log: (l) => log.push(l),
      backoff: { firstMs: 10, maxMs: 40, steadyMs: 10_000 },
    });
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const t0 = Date.now();
      if (i === 1) f.failOnce();
      f.started.at(-1)!.die('SIGSEGV');
      for (const n = f.started.length; f.started.length === n; ) await tick(2);
      waits.push(Date.now() - t0);
    }
    await s.stop();
    // 10, then 20 + 40 (the failed start counts), then 40 (the bound), then 40; 2 ms of slack below each,
    // since a timer counts from libuv's loop time, which can lag the clock read here by a millisecond
    // (one fresh run measured the 40 ms wait as 39)
    assert.ok(waits[0]! >= 8 && waits[0]! < 30, `first wait ${waits[0]} ms`);
    assert.ok(waits[1]! >= 58, `a failed start waits again: ${waits[1]} ms`);
    assert.ok(waits[2]! >= 38 && waits[2]! < 70, `bounded: ${waits[2]} ms`);
    assert.ok(
      log.some((l) => /seeder exited \(could not start: spawn aria2c ENOENT\)/.test(l)),
      log.join('\n'),
    );
  });

  it('stop during a back-off ends the wait and starts nothing more', async () => {
    const f = fakes();
    const s = await supervise({
      name: 'seeder',
      start: f.start,
      log: () => {},
      backoff: { firstMs: 10_000, maxMs: 10_000, steadyMs: 10_000 },
    });
    f.started[0]!.die('SIGKILL');
    await tick(5);
    const t0 = Date.now();
    await s.stop();
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(f.started.length, 1);
  });
});
