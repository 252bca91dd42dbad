import type { Status } from '../../host/src/shared.ts';

/** The host's dashboard as JSON (GET /api/status), or undefined while it does not answer. */
export async function readStatus(url: string): Promise<Status | undefined> {
  try {
    const r = await fetch(`${url}/api/status`, { signal: AbortSignal.timeout(2000) });
    return r.ok ? ((await r.json()) as Status) : undefined;
  } catch {
    return undefined;
  }
}
