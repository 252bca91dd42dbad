import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BASE_NODE } from '../overlay/build-bttui.ts';
import { findSymbol, isStaticElf } from './elf.ts';

describe('ELF facts without binutils', () => {
  it('tells a static program (busybox-static) from a dynamic one (ls)', () => {
    assert.equal(isStaticElf(readFileSync('/bin/busybox')), true);
    assert.equal(isStaticElf(readFileSync('/bin/ls')), false);
    assert.throws(() => isStaticElf(Buffer.from('#!/bin/sh\n'.padEnd(64))), /not an ELF file/);
  });

  it("finds the ICU data symbol in Node's binary where nm and readelf put it, and nothing once stripped", async () => {
    const elf = readFileSync(BASE_NODE);
    const sym = findSymbol(elf, /^icudt\d+_dat$/);
    assert.ok(sym, 'icudt*_dat found');
    const nm = execFileSync('nm', ['-S', BASE_NODE], { encoding: 'utf8', maxBuffer: 256 << 20 })
      .split('\n')
      .find((l) => l.endsWith(` ${sym.name}`))!;
    assert.equal(sym.size, Number.parseInt(nm.split(' ')[1]!, 16));
    // ICU's common data starts with its header: size, magic 0xda27, then "CmnD"
    assert.equal(elf.readUInt16LE(sym.fileOffset + 2), 0x27da);
    assert.equal(elf.toString('latin1', sym.fileOffset + 12, sym.fileOffset + 16), 'CmnD');

    const dir = await mkdtemp(path.join(tmpdir(), 'bt-elf-'));
    try {
      const stripped = path.join(dir, 'node');
      execFileSync('strip', ['--strip-all', '-o', stripped, BASE_NODE]);
      assert.equal(findSymbol(readFileSync(stripped), /^icudt\d+_dat$/), undefined);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
