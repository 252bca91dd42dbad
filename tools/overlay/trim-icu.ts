import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findSymbol } from '../lib/elf.ts';

/**
 * Items of Node's ICU data that bttui has no use for (it calls no Intl API at all; these keep what Node
 * itself and its libraries might): every locale but English (and ICU's root), the legacy-charset
 * converters (UTF-8, UTF-16 and Latin-1 are algorithmic, built into ICU's code), transliteration and
 * character names, which JavaScript does not expose, the spoof checker, IDNA2003's StringPrep profiles
 * (Node's URL code does UTS 46), and the break-iterator dictionaries for Chinese, Japanese, Thai, Lao,
 * Khmer and Burmese words (those texts then segment by rules alone; 2 MB compressed, 6 % of Phase 1).
 * Normalisation, UTS 46, time zones, collation roots, plural and number rules stay.
 */
export function icuItemsToDrop(items: string[]): string[] {
  const locale = /^[a-z]{2,3}(_[A-Za-z0-9]*)*$/;
  return items.filter((item) => {
    const base = item.split('/').at(-1)!;
    if (item.startsWith('translit/')) return true;
    if (/\.(cnv|dict|spp|cfu)$/.test(base) || base === 'unames.icu') return true;
    if (!base.endsWith('.res')) return false;
    const n = base.slice(0, -'.res'.length);
    if (n === 'root' || n === 'res_index' || n === 'pool') return false;
    return locale.test(n) && n !== 'en' && !n.startsWith('en_');
  });
}

/**
 * icupkg refuses a package whose items refer to missing ones. Only the dictionaries are dropped on
 * purpose while something still names them (brkitr/root.res); any other gap is a real break.
 */
export function unexpectedGaps(icupkgErrors: string): string[] {
  return [...icupkgErrors.matchAll(/depends on missing item (\S+)/g)]
    .map((m) => m[1]!)
    .filter((missing) => !missing.endsWith('.dict'));
}

export interface IcuTrim {
  symbol: string;
  before: number;
  after: number;
}

/**
 * Rewrites, in place, the ICU data that Node carries in its own binary (the `icudtNN_dat` symbol) with
 * an English-only package made by Debian's icupkg. The region keeps its size, zero-filled past the new
 * data, so no address in the program moves; the zeros cost nothing once the initrd is compressed.
 * Must run before `strip`: the symbol table is how the data is found, whatever Node's ICU version.
 */
export async function trimIcu(binary: string): Promise<IcuTrim> {
  const elf = await readFile(binary);
  const sym = findSymbol(elf, /^icudt\d+_dat$/);
  if (!sym) throw new Error(`${binary} has no icudt*_dat symbol (stripped, or built without full ICU)`);
  // icupkg finds items by the package name, which is the symbol's name with the byte order letter
  const pkgName = `${sym.name.replace(/_dat$/, '')}l`;
  const work = await mkdtemp(path.join(tmpdir(), 'bt-icu-'));
  try {
    const full = path.join(work, 'full', `${pkgName}.dat`);
    const small = path.join(work, 'small', `${pkgName}.dat`);
    await mkdir(path.dirname(full), { recursive: true });
    await mkdir(path.dirname(small), { recursive: true });
    await writeFile(full, elf.subarray(sym.fileOffset, sym.fileOffset + sym.size));
    const items = execFileSync('icupkg', ['-l', full], { encoding: 'utf8', maxBuffer: 16 << 20 })
      .split('\n')
      .filter(Boolean);
    const drop = path.join(work, 'drop.txt');
    await writeFile(drop, `${icuItemsToDrop(items).join('\n')}\n`);
    const check = spawnSync('icupkg', ['-r', drop, full, small], { encoding: 'utf8' });
    if (check.status !== 0) {
      const gaps = unexpectedGaps(`${check.stdout}${check.stderr}`);
      if (gaps.length || !/depends on missing item/.test(check.stderr))
        throw new Error(`icupkg cannot trim ${sym.name}: ${(gaps.join(', ') || check.stderr).trim()}`);
      execFileSync('icupkg', ['--ignore-deps', '-r', drop, full, small], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    }
    const data = await readFile(small);
    if (data.length > sym.size)
      throw new Error(`the trimmed ICU data (${data.length} bytes) outgrew the original`);
    const region = Buffer.alloc(sym.size);
    data.copy(region);
    region.copy(elf, sym.fileOffset);
    await writeFile(binary, elf);
    return { symbol: sym.name, before: sym.size, after: data.length };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
