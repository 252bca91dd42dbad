import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { kernelSigned } from '../../host/src/build/kernel-signature.ts';
import { PROJECT_ROOT } from '../../host/src/build/phase1-files.ts';

describe('the Phase-1 kernel under Secure Boot', () => {
  it("Debian's Phase-1 kernel is signed; the same kernel with its signature cut off is not", () => {
    const file = path.join(PROJECT_ROOT, 'dist', 'phase1', 'vmlinuz');
    assert.ok(existsSync(file), 'npm run phase1 builds dist/phase1/vmlinuz');
    const k = readFileSync(file);
    assert.equal(kernelSigned(k.subarray(0, 4096), k.length), true);
    const pe = k.readUInt32LE(0x3c);
    const certAt = k.readUInt32LE(pe + 24 + 112 + 32);
    assert.equal(kernelSigned(k.subarray(0, 4096), certAt), false);
  });
});
