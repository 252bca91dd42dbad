import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bzImageRelease, initrdFormat, kernelUnpacks, unpackWarnings } from './boot-image-facts.ts';

/** The first bytes of a bzImage whose boot header points at `version`. */
function bzImage(version: string): Buffer {
  const b = Buffer.alloc(0x400);
  b.write('HdrS', 0x202, 'latin1');
  b.writeUInt16LE(0x100, 0x20e);
  b.write(`${version} (debian-kernel@lists.debian.org) #1 SMP\0`, 0x300, 'latin1');
  return b;
}

describe('what a Phase-1 file is, from its first bytes', () => {
  it('tells the initrd compressions the kernel knows by their magic', () => {
    const cases: [string, string][] = [
      ['1f8b0800', 'gzip'],
      ['28b52ffd04', 'zstd'],
      ['fd377a585a0000', 'xz'],
      ['5d00008000', 'lzma'],
      ['425a6839', 'bzip2'],
      ['02214c18', 'lz4'],
      [Buffer.from('07070100000001').toString('hex'), 'cpio'],
      ['00000000', 'unknown'],
    ];
    for (const [hex, want] of cases) assert.equal(initrdFormat(Buffer.from(hex, 'hex')), want, hex);
  });

  it("reads a bzImage's release from its boot header, and nothing from other files", () => {
    assert.equal(bzImageRelease(bzImage('6.1.0-56-amd64')), '6.1.0-56-amd64');
    assert.equal(bzImageRelease(bzImage('4.19.0-26-amd64')), '4.19.0-26-amd64');
    assert.equal(bzImageRelease(Buffer.alloc(0x400)), undefined);
    assert.equal(bzImageRelease(Buffer.from('short')), undefined);
  });

  it('knows zstd arrived in 5.9 and gzip always works', () => {
    assert.equal(kernelUnpacks('5.8.18', 'zstd'), false);
    assert.equal(kernelUnpacks('5.9.0', 'zstd'), true);
    assert.equal(kernelUnpacks('6.1.0-56-amd64', 'zstd'), true);
    assert.equal(kernelUnpacks('4.19.0', 'xz'), true);
    assert.equal(kernelUnpacks(undefined, 'gzip'), true);
    assert.equal(kernelUnpacks(undefined, 'zstd'), undefined);
  });

  it("warns, with the fix, when an env's own old kernel meets the project's zstd initrds", () => {
    const part = (name: string, from: string, head: Buffer, makeWith = 'npm run phase1') => ({
      name,
      from,
      head,
      makeWith,
    });
    const zstd = Buffer.from('28b52ffd', 'hex');
    const gzip = Buffer.from('1f8b08', 'hex');
    assert.deepEqual(
      unpackWarnings(part('vmlinuz', 'ph1/vmlinuz', bzImage('4.19.0-26-amd64')), [
        part('rootfs.gz', 'ph1/rootfs.gz', gzip),
        part('diff.gz', 'dist/overlay/diff.gz', zstd, 'npm run overlay'),
      ]),
      [
        'diff.gz (dist/overlay/diff.gz) is zstd-compressed and ph1/vmlinuz is Linux 4.19.0-26-amd64, which ' +
          'cannot unpack it; rebuild it with `npm run overlay -- --compress gzip`, which every kernel unpacks',
      ],
    );
    assert.deepEqual(
      unpackWarnings(part('vmlinuz', 'dist/phase1/vmlinuz', bzImage('6.1.0-56-amd64')), [
        part('rootfs.gz', 'dist/phase1/rootfs.gz', zstd),
      ]),
      [],
    );
    const unknown = unpackWarnings(part('vmlinuz', 'ph1/bzImage', Buffer.alloc(64)), [
      part('rootfs.gz', 'dist/phase1/rootfs.gz', zstd),
    ]);
    assert.equal(unknown.length, 1);
    assert.match(unknown[0]!, /cannot tell whether ph1\/bzImage unpacks zstd.*--compress gzip/);
  });
});
