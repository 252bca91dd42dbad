import assert from 'node:assert/strict';
import { it } from 'node:test';
import { readCpio } from './read-cpio.ts';
import { cpioNewc, DIR, FILE, SYMLINK } from './write-cpio.ts';

it('reads back what the build writes: folders, files, links, in order', () => {
  const archive = cpioNewc([
    { path: 'usr', mode: DIR | 0o755 },
    { path: 'usr/bin/Xorg', mode: SYMLINK | 0o777, link: '../lib/xorg/Xorg' },
    { path: 'usr/lib/xorg/Xorg', mode: FILE | 0o755, data: Buffer.from('ELF…') },
    { path: 'etc/empty', mode: FILE | 0o644, data: Buffer.alloc(0) },
  ]);
  const m = readCpio(archive);
  assert.deepEqual(
    m.map((x) => [x.path, x.mode.toString(8), x.data.toString()]),
    [
      ['usr', '40755', ''],
      ['usr/bin/Xorg', '120777', '../lib/xorg/Xorg'],
      ['usr/lib/xorg/Xorg', '100755', 'ELF…'],
      ['etc/empty', '100644', ''],
    ],
  );
  assert.throws(() => readCpio(archive.subarray(0, 200)), /cpio: .* past the end|truncated/);
  assert.throws(() => readCpio(Buffer.from('not an archive'.padEnd(120))), /no newc header at byte 0/);
});
