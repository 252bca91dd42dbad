import { execFileSync } from 'node:child_process';

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/**
 * A private network for tests and the lab: a namespace holding a bridge with the host's address, and
 * taps (for QEMU) or veth ends in further namespaces (for plain clients). Nothing touches the machine's
 * own interfaces; destroy() removes it all after its processes have ended.
 */
export class LabNet {
  readonly ns: string;
  readonly bridge = 'btbr0';
  readonly hostIp: string;
  readonly prefix: string;
  readonly clientNs: string[] = [];
  #taps: string[] = [];

  constructor(ns: string, subnet = '10.77.0') {
    this.ns = ns;
    this.prefix = subnet;
    this.hostIp = `${subnet}.1`;
    // a namespace left by a crashed earlier run of ours would make `add` fail: take it down first
    if (LabNet.exists(ns)) LabNet.remove(ns);
    ip('netns', 'add', ns);
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    ip('-n', ns, 'link', 'add', this.bridge, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0');
    ip('-n', ns, 'addr', 'add', `${this.hostIp}/24`, 'dev', this.bridge);
    // an IPv6 address only so dnsmasq can send router advertisements (iPXE then skips a ~13 s wait)
    ip('-n', ns, 'addr', 'add', 'fd77::1/64', 'dev', this.bridge, 'nodad');
    ip('-n', ns, 'link', 'set', this.bridge, 'up');
  }

  /** A tap on the bridge for a QEMU NIC; QEMU runs in the namespace too. */
  addTap(name: string): string {
    ip('-n', this.ns, 'tuntap', 'add', 'dev', name, 'mode', 'tap');
    ip('-n', this.ns, 'link', 'set', name, 'master', this.bridge);
    ip('-n', this.ns, 'link', 'set', name, 'up');
    this.#taps.push(name);
    return name;
  }

  /** A namespace of its own joined to the bridge by a veth pair; its end is called `eth0`. */
  addClient(name: string): string {
    const cns = `${this.ns}-${name}`;
    if (LabNet.exists(cns)) LabNet.remove(cns);
    ip('netns', 'add', cns);
    ip('-n', this.ns, 'link', 'add', `v${name}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', cns);
    ip('-n', this.ns, 'link', 'set', `v${name}`, 'master', this.bridge);
    ip('-n', this.ns, 'link', 'set', `v${name}`, 'up');
    ip('-n', cns, 'link', 'set', 'lo', 'up');
    ip('-n', cns, 'link', 'set', 'eth0', 'up');
    this.clientNs.push(cns);
    return cns;
  }

  /**
   * Shapes what leaves `dev` to `rate` (e.g. "2mbit"); by default a tap or veth on the bridge side, i.e.
   * what the bridge sends towards it. The 256 KB burst lets GSO packets through whole: a burst below
   * their size makes tbf segment each one, and the emulated links then cost more CPU than the peers.
   */
  shape(dev: string, rate: string, at: { ns?: string; latency?: string } = {}): void {
    ip(
      'netns',
      'exec',
      at.ns ?? this.ns,
      'tc',
      'qdisc',
      'replace',
      'dev',
      dev,
      'root',
      'tbf',
      'rate',
      rate,
      'burst',
      '256kb',
      'latency',
      at.latency ?? '50ms',
    );
  }

  /** Bytes a device has received and sent, read in the namespace. */
  counters(dev: string, ns = this.ns): { rx: number; tx: number } {
    const read = (k: string) =>
      Number(
        execFileSync('ip', ['netns', 'exec', ns, 'cat', `/sys/class/net/${dev}/statistics/${k}_bytes`], {
          encoding: 'utf8',
        }),
      );
    return { rx: read('rx'), tx: read('tx') };
  }

  /** PIDs still running inside our namespaces. */
  pids(): number[] {
    return [this.ns, ...this.clientNs].flatMap((n) =>
      execFileSync('ip', ['netns', 'pids', n], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number),
    );
  }

  /**
   * Removes the namespaces. Our processes must have been stopped by their PIDs first; this waits (up
   * to 5 s) for them to be gone, and reports any left instead of killing what it did not start.
   */
  async destroy(): Promise<number[]> {
    const until = Date.now() + 5000;
    let left = this.pids();
    while (left.length && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      left = this.pids();
    }
    for (const n of [...this.clientNs, this.ns]) LabNet.remove(n);
    return left;
  }

  static exists(ns: string): boolean {
    return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
      .split('\n')
      .some((l) => l.split(' ')[0] === ns);
  }

  static remove(ns: string): void {
    try {
      ip('netns', 'del', ns);
    } catch {
      // already gone
    }
  }
}
