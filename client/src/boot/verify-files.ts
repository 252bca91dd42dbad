import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { type BtError, btError } from '../core/bt-error.ts';
import type { BootPlan } from '../core/plan-boot.ts';

/** Every file's size and sha256 against what the host measured; the first mismatch is the answer. */
export async function verifyFiles(plan: BootPlan): Promise<BtError | undefined> {
  for (const f of plan.verify) {
    const name = path.relative(plan.osDir, f.path);
    const size = await stat(f.path).then(
      (s) => s.size,
      () => -1,
    );
    if (size !== f.size)
      return btError(
        `${plan.dispname}: "${name}" is ${size < 0 ? 'missing' : `${size} bytes, not ${f.size}`} after download; it will not boot.`,
        HINT,
      );
    const h = createHash('sha256');
    for await (const chunk of createReadStream(f.path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
    const got = h.digest('hex');
    if (got !== f.sha256)
      return btError(
        `${plan.dispname}: "${name}" does not match the host's checksum; it will not boot.`,
        HINT,
        `sha256 ${got}, expected ${f.sha256}`,
      );
  }
  return undefined;
}

const HINT =
  "the host's copy changed since `boottorrent build`, or data was corrupted; rebuild on the host and try again.";
