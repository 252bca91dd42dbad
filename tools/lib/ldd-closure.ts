import { execFileSync } from 'node:child_process';

/**
 * The shared libraries a dynamically linked program loads, as absolute paths on this machine
 * (including the dynamic loader). Throws naming the library when ldd cannot find one: a Phase-1
 * program with a missing library fails only on the client, which is the worst place to learn it.
 */
export function lddClosure(binary: string, libraryPath: string[] = []): string[] {
  let out: string;
  try {
    // LD_LIBRARY_PATH resolves libraries from an unpacked tree first (the qemu profile's), as its programs will
    const env = libraryPath.length ? { ...process.env, LD_LIBRARY_PATH: libraryPath.join(':') } : process.env;
    out = execFileSync('ldd', [binary], { encoding: 'utf8', env });
  } catch (e) {
    const text = `${(e as { stdout?: string }).stdout ?? ''}${(e as { stderr?: string }).stderr ?? ''}`;
    if (/not a dynamic executable/.test(text)) return [];
    throw e;
  }
  const libs: string[] = [];
  for (const line of out.split('\n')) {
    const missing = /^\s*(\S+) => not found/.exec(line);
    if (missing) throw new Error(`${binary} needs ${missing[1]}, which this machine does not have`);
    const m = /=> (\/\S+)/.exec(line) ?? /^\s*(\/\S+) \(0x/.exec(line);
    if (m) libs.push(m[1]!);
  }
  return [...new Set(libs)];
}
