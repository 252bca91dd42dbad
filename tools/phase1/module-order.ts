/**
 * A kernel module's `.modinfo` section holds NUL-separated `key=value` strings; `depends=` lists the
 * modules it needs. Phase 1 has no modprobe or modules.dep, so we read these at build time.
 */
export function modinfoDepends(ko: Uint8Array): string[] {
  const text = Buffer.from(ko).toString('latin1');
  const m = /\0depends=([^\0]*)\0/.exec(text);
  return m?.[1] ? m[1].split(',').filter(Boolean) : [];
}

/** Module names in an order where each comes after everything it depends on (input order otherwise). */
export function loadOrder(wanted: string[], depends: (name: string) => string[]): string[] {
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (n: string) => {
    if (order.includes(n)) return;
    if (visiting.has(n)) throw new Error(`kernel modules depend on each other in a circle at ${n}`);
    visiting.add(n);
    for (const d of depends(n)) visit(d);
    visiting.delete(n);
    order.push(n);
  };
  for (const w of wanted) visit(w);
  return order;
}
