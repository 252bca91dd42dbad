import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spawnComponent } from './component.ts';

describe('a component of `boottorrent start`', () => {
  it(
    'stops on SIGTERM, and one that ignores SIGTERM is killed about 5 s later',
    { timeout: 20_000 },
    async () => {
      const polite = spawnComponent({ name: 'polite', cmd: 'sleep', args: ['30'], log: () => {} });
      await polite.stop();
      assert.equal((await polite.exited).signal, 'SIGTERM');

      const lines: string[] = [];
      const stubborn = spawnComponent({
        name: 'stubborn',
        cmd: 'sh',
        args: ['-c', 'trap "echo ignored" TERM; echo ready; while :; do sleep 0.1; done'],
        log: (_, l) => lines.push(l),
      });
      for (let i = 0; i < 50 && !lines.includes('ready'); i++) await new Promise((r) => setTimeout(r, 100));
      const t0 = Date.now();
      await stubborn.stop();
      const took = Date.now() - t0;
      assert.equal((await stubborn.exited).signal, 'SIGKILL');
      assert.ok(took >= 4500 && took < 8000, `killed after ${took} ms`);
    },
  );
});
