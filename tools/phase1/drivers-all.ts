import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cpioNewc } from '../../client/src/shared.ts';
// the host names the file it serves; the build writes it under that one name
import { DRIVERS_ALL } from '../../host/src/shared.ts';
import { type Compression, compressInitrd } from '../lib/compress-initrd.ts';
import { stageTree } from '../lib/stage-tree.ts';
import { allWiredDrivers, DEFAULT_DRIVERS, stageDrivers } from './drivers.ts';
import { stageFirmware } from './firmware.ts';

export interface DriversAll {
  /** modules it adds to the default set's */
  modules: number;
  /** firmware files it adds, and those its modules name that no package listed ships */
  firmware: { found: number; missing: number };
  /** bytes once unpacked: what it takes of a client's RAM */
  unpackedBytes: number;
  bytes: number;
}

/**
 * `drivers-all.gz`: every wired NIC driver of the kernel (server NICs: mlx4/mlx5, ice, bnx2x, qede, sfc,
 * cxgb4, …) with their PHYs and the firmware they name, minus what rootfs.gz carries already. The kernel
 * unpacks it after rootfs.gz, so its modules.dep and modules.alias (the whole set's) replace the
 * default's, and the machine's devices choose among all of them as they do among the default.
 */
export async function buildDriversAll(o: {
  kernel: { root: string; version: string };
  /** the modules rootfs.gz carries (stageDrivers' list for the default set) */
  carried: readonly string[];
  /** the firmware rootfs.gz carries */
  carriedFirmware: readonly string[];
  firmwareTree: string;
  out: string;
  compress: Compression;
}): Promise<DriversAll> {
  const stage = path.join(o.out, 'root-drivers-all');
  await rm(stage, { recursive: true, force: true });
  await mkdir(stage, { recursive: true });
  const want = [...new Set([...DEFAULT_DRIVERS, ...(await allWiredDrivers(o.kernel))])];
  const d = await stageDrivers(o.kernel, stage, want, new Set(o.carried));
  const have = new Set(o.carriedFirmware);
  const fw = await stageFirmware(
    o.firmwareTree,
    stage,
    d.firmware.filter((f) => !have.has(f)),
  );
  const entries = await stageTree(stage);
  const cpio = cpioNewc(entries);
  const packed = await compressInitrd(cpio, o.compress, 'drivers-all');
  await writeFile(path.join(o.out, DRIVERS_ALL), packed);
  return {
    modules: d.copied.length,
    firmware: { found: fw.found.length, missing: fw.missing.length },
    unpackedBytes: d.bytes + fw.bytes,
    bytes: packed.length,
  };
}
