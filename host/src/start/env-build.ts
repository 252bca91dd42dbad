import { readFile } from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import { formatProblem } from '../../../client/src/shared.ts';
import { BUILD_SUMMARY, type BuildResult, buildEnv } from '../publish/build-env.ts';
import { hashProgress, printBuild } from '../publish/print-build.ts';
import { readEnv } from '../publish/read-env.ts';

/** `<os>/<file>` for every file the torrents publish, as configs.yaml lists them: what web seeds serve. */
export async function publishedFiles(out: string): Promise<Set<string>> {
  const configs = yaml.load(await readFile(path.join(out, 'torrents', 'configs.yaml'), 'utf8')) as Record<
    string,
    { files?: Record<string, unknown> }
  >;
  return new Set(
    Object.entries(configs ?? {}).flatMap(([os, c]) =>
      Object.keys(c.files ?? {}).map((f) => path.join(os, f)),
    ),
  );
}

export async function freshBuild(dir: string, log: Console): Promise<BuildResult | undefined> {
  const built = await buildEnv(dir, { onProgress: hashProgress(log) });
  return printBuild(built, dir, log) && built.ok ? built.value : undefined;
}

/** The env's config as it is now, and what the last build wrote; refuses when there was none. */
export async function lastBuild(dir: string, log: Console): Promise<BuildResult | undefined> {
  const summary = await readFile(path.join(dir, 'out', BUILD_SUMMARY), 'utf8').catch(() => undefined);
  if (!summary) {
    log.error(
      `boottorrent start --no-build: ${path.join(dir, 'out')} has no build; run \`boottorrent build ${dir}\` first`,
    );
    return undefined;
  }
  const env = await readEnv(dir);
  if (!env.ok) {
    for (const p of env.problems) log.error(`error: ${formatProblem(p)}`);
    return undefined;
  }
  return { ...(JSON.parse(summary) as Omit<BuildResult, 'config'>), config: env.value.config };
}
