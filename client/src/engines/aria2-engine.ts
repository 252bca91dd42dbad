// Over 250 lines: one adapter: aria2c's process, its JSON-RPC, and the swarm view made from its peers, which share their state.
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ResultPromise } from 'execa';
import { btError, fromAria2Code, fromThrown } from '../core/bt-error.ts';
import { LIMITS } from '../core/limits.ts';
import { loadAxios, loadExeca } from '../lazy-deps.ts';
import { parseTorrent } from '../torrent/torrent-file.ts';
import { type DownloadEngine, deferred, type Transfer, type TransferStats, ZERO_STATS } from './engine.ts';
import { freePort } from './free-port.ts';
import { PeerBytes } from './peer-bytes.ts';
import { aria2DiscoveryArgs, type SwarmSettings } from './swarm-settings.ts';
import { hexHas, nowhere, type SwarmView } from './swarm-view.ts';

export interface Aria2Options {
  swarm: SwarmSettings;
  bin?: string;
  logFile?: string;
  /** extra aria2c options, e.g. a listen port in tests */
  extraArgs?: string[];
}

interface Aria2Status {
  files: { path: string; length: string; completedLength: string }[];
  status: string;
  totalLength: string;
  completedLength: string;
  /** hex, one bit per piece, most significant first: the pieces whose hash checked out */
  bitfield?: string;
  pieceLength: string;
  numPieces: string;
  downloadSpeed: string;
  uploadSpeed: string;
  uploadLength: string;
  connections: string;
  errorCode?: string;
  errorMessage?: string;
}

/**
 * aria2c as a child process, driven over its JSON-RPC: we add the torrent, poll its status, and keep it
 * seeding until stop(). `--stop-with-process` makes aria2c exit if bttui dies, so no orphan seeds forever.
 */
export function aria2Engine(opts: Aria2Options): DownloadEngine {
  return {
    name: 'aria2',
    async start({ torrentFile, dataDir }): Promise<Transfer> {
      const port = await freePort();
      const secret = randomBytes(16).toString('hex');
      const [axios, execa] = await Promise.all([loadAxios(), loadExeca()]);
      const child = execa(
        opts.bin ?? 'aria2c',
        [
          '--enable-rpc',
          '--rpc-listen-all=false',
          `--rpc-listen-port=${port}`,
          `--rpc-secret=${secret}`,
          // the torrent travels over RPC in base64: a torrent as large as bttui reads (LIMITS) must fit
          `--rpc-max-request-size=${Math.ceil((LIMITS.maxTorrentBytes * 4) / 3 / 1048576) + 1}M`,
          `--stop-with-process=${process.pid}`,
          // seed until we say stop: seed_time is bttui's to enforce, in seconds
          '--seed-ratio=0.0',
          '--file-allocation=none',
          ...aria2DiscoveryArgs(opts.swarm),
          `--check-integrity=${opts.swarm.check_integrity}`,
          `--bt-tracker-interval=${LIMITS.trackerIntervalS}`,
          '--bt-save-metadata=false',
          // the torrent given over RPC is not copied into the RAM disk as <infohash>.torrent
          '--rpc-save-upload-metadata=false',
          '--auto-save-interval=0',
          '--allow-overwrite=true',
          '--check-certificate=false',
          '--console-log-level=error',
          '--summary-interval=0',
          ...(opts.logFile ? [`--log=${opts.logFile}`, '--log-level=notice'] : []),
          ...(opts.extraArgs ?? []),
        ],
        { reject: false, stdin: 'ignore', all: true, buffer: { all: true } },
      );
      const rpc = axios.create({ baseURL: `http://127.0.0.1:${port}/jsonrpc`, timeout: 5000, proxy: false });
      const call = async <T>(method: string, ...params: unknown[]): Promise<T> =>
        (await rpc.post('', { jsonrpc: '2.0', id: 'bttui', method, params: [`token:${secret}`, ...params] }))
          .data.result as T;

      try {
        await waitForRpc(call, child, opts.logFile);
      } catch (e) {
        child.kill('SIGKILL');
        throw fromThrown('start the aria2 download engine', e);
      }
      let bytes: Buffer;
      let gid: string;
      try {
        bytes = await readFile(torrentFile);
        gid = await call<string>('aria2.addTorrent', bytes.toString('base64'), [], { dir: dataDir });
      } catch (e) {
        // an aria2c that took no torrent is of no use: it must not outlive this attempt
        child.kill('SIGKILL');
        await child;
        throw fromThrown('give the torrent to aria2', e);
      }
      const parsed = parseTorrent(bytes);
      // aria2 keeps an unfinished download's state in <dir>/<name>.aria2, beside the OS folder
      const controlFile = parsed.ok ? path.join(dataDir, `${parsed.torrent.name}.aria2`) : undefined;
      return new Aria2Transfer(
        child,
        call,
        gid,
        dataDir,
        parsed.ok ? parsed.torrent.name : path.basename(torrentFile),
        controlFile,
        opts.logFile,
      );
    },
  };
}

