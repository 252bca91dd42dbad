import assert from 'node:assert/strict';
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import { it } from 'node:test';
import { formatProblem } from '../../client/src/shared.ts';
import { buildEnv, bzImageRelease, KERNEL_HEAD_BYTES } from '../../host/src/shared.ts';
import { makeOriginalEnv } from '../helpers/make-env.ts';

// Needs dist/phase1: tools/test-all.sh builds it before this tier.
it('the real Phase-1 kernel’s release is read from the bytes the build reads, and its own zstd initrds raise no warning', async () => {
  const vmlinuz = path.resolve('dist', 'phase1', 'vmlinuz');
  const h = await open(vmlinuz);
  const head = Buffer.alloc(KERNEL_HEAD_BYTES);
  const { bytesRead } = await h.read(head, 0, head.length, 0);
  await h.close();
  assert.match(bzImageRelease(head.subarray(0, bytesRead)) ?? 'not found', /^\d+\.\d+\.\d+-\d+-amd64$/);
  const env = await makeOriginalEnv();
  try {
    const r = await buildEnv(env);
    assert.ok(r.ok, r.ok ? '' : r.problems.map(formatProblem).join('\n'));
    assert.deepEqual(r.value.phase1Warnings, [], 'no false "cannot tell whether … unpacks zstd"');
  } finally {
    await rm(env, { recursive: true, force: true });
  }
});
