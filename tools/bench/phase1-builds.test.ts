import assert from 'node:assert/strict';
import path from 'node:path';
import { it } from 'node:test';
import { parsePhase1Build } from './phase1-builds.ts';

it('a bench reads a Phase-1 build as NAME=ROOTFS.gz,DIFF.gz, its paths made absolute, and nothing else', () => {
  assert.deepEqual(parsePhase1Build('before=/tmp/r.gz,d.gz'), {
    name: 'before',
    rootfs: '/tmp/r.gz',
    diff: path.resolve('d.gz'),
  });
  for (const bad of ['before=/tmp/r.gz', '/tmp/r.gz,/tmp/d.gz', 'b=r.gz,d.gz,x.gz', '=r.gz,d.gz'])
    assert.equal(parsePhase1Build(bad), undefined, bad);
});
