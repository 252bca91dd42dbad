import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadOrder, modinfoDepends } from './module-order.ts';

/** Every .ko under `dir`, by module name (dashes as underscores, as the kernel names them). */
export async function findModules(dir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.ko')) found.set(e.name.slice(0, -3).replaceAll('-', '_'), p);
    }
  };
  await walk(dir);
  return found;
}

/**
 * `want` and what they depend on (read from each module's .modinfo: the client has no modprobe and no
 * modules.dep), in load order, as files of an unpacked kernel package; modules built in are dropped.
 */
export async function moduleFiles(
  kernel: { root: string; version: string },
  want: readonly string[],
): Promise<{ name: string; file: string }[]> {
  const base = path.join(kernel.root, 'lib', 'modules', kernel.version);
  const mods = await findModules(path.join(base, 'kernel'));
  const builtin = new Set(
    (await readFile(path.join(base, 'modules.builtin'), 'utf8'))
      .split('\n')
      .map((l) => path.basename(l, '.ko').replaceAll('-', '_')),
  );
  const deps = new Map<string, string[]>();
  const needed = want.filter((n) => !builtin.has(n));
  const pending = [...needed];
  while (pending.length) {
    const n = pending.pop()!;
    if (deps.has(n)) continue;
    const file = mods.get(n);
    if (!file) throw new Error(`kernel ${kernel.version} has no module ${n}`);
    const d = modinfoDepends(await readFile(file))
      .map((x) => x.replaceAll('-', '_'))
      .filter((x) => !builtin.has(x));
    deps.set(n, d);
    pending.push(...d);
  }
  return loadOrder(needed, (n) => deps.get(n) ?? []).map((n) => ({ name: n, file: mods.get(n)! }));
}
