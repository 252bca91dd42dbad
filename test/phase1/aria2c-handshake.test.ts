import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { aria2Engine } from '../../client/src/engines/aria2-engine.ts';
import { LAB_SWARM } from '../../client/src/engines/swarm-settings.ts';
import { formatProblem, freePort } from '../../client/src/shared.ts';
import { buildEnv } from '../../host/src/shared.ts';
import { loopbackYaml, startLoopbackHost } from '../helpers/loopback-host.ts';
import { makeOriginalEnv } from '../helpers/make-env.ts';

/** How each of aria2's outgoing connections to `port` ended its encrypted (MSE) handshake, by CUID. */
function mseOutcomes(log: string, port: number): Map<string, 'done' | 'fell back' | 'waiting'> {
  const out = new Map<string, 'done' | 'fell back' | 'waiting'>();
  for (const [, cuid] of log.matchAll(new RegExp(`(CUID#\\d+) - Connecting to [\\d.]+:${port}\\b`, 'g')))
    if (!out.has(cuid!)) out.set(cuid!, 'waiting');
  for (const cuid of out.keys()) {
    if (log.includes(`${cuid} - VC marker found`)) out.set(cuid, 'done');
    else if (log.includes(`${cuid} - Retry using legacy BitTorrent handshake`)) out.set(cuid, 'fell back');
  }
  return out;
}

// Needs dist/phase1: tools/test-all.sh builds it before this tier. aria2c opens every connection with an
// encrypted handshake and falls back to plain BitTorrent only when that fails; the host's WebTorrent
// seeder answers it. Phase 1's aria2c once did its Diffie-Hellman with aria2's own bignum code, and about
// 2 connections in 5 to the seeder then hung until aria2's 20 s peer timeout: a lone client waited ~25 s
// for its first byte. Eight fresh starts against the seeder, each must finish the handshake.
it(
  'Phase 1’s static aria2c completes the encrypted handshake with the host’s WebTorrent seeder, start after start',
  { timeout: 240_000 },
  async () => {
    const aria2c = path.resolve('dist', 'phase1', 'root', 'usr', 'bin', 'aria2c');
    const env = await makeOriginalEnv({ boottorrentYaml: loopbackYaml(await freePort()) });
    const built = await buildEnv(env);
    assert.ok(built.ok, built.ok ? '' : built.problems.map(formatProblem).join('\n'));
    const host = await startLoopbackHost(env, { seeder: 'webtorrent' });
    const work = await mkdtemp(path.join(tmpdir(), 'bt-mse-'));
    const seen: string[] = [];
    try {
      for (let i = 0; i < 8; i++) {
        const logFile = path.join(work, `aria2-${i}.log`);
        const t = await aria2Engine({
          swarm: LAB_SWARM,
          bin: aria2c,
          logFile,
          extraArgs: ['--log-level=debug'],
        }).start({
          torrentFile: path.join(env, 'out', 'torrents', 'freedos.torrent'),
          dataDir: await mkdtemp(path.join(work, 'data-')),
        });
        let outcome: string[] = [];
        // bounded: aria2 gives up on a silent peer after 20 s and says so in the log
        for (let waited = 0; waited < 30_000; waited += 200) {
          outcome = [...mseOutcomes(await readFile(logFile, 'utf8'), host.seederPort).values()];
          if (outcome.length && !outcome.includes('waiting')) break;
          await new Promise((r) => setTimeout(r, 200));
        }
        await t.stop();
        seen.push(`start ${i + 1}: ${outcome.join(', ') || 'no connection to the seeder'}`);
      }
    } finally {
      await host.stop();
      await rm(work, { recursive: true, force: true });
      await rm(env, { recursive: true, force: true });
    }
    assert.ok(
      seen.every((s) => /: (done)(, done)*$/.test(s)),
      seen.join('\n'),
    );
  },
);
