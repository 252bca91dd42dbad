import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kernelSigned } from './kernel-signature.ts';

/** A minimal PE32+ header with `dirs` data directories, the certificate table set as given. */
function pe(cert: { offset: number; length: number }, dirs = 16): Buffer {
  const b = Buffer.alloc(1024);
  b.writeUInt16LE(0x5a4d, 0);
  b.writeUInt32LE(0x80, 0x3c);
  b.writeUInt32LE(0x00004550, 0x80);
  const opt = 0x80 + 24;
  b.writeUInt16LE(0x20b, opt);
  b.writeUInt32LE(dirs, opt + 108);
  b.writeUInt32LE(cert.offset, opt + 112 + 32);
  b.writeUInt32LE(cert.length, opt + 112 + 36);
  return b;
}

describe('kernel signature, from the PE header', () => {
  it('a certificate table inside the file is a signature; none, or one past the end, is not', () => {
    assert.equal(kernelSigned(pe({ offset: 5000, length: 2000 }), 7000), true);
    assert.equal(kernelSigned(pe({ offset: 0, length: 0 }), 7000), false);
    assert.equal(kernelSigned(pe({ offset: 5000, length: 2000 }), 6000), false);
    assert.equal(kernelSigned(pe({ offset: 5000, length: 2000 }, 4), 7000), false);
  });

  it('an image without an EFI stub is not PE at all', () => {
    assert.equal(kernelSigned(Buffer.from('\x7fELF and so on, an ELF vmlinux'.padEnd(256)), 256), undefined);
    const mz = pe({ offset: 0, length: 0 });
    mz.writeUInt32LE(0, 0x80);
    assert.equal(kernelSigned(mz, 1024), undefined);
  });
});
