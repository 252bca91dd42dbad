import { FieldReader, isObject } from './field-reader.ts';
import { type FileFact, readFileFacts } from './os-config.ts';
import type { Checked } from './problem.ts';

/** The file the host writes beside configs.yaml when an env has OSes that run in qemu. */
export const PROFILES_FILE = 'profiles.yaml';

/**
 * A part of the client system that travels as a torrent instead of in Phase 1 (only the qemu profile
 * so far: Xorg, qemu and their modules), with what the client verifies and how much RAM it takes.
 */
export interface ProfileConfig {
  torrent: string;
  infohash: string;
  files: Record<string, FileFact>;
  /** bytes its archive's files take once unpacked into RAM */
  unpacked_bytes: number;
}

export interface Profiles {
  qemu?: ProfileConfig;
}

/** Validates profiles.yaml. Pure. */
export function checkProfiles(raw: unknown, file: string): Checked<Profiles> {
  const r = new FieldReader(file);
  const out: Profiles = {};
  if (!isObject(raw)) {
    r.fail('', 'must map profile names to their torrents');
    return { ok: false, problems: r.problems, warnings: r.warnings };
  }
  r.unknownKeys(raw, ['qemu'], '');
  const q = r.section(raw, 'qemu');
  if (raw.qemu !== undefined) {
    const torrent = r.requiredStr(q, 'torrent', 'qemu.torrent');
    const infohash = r.requiredStr(q, 'infohash', 'qemu.infohash');
    if (infohash !== undefined && !/^[0-9a-f]{40}$/.test(infohash))
      r.fail('qemu.infohash', 'must be 40 lower-case hex digits');
    const unpacked = r.int(q, 'unpacked_bytes', 'qemu.unpacked_bytes', -1, { min: 0 });
    if (q.unpacked_bytes === undefined) r.fail('qemu.unpacked_bytes', 'is required');
    const files: Record<string, FileFact> =
      q.files === undefined ? {} : readFileFacts(r, q.files, 'qemu.files');
    if (Object.keys(files).length === 0)
      r.fail('qemu.files', 'must list the archive with its size and sha256');
    if (torrent && infohash) out.qemu = { torrent, infohash, files, unpacked_bytes: unpacked };
  }
  return r.problems.length
    ? { ok: false, problems: r.problems, warnings: r.warnings }
    : { ok: true, value: out, warnings: r.warnings };
}
