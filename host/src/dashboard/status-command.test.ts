import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import axios from 'axios';
import { freePort } from '../../../client/src/shared.ts';
import { captureConsole } from '../../../test/helpers/capture-console.ts';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { downloadEvent, serveDashboard } from './events.test-helpers.ts';
import { Room } from './room.ts';
import { status } from './status-command.ts';

describe('boottorrent status', () => {
  it('prints the room, with a label’s escape sequences shown and not obeyed', async () => {
    const room = new Room({ ip: '127.0.0.1', seeder: 'aria2', startedAt: 0 });
    const dashboard = await serveDashboard(room);
    const url = dashboard.url;
    try {
      await axios.post(
        `${url}/api/events`,
        downloadEvent({
          label: '\u001b[2JEvil\u0007 OS',
          done: 50,
          total: 100,
          link: { driver: 'e1000e', mbps: 1000 },
        }),
        { proxy: false },
      );
      await axios.post(
        `${url}/api/events`,
        {
          ...downloadEvent({ label: 'x', mac: '52:54:00:12:34:02' }),
          stage: 'failed',
          error: { message: 'failed\u001b]0;owned\u0007', hint: 'retry\u001b[2J' },
        },
        { proxy: false },
      );
      room.applySeeder(3 << 20);
      room.applyComponent({ name: 'tracker', state: 'running', pid: 7, restarts: 0, since: 0 });
      room.applyComponent({
        name: 'seeder',
        state: 'restarting',
        pid: undefined,
        restarts: 2,
        lastExit: 'SIGKILL',
        since: Date.now() - 3000,
      });
      const c = captureConsole();
      assert.equal(await status(['--url', url], c.log), 0);
      const text = c.out.join('\n');
      assert.match(
        text,
        /^BootTorrent on 127\.0\.0\.1 \(seeder aria2, starting\): 2 client\(s\); download 1, failed 1$/m,
      );
      assert.match(text, /host sent 3\.0 MiB/);
      // a component that died is said; one that runs as it should is not
      assert.match(text, /^seeder exited \(SIGKILL\) [34] s ago and is being started again$/m);
      assert.doesNotMatch(text, /tracker/);
      assert.match(text, /52:54:00:12:34:02: failed\\x1b\]0;owned\\x07 Hint: retry\\x1b\[2J/);
      assert.match(
        text,
        /52:54:00:12:34:01 +127\.0\.0\.1 +e1000e 1000 Mb\/s +\\x1b\[2JEvil\\x07 OS +download +50 % of 100 B/,
      );
      assert.match(
        text,
        /52:54:00:12:34:02 +127\.0\.0\.1 +- +x +failed/,
        'a client that did not say its card',
      );
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is that none is printed
      assert.doesNotMatch(text, /[\u001b\u0007]/);
      const j = captureConsole();
      assert.equal(await status(['--url', url, '--json'], j.log), 0);
      assert.equal(JSON.parse(j.out.join('')).clients[0].label, '\u001b[2JEvil\u0007 OS');
    } finally {
      await dashboard.close();
    }
  });

  it('names the file and field when the env serves no dashboard, and says what to do when none answers', async () => {
    const dir = await tempDir('bt-status-');
    await writeFile(
      path.join(dir, 'Boottorrent.yaml'),
      'boottorrent: {host_ip: 127.0.0.1, timeout: -1}\ndnsmasq: {enable_dhcp: false}\nhttp: {enable: false}\n',
    );
    const off = captureConsole();
    assert.equal(await status([dir], off.log), 1);
    assert.match(off.err[0]!, /Boottorrent\.yaml: http\.enable is false, so the host serves no dashboard/);

    const port = await freePort();
    await writeFile(
      path.join(dir, 'Boottorrent.yaml'),
      `boottorrent: {host_ip: 127.0.0.1, timeout: -1}\ndnsmasq: {enable_dhcp: false}\nhttp: {enable: true, port: ${port}}\n`,
    );
    const none = captureConsole();
    assert.equal(await status([dir], none.log), 1);
    assert.match(none.err[0]!, new RegExp(`no dashboard answers at http://127\\.0\\.0\\.1:${port}`));
    assert.match(none.err[0]!, /is `boottorrent start` running for this env\?/);
  });
});
