import path from 'node:path';

/** A Phase-1 build a bench boots as a variant: its name and its two initrds. */
export interface Phase1Build {
  name: string;
  rootfs: string;
  diff: string;
}

/** `NAME=ROOTFS.gz,DIFF.gz` as a build, the paths made absolute; undefined when it is not that shape. */
export function parsePhase1Build(arg: string): Phase1Build | undefined {
  const m = /^([^=]+)=([^,]+),([^,]+)$/.exec(arg);
  return m ? { name: m[1]!, rootfs: path.resolve(m[2]!), diff: path.resolve(m[3]!) } : undefined;
}

/** Every `--option NAME=ROOTFS.gz,DIFF.gz` given to `bench`; one that is not that shape ends the bench, saying so. */
export function phase1BuildsOrExit(
  bench: string,
  option: string,
  args: string[],
  usage: string,
): Phase1Build[] {
  return args.map((a) => {
    const b = parsePhase1Build(a);
    if (!b) {
      console.error(`${bench}: --${option} ${a} is not NAME=ROOTFS.gz,DIFF.gz\n\n${usage}`);
      process.exit(2);
    }
    return b;
  });
}
