import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { kernelSigned } from '../../host/src/shared.ts';
import { dist } from '../../tools/lib/paths.ts';

describe('the Phase-1 kernel under Secure Boot', () => {
  it("Debian's Phase-1 kernel is signed; the same kernel with its signature cut off is not", () => {
    const file = dist('phase1', 'vmlinuz');
    assert.ok(existsSync(file), 'npm run phase1 builds dist/phase1/vmlinuz');
    const k = readFileSync(file);
    assert.equal(kernelSigned(k.subarray(0, 4096), k.length), true);
    const pe = k.readUInt32LE(0x3c);
    const certAt = k.readUInt32LE(pe + 24 + 112 + 32);
    assert.equal(kernelSigned(k.subarray(0, 4096), certAt), false);
  });
});
