import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { zstdCompressSync } from 'node:zlib';
import { type CpioEntry, cpioNewc, DIR, FILE, SYMLINK } from '../cpio/write-cpio.ts';
import { installProfile } from './install-profile.ts';

describe('unpacking the qemu profile writes only inside the system it is given', () => {
  let dir: string;
  let system: string;
  let outside: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bt-profile-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const fresh = async (name: string) => {
    system = path.join(dir, name, 'system');
    outside = path.join(dir, name, 'outside');
    await mkdir(system, { recursive: true });
    await mkdir(outside, { recursive: true });
  };
  const archive = async (entries: CpioEntry[]) => {
    const f = path.join(dir, `a-${Math.random()}.cpio.zst`);
    await writeFile(f, zstdCompressSync(cpioNewc(entries)));
    return f;
  };

  it('a profile with links inside it unpacks, links and all', async () => {
    await fresh('ok');
    const a = await archive([
      { path: 'usr', mode: DIR | 0o755 },
      { path: 'usr/lib', mode: DIR | 0o755 },
      { path: 'usr/lib/libx.so.1', mode: FILE | 0o644, data: Buffer.from('lib') },
      { path: 'usr/lib/libx.so', mode: SYMLINK | 0o777, data: Buffer.from('libx.so.1') },
    ]);
    assert.equal(await installProfile(a, system, 'h1'), undefined);
    assert.equal(await readFile(path.join(system, 'usr/lib/libx.so'), 'utf8'), 'lib');
    assert.equal(await readlink(path.join(system, 'usr/lib/libx.so')), 'libx.so.1');
  });

  it('a member written through a link the archive made is refused, and nothing lands where it points', async () => {
    await fresh('through-own-link');
    const a = await archive([
      { path: 'usr', mode: DIR | 0o755 },
      { path: 'usr/evil', mode: SYMLINK | 0o777, data: Buffer.from(outside) },
      { path: 'usr/evil/shadow', mode: FILE | 0o644, data: Buffer.from('pwned') },
    ]);
    const e = await installProfile(a, system, 'h2');
    assert.equal(e?.message, 'The qemu profile holds a path outside the system ("usr/evil/shadow").');
    assert.deepEqual(await readdir(outside), []);
  });

  it('a member written through the archive’s own link is refused even when the link stays inside the system (in Phase 1 the system is /, and every path is inside it)', async () => {
    await fresh('own-link-inside');
    await mkdir(path.join(system, 'etc'));
    await writeFile(path.join(system, 'etc', 'keep'), 'mine');
    const a = await archive([
      { path: 'usr', mode: DIR | 0o755 },
      { path: 'usr/evil', mode: SYMLINK | 0o777, data: Buffer.from('../etc') },
      { path: 'usr/evil/shadow', mode: FILE | 0o644, data: Buffer.from('pwned') },
    ]);
    const e = await installProfile(a, system, 'h4');
    assert.equal(e?.message, 'The qemu profile holds a path outside the system ("usr/evil/shadow").');
    assert.deepEqual(await readdir(path.join(system, 'etc')), ['keep']);
  });

  it('a member below a link already on the system that leads out of it is refused', async () => {
    await fresh('through-system-link');
    await symlink(outside, path.join(system, 'etc'));
    const a = await archive([{ path: 'etc/passwd', mode: FILE | 0o644, data: Buffer.from('pwned') }]);
    const e = await installProfile(a, system, 'h3');
    assert.equal(e?.message, 'The qemu profile holds a path outside the system ("etc/passwd").');
    assert.deepEqual(await readdir(outside), []);
  });

  it('a file or link already on the system is left as it is (the libraries bttui itself runs on), the rest unpacks', async () => {
    await fresh('already-there');
    await mkdir(path.join(system, 'lib'));
    await writeFile(path.join(system, 'lib', 'libc.so.6'), 'running');
    await symlink('libc.so.6', path.join(system, 'lib', 'libc.so'));
    const a = await archive([
      { path: 'lib', mode: DIR | 0o755 },
      { path: 'lib/libc.so.6', mode: FILE | 0o755, data: Buffer.from('from the profile') },
      { path: 'lib/libc.so', mode: SYMLINK | 0o777, data: Buffer.from('elsewhere') },
      { path: 'lib/libX11.so.6', mode: FILE | 0o644, data: Buffer.from('x11') },
    ]);
    assert.equal(await installProfile(a, system, 'h5'), undefined);
    assert.equal(await readFile(path.join(system, 'lib', 'libc.so.6'), 'utf8'), 'running');
    assert.equal(await readlink(path.join(system, 'lib', 'libc.so')), 'libc.so.6');
    assert.equal(await readFile(path.join(system, 'lib', 'libX11.so.6'), 'utf8'), 'x11');
  });
});