/** Bytes of the pieces aria2's bitfield marks as checked; the last piece is what the total leaves. */
export function verifiedBytes(
  bitfield: string | undefined,
  pieceLength: number,
  pieces: number,
  total: number,
): number {
  if (!bitfield || !pieceLength || !pieces) return 0;
  let n = 0;
  for (let i = 0; i < pieces; i++) {
    const nibble = Number.parseInt(bitfield[i >> 2] ?? '0', 16);
    if (nibble & (8 >> (i & 3))) n += i === pieces - 1 ? total - pieceLength * (pieces - 1) : pieceLength;
  }
  return n;
}

/**
 * Whether aria2 has a peer's handshake: it lists a peer from the moment it starts connecting, with a
 * peer id of zero bytes until the handshake, so a dead seeder the tracker still names shows up, at
 * times, as a peer with nothing.
 */
export function handshaken(peerId: string | undefined): boolean {
  return !!peerId && !/^(%00)*$/i.test(peerId);
}

/** The torrent's pieces and the peers that answered, from aria2's bitfields (its own and each peer's). */
export function swarmView(
  torrent: string,
  s: { bitfield?: string; numPieces: string },
  listed: { ip: string; bitfield: string; peerId?: string }[],
): SwarmView {
  const pieces = Number(s.numPieces) || 0;
  const have = s.bitfield ?? '';
  const peers = listed.filter((p) => handshaken(p.peerId));
  return {
    torrent,
    pieces,
    have,
    peers: peers.map((p) => p.ip),
    nowhere: nowhere(
      pieces,
      (i) => hexHas(have, i),
      peers.map((p) => (i: number) => hexHas(p.bitfield ?? '', i)),
    ),
  };
}

/** Where a person finds what aria2c said: its log when bttui gave it one. */
const seeLog = (logFile?: string) => (logFile ? `see ${logFile}` : 'run bttui again with an aria2 log');

