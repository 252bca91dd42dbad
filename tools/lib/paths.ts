import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the tools read and write, in one place: the checkout, and dist/, where everything built goes
 * (never committed). The host finds its own way to dist/ (host/src/publish/phase1-files.ts): it runs
 * without the tools.
 */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** a path under dist/ */
export const dist = (...parts: string[]) => path.join(PROJECT_ROOT, 'dist', ...parts);

/** the host's CLI, as the lab and the benches start it */
export const BOOTTORRENT_CLI = path.join(PROJECT_ROOT, 'host', 'src', 'cli.ts');
