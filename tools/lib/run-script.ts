import { type ParseArgsConfig, parseArgs } from 'node:util';

/**
 * The `if (import.meta.main)` of an npm-run script: `--help` prints its usage, a bad option or a failed
 * build is one line naming the script (the message already says what and where), never a stack trace.
 */
export async function runScript<O>(
  name: string,
  usage: string,
  parse: (argv: string[]) => O,
  run: (options: O) => Promise<unknown>,
): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    console.log(usage);
    return;
  }
  try {
    await run(parse(argv));
  } catch (e) {
    console.error(`${name}: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}

/**
 * parseArgs for a script that parses at its top level: an unknown option or a missing value is one line
 * naming the script, then its usage, and exit code 2, never a stack trace.
 */
export function parseOptionsOrExit<T extends ParseArgsConfig>(
  name: string,
  usage: string,
  config: T,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    console.error(`${name}: ${(e as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}
