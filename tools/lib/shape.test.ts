import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from './paths.ts';

/** Every .ts file under `dir` (relative to the project) with the module paths it imports. */
async function imports(dir: string): Promise<{ file: string; from: string[] }[]> {
  const out: { file: string; from: string[] }[] = [];
  for (const e of await readdir(path.join(PROJECT_ROOT, dir), { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !e.name.endsWith('.ts')) continue;
    const file = path.relative(PROJECT_ROOT, path.join(e.parentPath, e.name));
    const text = await readFile(path.join(PROJECT_ROOT, file), 'utf8');
    out.push({ file, from: [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!) });
  }
  return out;
}

describe('the shape of the tree', () => {
  it('the host uses the client only through its public entry point, client/src/shared.ts', async () => {
    const deep = (await imports('host/src')).flatMap(({ file, from }) =>
      from
        .filter((f) => f.includes('client/src/') && !f.endsWith('client/src/shared.ts'))
        .map((f) => `${file}: ${f}`),
    );
    assert.deepEqual(deep, []);
  });

  it("the client's config is its bottom layer: it imports nothing from the client's other folders", async () => {
    const up = (await imports('client/src/config')).flatMap(({ file, from }) =>
      from.filter((f) => f.startsWith('../')).map((f) => `${file}: ${f}`),
    );
    assert.deepEqual(up, []);
  });

  it('a file over 250 lines says why on its first line', async () => {
    const long: string[] = [];
    for (const dir of ['client', 'host', 'tools', 'test'])
      for (const { file } of await imports(dir)) {
        const text = await readFile(path.join(PROJECT_ROOT, file), 'utf8');
        const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
        const first = text.replace(/^#!.*\n/, '').split('\n')[0]!;
        if (lines > 250 && !first.startsWith('// Over 250 lines: ')) long.push(`${file}: ${lines} lines`);
      }
    assert.deepEqual(long, []);
  });

  it('the tools and tests use the host only through its public entry point, host/src/shared.ts', async () => {
    const deep = [...(await imports('tools')), ...(await imports('test'))].flatMap(({ file, from }) =>
      from
        .filter((f) => f.includes('host/src/') && !f.endsWith('host/src/shared.ts'))
        .map((f) => `${file}: ${f}`),
    );
    assert.deepEqual(deep, []);
  });

  it('the tools and tests take their paths from tools/lib/paths.ts, not from the host', async () => {
    const rooted = [...(await imports('tools')), ...(await imports('test'))].filter(
      ({ file }) => file !== 'tools/lib/paths.ts',
    );
    for (const { file } of rooted) {
      const text = await readFile(path.join(PROJECT_ROOT, file), 'utf8');
      assert.doesNotMatch(text, /new URL\('(\.\.\/)+', import\.meta\.url\)/, `${file} finds the root itself`);
      assert.doesNotMatch(text, /\bPROJECT_ROOT\b[^;]*from '[^']*host\/src/, `${file} takes the host's root`);
    }
    const door = await readFile(path.join(PROJECT_ROOT, 'host', 'src', 'shared.ts'), 'utf8');
    assert.doesNotMatch(door, /PROJECT_ROOT/, "the host's door does not hand out its root");
  });
});
