import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildEnv, PHASE1_BUDGET_BYTES, phase1Line } from '../../host/src/shared.ts';
import { isStaticElf } from '../../tools/lib/elf.ts';
import { makeOriginalEnv } from '../helpers/make-env.ts';

const DIST = path.resolve('dist');

/** Every regular file below `root`, by its path inside the archive. */
function files(root: string, rel = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) for (const [k, v] of files(root, p)) out.set(k, v);
    else if (e.isFile()) out.set(p, path.join(root, p));
  }
  return out;
}

// Needs dist/phase1 and dist/overlay as `npm run phase1` and `npm run overlay` left them.
describe('Phase 1 on a diet: what the host serves each client before bttui runs', () => {
  let env: string;
  before(async () => {
    env = await makeOriginalEnv();
    assert.ok((await buildEnv(env)).ok);
  });
  after(() => rm(env, { recursive: true, force: true }));

  it(`kernel + rootfs.gz + diff.gz + torrents.gz fit the budget of ${PHASE1_BUDGET_BYTES} bytes`, () => {
    const ph1 = path.join(env, 'out', 'dnsmasq', 'ph1');
    const bytes = Object.fromEntries(
      ['vmlinuz', 'rootfs.gz', 'diff.gz', 'torrents.gz'].map((n) => [n, statSync(path.join(ph1, n)).size]),
    );
    const total = Object.values(bytes).reduce((a, n) => a + n, 0);
    console.log(phase1Line(bytes));
    assert.ok(total <= PHASE1_BUDGET_BYTES, phase1Line(bytes));
  });

  it('the base carries no shared library: aria2c and kexec are static, busybox too', () => {
    const root = path.join(DIST, 'phase1', 'root');
    for (const p of ['usr/bin/aria2c', 'usr/sbin/kexec', 'bin/busybox'])
      assert.ok(isStaticElf(readFileSync(path.join(root, p))), `${p} is statically linked`);
    const libs = [...files(root).keys()].filter((p) => /\.so(\.\d+)*$/.test(p));
    assert.deepEqual(libs, [], 'no shared library in rootfs.gz');
  });

  it('no file travels twice: what diff.gz carries is not also in rootfs.gz, but for the inittab it replaces', () => {
    const base = files(path.join(DIST, 'phase1', 'root'));
    const overlay = files(path.join(DIST, 'overlay', 'root'));
    const digest = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
    const twice = [...overlay.keys()].filter((p) => base.has(p));
    assert.deepEqual(twice, ['etc/inittab'], 'only the inittab is in both, on purpose');
    assert.notEqual(digest(base.get('etc/inittab')!), digest(overlay.get('etc/inittab')!));
    const baseDigests = new Set([...base.values()].map(digest));
    const copies = [...overlay.entries()].filter(([, f]) => baseDigests.has(digest(f))).map(([p]) => p);
    assert.deepEqual(copies, [], 'no file of the overlay is a copy of one in the base');
  });
});
