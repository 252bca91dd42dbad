import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseZeroRuns, ZERO_RUNS_LIST } from '../../tools/overlay/zero-runs.ts';

const ROOT = path.resolve('dist', 'overlay', 'root');
const punch = path.join(ROOT, 'sbin', 'punch-zeros');

// Needs dist/overlay (tools/test-all.sh builds it before this tier) and root, for a tmpfs like Phase 1's.
describe("bttui's zeros punched out on a tmpfs, as bttui-session does at boot", () => {
  let dir: string;
  let bttui: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bt-zeros-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512m', 'tmpfs', dir]);
    bttui = path.join(dir, 'bttui');
    await copyFile(path.join(ROOT, 'sbin', 'bttui'), bttui);
  });
  after(async () => {
    spawnSync('umount', [dir]);
    await rm(dir, { recursive: true, force: true });
  });

  it('a range that is not all zeros is refused and left as it was', async () => {
    const head = (await readFile(bttui)).subarray(0, 8192);
    const r = spawnSync(punch, [bttui, '0', '8192'], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /bytes 0\+8192 are not all zeros; left as they are/);
    assert.deepEqual((await readFile(bttui)).subarray(0, 8192), head);
  });

  it("the build's ranges free their pages, and bttui still runs", async () => {
    const runs = parseZeroRuns(await readFile(path.join(ROOT, ZERO_RUNS_LIST), 'utf8'));
    const zeros = runs.reduce((n, r) => n + r.length, 0);
    assert.ok(zeros >= 20 << 20, `${zeros} bytes of zeros listed; the ICU region alone has 27.6 MiB`);
    const before = (await stat(bttui)).blocks * 512;
    for (const r of runs) execFileSync(punch, [bttui, String(r.offset), String(r.length)]);
    const after = (await stat(bttui)).blocks * 512;
    assert.equal(before - after, zeros, `RAM held: ${before} bytes before, ${after} after`);
    assert.match(execFileSync(bttui, ['--version'], { encoding: 'utf8' }), /\d+\.\d+\.\d+/);
  });
});
