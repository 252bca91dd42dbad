import { type BtError, btError } from '../core/bt-error.ts';
import { isHost } from '../core/split-sources.ts';
import type { TransferStats } from '../engines/engine.ts';
import { pieceRuns } from '../engines/swarm-view.ts';
import { bytes } from '../ui/format.ts';

/**
 * Why no verified byte arrived for a while, from what the client measured: pieces that arrived and
 * failed their checks meanwhile (a corrupt peer); pieces that no machine it reaches has while the host's seeder is not among
 * them (the host is not serving); no peer at all (the network, when `network` says why, else the host's
 * seeder or its tracker);
 * peers that have what is missing but send nothing. The cable is blamed only by `network`.
 */
export function stallError(
  s: TransferStats,
  o: {
    stallMs: number;
    hostIp: string;
    network?: BtError;
    /** since the last verified byte: pieces that failed their hash, bytes that arrived */
    since?: { failed: number; received: number };
  },
): BtError {
  const secs = Math.round(o.stallMs / 1000);
  const head = `No verified data arrived for ${secs} s (${bytes(s.done)} of ${bytes(s.total)}, ${s.peers} peers).`;
  const views = s.swarms ?? [];
  // a speed is an average that outlives the data by seconds: what failed, or kept arriving without
  // passing (more than two pieces' worth), is what was measured
  const pieceBytes = views[0]?.pieces ? s.total / views.reduce((n, v) => n + v.pieces, 0) : 0;
  const failed = o.since?.failed ?? 0;
  const arrived = o.since?.received ?? 0;
  if (failed > 0 || (pieceBytes > 0 && arrived >= 2 * pieceBytes))
    return btError(
      `${head} ${failed > 0 ? `${failed} piece(s)` : bytes(arrived)} arrived meanwhile and failed their checks.`,
      'a peer sends corrupt pieces; check the host’s OS files, then choose the OS again.',
    );
  const peers = new Set(views.flatMap((v) => v.peers));
  // the engine's list of peers when it has one (its count may include connections still being made)
  if (views.length ? peers.size === 0 : s.peers === 0) {
    if (o.network) return o.network;
    return btError(
      `No verified data arrived for ${secs} s (${bytes(s.done)} of ${bytes(s.total)}), and no machine is connected: the host’s seeder does not answer, and no other client offers a piece this one lacks.`,
      `this machine has an address; on the host, check that \`boottorrent start\` runs and its seeder is up (\`boottorrent status\`), and that ${o.hostIp} (its tracker) is reachable from here; then choose the OS again.`,
    );
  }
  const missing = views.filter((v) => v.nowhere.length > 0);
  const hostThere = [...peers].some((p) => isHost(p, o.hostIp));
  if (missing.length) {
    const what = missing
      .map((v) => `${v.nowhere.length} of the ${v.pieces} pieces of "${v.torrent}" (${pieceRuns(v.nowhere)})`)
      .join(' and ');
    const reach = `none of the ${peers.size} machine(s) this client reaches`;
    return hostThere
      ? btError(
          `No verified data arrived for ${secs} s: ${what} are on ${reach}, and the host, connected, did not send them.`,
          'the host may serve another build of this env: start `boottorrent start` again on the host, then reboot this client.',
        )
      : btError(
          `No verified data arrived for ${secs} s: ${what} are on ${reach}, and the host’s seeder is not among them: the host is not serving them.`,
          'on the host, check that `boottorrent start` runs and its seeder is up (`boottorrent status` says; it starts a dead seeder again), then choose the OS again.',
        );
  }
  return btError(
    `${head} The ${peers.size || s.peers} machine(s) this client reaches have what is missing but sent nothing.`,
    'they may be busy or capped (the host’s --seed-limit); wait and choose the OS again.',
  );
}
