/** /proc/cmdline → key/value pairs (a bare word maps to ""). Quotes group words, as the kernel does. */
export function parseKernelCmdline(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.trim().matchAll(/(?:[^\s"]+|"[^"]*")+/g)) {
    const word = m[0].replaceAll('"', '');
    const eq = word.indexOf('=');
    if (eq < 0) out.set(word, '');
    else out.set(word.slice(0, eq), word.slice(eq + 1));
  }
  return out;
}
