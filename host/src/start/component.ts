import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';

/** One external program the host runs: its log lines come out prefixed with its name. */
export interface Component {
  readonly name: string;
  readonly pid: number | undefined;
  /** resolves when the program has exited, for whatever reason */
  readonly exited: Promise<{ code: number | undefined; signal: string | undefined; failedToStart?: string }>;
  /** SIGTERM, then SIGKILL 5 s later if it is still there (execa's forceKillAfterDelay); resolves once it is gone */
  stop(): Promise<void>;
}

export interface SpawnSpec {
  name: string;
  cmd: string;
  args: string[];
  cwd?: string;
  log: (name: string, line: string) => void;
  /** a Node child that reports over IPC (process.send): each message it sends */
  onMessage?: (m: unknown) => void;
}

export function spawnComponent(spec: SpawnSpec): Component {
  const child: ResultPromise = execa(spec.cmd, spec.args, {
    cwd: spec.cwd,
    reject: false,
    stdin: 'ignore',
    buffer: false,
    // our own children: we stop them by PID, never by name
    cleanup: true,
    forceKillAfterDelay: 5000,
    ...(spec.onMessage ? { ipc: true, serialization: 'json' as const } : {}),
  });
  if (spec.onMessage && child.getEachMessage) {
    const each = child.getEachMessage({ reference: false });
    void (async () => {
      try {
        for await (const m of each) spec.onMessage?.(m);
      } catch {
        // the child went away mid-message: its exit is reported through `exited`
      }
    })();
  }
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (l) => spec.log(spec.name, l));
  }
  let gone = false;
  const exited = child.then((r) => {
    gone = true;
    const failedToStart =
      r.failed && r.exitCode === undefined && !r.signal ? (r.code ?? r.shortMessage) : undefined;
    return {
      code: r.exitCode,
      signal: r.signal,
      ...(failedToStart ? { failedToStart: String(failedToStart) } : {}),
    };
  });
  return {
    name: spec.name,
    pid: child.pid,
    exited,
    async stop() {
      if (gone) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
