/** Bytes the kernel says can be allocated without swapping (MemAvailable, else MemFree + Cached). */
export function availableBytes(meminfo: string): number | undefined {
  const kb = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(meminfo);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const avail = kb('MemAvailable');
  if (avail !== undefined) return avail;
  const free = kb('MemFree');
  return free === undefined ? undefined : free + (kb('Cached') ?? 0);
}