async function waitForRpc(
  call: (m: string) => Promise<unknown>,
  child: ResultPromise,
  logFile?: string,
): Promise<void> {
  const until = Date.now() + LIMITS.aria2StartupMs;
  let exited: { code?: string; all?: unknown } | undefined;
  void child.then((r) => {
    exited = r as { code?: string; all?: unknown };
  });
  for (;;) {
    try {
      await call('aria2.getVersion');
      return;
    } catch (e) {
      if (exited?.code === 'ENOENT')
        throw btError(
          'aria2c is not on this Phase-1 system.',
          'rebuild the Phase-1 base (`npm run phase1`), or set engine: webtorrent.',
        );
      if (exited)
        throw btError('aria2c exited as it started.', `${seeLog(logFile)}.`, String(exited.all ?? ''));
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

class Aria2Transfer implements Transfer {
  readonly complete: Promise<void>;
  /** aria2c's PID, for measurements (CPU, memory) of the engine itself */
  readonly pid: number | undefined;
  #last: TransferStats = ZERO_STATS;
  #timer: NodeJS.Timeout;
  #stopped = false;
  #controlFile: string | undefined;
  #logFile: string | undefined;
  #child: ResultPromise;
  #call: <T>(method: string, ...params: unknown[]) => Promise<T>;

  constructor(
    child: ResultPromise,
    call: <T>(method: string, ...params: unknown[]) => Promise<T>,
    gid: string,
    dataDir: string,
    name: string,
    controlFile?: string,
    logFile?: string,
  ) {
    this.#controlFile = controlFile;
    this.#logFile = logFile;
    this.#child = child;
    this.#call = call;
    this.pid = child.pid;
    const done = deferred();
    this.complete = done.promise;
    void child.then((r) => {
      if (!this.#stopped)
        done.reject(
          btError(
            'The aria2 download engine stopped unexpectedly.',
            `try again; ${seeLog(this.#logFile)}.`,
            String(r.all),
          ),
        );
    });
    const bySource = new PeerBytes(Date.now());
    let polling = false;
    // aria2 says nothing of a piece that fails its hash, but its completed bytes (which count the blocks
    // of pieces in progress) go down when one is thrown away, and their rises are what arrived
    let completed = 0;
    let failedPieces = 0;
    let received = 0;
    const poll = async () => {
      // a poll slower than the interval (a busy client) is not overlapped by the next one
      if (polling) return;
      polling = true;
      try {
        const peers = await call<{ ip: string; downloadSpeed: string; bitfield: string; peerId: string }[]>(
          'aria2.getPeers',
          gid,
        ).catch(() => []);
        // aria2 keeps no per-peer totals: each peer's speed, integrated up to now
        bySource.add(peers, Date.now());
        const s = await call<Aria2Status>('aria2.tellStatus', gid, [
          'files',
          'status',
          'totalLength',
          'completedLength',
          'bitfield',
          'pieceLength',
          'numPieces',
          'downloadSpeed',
          'uploadSpeed',
          'uploadLength',
          'connections',
          'errorCode',
          'errorMessage',
        ]);
        const nowCompleted = Number(s.completedLength);
        if (nowCompleted < completed) failedPieces++;
        else received += nowCompleted - completed;
        completed = nowCompleted;
        this.#last = {
          // completedLength also counts blocks of pieces not yet checked: a corrupt peer would look busy
          done: verifiedBytes(s.bitfield, Number(s.pieceLength), Number(s.numPieces), Number(s.totalLength)),
          total: Number(s.totalLength),
          downSpeed: Number(s.downloadSpeed),
          upSpeed: Number(s.uploadSpeed),
          uploaded: Number(s.uploadLength),
          peers: Number(s.connections),
          files: s.files.map((f) => ({
            path: path.relative(dataDir, f.path),
            done: Number(f.completedLength),
            total: Number(f.length),
          })),
          bySource: bySource.totals(),
          swarms: [swarmView(name, s, peers)],
          failedPieces,
          received,
        };
        if (s.status === 'error')
          done.reject(fromAria2Code(Number(s.errorCode), s.errorMessage ?? '', this.#logFile));
        else if (this.#last.total > 0 && this.#last.done === this.#last.total) done.resolve();
      } catch {
        // a missed poll is harmless; a dead aria2c is reported by the exit handler above
      } finally {
        polling = false;
      }
    };
    this.#timer = setInterval(poll, LIMITS.progressIntervalMs);
    void poll();
  }

  stats(): TransferStats {
    return this.#last;
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    // forceShutdown skips the tracker's "stopped" announce, and still took ~4 s to exit (measured on
    // loopback): 4 s more before every kexec. Nothing is left to flush (a seed writes nothing; a failed
    // download is deleted), so 1 s is all it gets before SIGKILL
    await this.#call('aria2.forceShutdown').catch(() => this.#child.kill('SIGTERM'));
    const killer = setTimeout(() => this.#child.kill('SIGKILL'), 1000);
    await this.#child;
    clearTimeout(killer);
    // resuming is not how bttui retries (it starts clean), so the state file would only take RAM
    if (this.#controlFile) await rm(this.#controlFile, { force: true });
  }
}
