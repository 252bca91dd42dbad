// Over 250 lines: boottorrent start in one namespace, read by each of its tests in turn (lease, TFTP, HTTP, tracker, logs, stop).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa, type ResultPromise } from 'execa';
import { eventFrom } from '../../client/src/events/boot-events.ts';
import type { Status } from '../../host/src/shared.ts';
import { forwardFromNamespace } from '../../tools/lab/forward-port.ts';
import { LabNet } from '../../tools/lab/netns.ts';
import { makeOriginalEnv, ORIGINAL_BOOTTORRENT_YAML } from '../helpers/make-env.ts';

const CLI = path.resolve('host/src/cli.ts');
const sha = async (f: string) =>
  createHash('sha256')
    .update(await readFile(f))
    .digest('hex');

/** `boottorrent start` inside the lab namespace, its output collected for assertions. */
function startHost(net: LabNet, env: string, extra: string[] = []) {
  const child: ResultPromise = execa(
    'ip',
    ['netns', 'exec', net.ns, process.execPath, CLI, 'start', env, ...extra],
    {
      reject: false,
      all: true,
      stdin: 'ignore',
      buffer: false,
    },
  );
  let output = '';
  let exited = false;
  void child.then(() => {
    exited = true;
  });
  child.all!.on('data', (b: Buffer) => {
    output += b.toString();
  });
  const waitFor = async (re: RegExp, ms: number) => {
    for (const until = Date.now() + ms; Date.now() < until; ) {
      if (re.test(output)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`host never printed ${re}; it printed:\n${output}`);
  };
  return { child, waitFor, output: () => output, exited: () => exited };
}

describe('boottorrent start in a network namespace', { timeout: 180_000 }, () => {
  // made in before(), not here: a filtered run (--test-name-pattern) skips the hooks, and a namespace
  // made while the suite is declared would then never be removed
  let net: LabNet;
  let env: string;
  let work: string;
  let host: ReturnType<typeof startHost>;
  let client: string;
  before(async () => {
    net = new LabNet(`bt-host-${process.pid}`);
    client = net.addClient('c1');
    env = await makeOriginalEnv({
      boottorrentYaml: ORIGINAL_BOOTTORRENT_YAML.replace(
        'interface: btbr0',
        `interface: ${net.bridge}`,
      ).concat('http:\n    enable: true\n    port: 8000\n'),
    });
    work = await mkdtemp(path.join(tmpdir(), 'bt-c1-'));
    host = startHost(net, env);
    await host.waitFor(/Ctrl\+C stops everything/, 60_000);
  });
  after(async () => {
    if (host && !host.exited()) host.child.kill('SIGTERM');
    await host?.child;
    const left = (await net?.destroy()) ?? [];
    if (env) await rm(env, { recursive: true, force: true });
    if (work) await rm(work, { recursive: true, force: true });
    assert.deepEqual(left, [], 'no process left in the namespaces');
  });

  const inClient = (cmd: string, args: string[], timeout = 30_000) =>
    execa('ip', ['netns', 'exec', client, cmd, ...args], { reject: false, all: true, timeout, cwd: work });

  it('says what it serves in one status block', () => {
    assert.match(
      host.output(),
      /on btbr0 as 10\.77\.0\.1: DHCP 10\.77\.0\.50,10\.77\.0\.150,12h, TFTP, HTTP :8000/,
    );
    assert.match(host.output(), /tracker http:\/\/10\.77\.0\.1:6969\/announce, seeder :6881/);
    assert.match(host.output(), /dashboard http:\/\/10\.77\.0\.1:8000\/ \(boottorrent status /);
  });

  it('a DHCP client on the bridge gets a lease in the range with the PXE boot file (lpxelinux.0: HTTP is on, and udhcpc is no iPXE)', async () => {
    const script = path.join(work, 'dhcp.sh');
    await writeFile(
      script,
      `#!/bin/sh\n[ "$1" = bound ] && { echo "ip=$ip boot_file=$boot_file siaddr=$siaddr" > ${work}/lease; ip addr add $ip/$mask dev $interface; }\nexit 0\n`,
    );
    await chmod(script, 0o755);
    const r = await inClient('busybox', [
      'udhcpc',
      '-i',
      'eth0',
      '-q',
      '-n',
      '-t',
      '5',
      '-T',
      '1',
      '-s',
      script,
    ]);
    assert.equal(r.exitCode, 0, r.all);
    const lease = await readFile(path.join(work, 'lease'), 'utf8');
    assert.match(
      lease,
      /^ip=10\.77\.0\.(5\d|[6-9]\d|1[0-4]\d|150) boot_file=lpxelinux\.0 siaddr=10\.77\.0\.1$/m,
    );
  });

  for (const [proto, fetch] of [
    ['TFTP', (f: string, to: string) => inClient('busybox', ['tftp', '-g', '-r', f, '-l', to, '10.77.0.1'])],
    [
      'HTTP',
      (f: string, to: string) => inClient('busybox', ['wget', '-q', '-O', to, `http://10.77.0.1:8000/${f}`]),
    ],
  ] as const) {
    it(`serves pxelinux.0 and torrents.gz over ${proto}`, async () => {
      for (const f of ['pxelinux.0', 'torrents.gz']) {
        const to = path.join(work, `${proto}-${f}`);
        const r = await fetch(f, to);
        assert.equal(r.exitCode, 0, r.all);
        assert.equal(await sha(to), await sha(path.join(env, 'out', 'dnsmasq', 'ph1', f)));
      }
    });
  }

  it('an aria2c leecher on the bridge downloads an OS from the seeder via the tracker', async () => {
    const r = await inClient(
      'aria2c',
      [
        '--seed-time=0',
        '--enable-dht=false',
        '--bt-enable-lpd=false',
        `--dir=${work}/dl`,
        path.join(env, 'out', 'torrents', 'freedos.torrent'),
      ],
      60_000,
    );
    assert.equal(r.exitCode, 0, r.all);
    assert.equal(
      await sha(path.join(work, 'dl', 'freedos', 'odin1440.img')),
      await sha(path.join(env, 'oss', 'freedos', 'odin1440.img')),
    );
  });

  it('the dashboard: a client on the bridge posts an event; its row joins the lease, and status reads it through a forwarded port', async () => {
    const mac = (await inClient('cat', ['/sys/class/net/eth0/address'])).stdout.trim();
    const event = eventFrom({
      kind: 'stage',
      stage: 'download',
      mac,
      run: 'netns',
      seq: 0,
      hostIp: '10.77.0.1',
      engine: 'aria2',
      os: { name: 'freedos', label: 'FreeDOS <b>1.2</b>' },
    });
    // the client's own HTTP stack, from inside its namespace (the lease test gave it its address)
    const posted = await inClient(process.execPath, [
      '-e',
      `fetch('http://10.77.0.1:8000/api/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: process.argv[1] }).then((r) => console.log(r.status))`,
      JSON.stringify(event),
    ]);
    assert.equal(posted.stdout.trim(), '204', posted.all);
    const forward = await forwardFromNamespace({ ns: net.ns, target: '10.77.0.1:8000' });
    try {
      const r = await execa(process.execPath, [CLI, 'status', '--url', forward.url, '--json'], {
        reject: false,
        all: true,
      });
      assert.equal(r.exitCode, 0, r.all);
      const st = JSON.parse(r.stdout) as Status;
      assert.equal(st.ready, true);
      const row = st.clients.find((c) => c.mac === mac);
      assert.ok(row, r.stdout);
      const lease = await readFile(path.join(work, 'lease'), 'utf8');
      assert.equal(row.ip, /ip=([\d.]+)/.exec(lease)![1], 'the address it posted from is its lease');
      assert.deepEqual([row.stage, row.label], ['download', 'FreeDOS <b>1.2</b>']);
      const text = await execa(process.execPath, [CLI, 'status', '--url', forward.url], { reject: false });
      assert.match(
        text.stdout,
        new RegExp(`${mac} +${row.ip!.replaceAll('.', '\\.')} +- +FreeDOS <b>1\\.2</b> +download`),
      );
    } finally {
      await forward.close();
    }
  });

  it('the dashboard answers the lab network only: a machine of another network on the same wire gets 403 for the status and the stream', async () => {
    // a second network on the bridge: the client speaks from 192.168.77.2, the host answers it
    await execa('ip', ['-n', net.ns, 'addr', 'add', '192.168.77.1/24', 'dev', net.bridge]);
    await execa('ip', ['-n', client, 'addr', 'add', '192.168.77.2/24', 'dev', 'eth0']);
    const from = async (local: string, p: string) =>
      (
        await inClient(process.execPath, [
          '-e',
          `require('node:http').get({ host: '10.77.0.1', port: 8000, path: process.argv[1], localAddress: process.argv[2] }, (r) => { console.log(r.statusCode); r.destroy(); process.exit(0); })`,
          p,
          local,
        ])
      ).stdout.trim();
    const lease = /ip=([\d.]+)/.exec(await readFile(path.join(work, 'lease'), 'utf8'))![1]!;
    for (const p of ['/api/status', '/api/stream', '/']) {
      assert.equal(await from('192.168.77.2', p), '403', `${p} from another network`);
      assert.equal(await from(lease, p), '200', `${p} from the lab`);
    }
  });

  it('refuses a second start on the same env, naming the running one', async () => {
    const second = await execa(process.execPath, [CLI, 'start', env], {
      reject: false,
      all: true,
      timeout: 20_000,
    });
    assert.equal(second.exitCode, 1);
    assert.match(second.all, /is already being served \(pid \d+\); stop that one first/);
  });

  it('SIGTERM stops every component and leaves no process and no lock', async () => {
    host.child.kill('SIGTERM');
    const r = await host.child;
    assert.equal(r.exitCode, 0, host.output());
    assert.match(host.output(), /SIGTERM, stopping tracker, seeder, dnsmasq/);
    assert.deepEqual(net.pids(), []);
    await assert.rejects(readFile(path.join(env, '.boottorrent.pid')));
  });
});

/** `boottorrent start` in the namespace, expected to stop before serving: its whole output. */
function startRefused(net: LabNet, env: string) {
  return execa('ip', ['netns', 'exec', net.ns, process.execPath, CLI, 'start', env], {
    reject: false,
    all: true,
    timeout: 60_000,
  });
}

describe('boottorrent start refuses or stops, and says why', { timeout: 120_000 }, () => {
  it('before starting anything: a missing interface and a host_ip that is not ours, both at once, with the fix', async () => {
    const net = new LabNet(`bt-pre-${process.pid}`, '10.78.0');
    const env = await makeOriginalEnv({
      boottorrentYaml: ORIGINAL_BOOTTORRENT_YAML.replace('interface: btbr0', 'interface: nope0').replace(
        'host_ip: 10.77.0.1',
        'host_ip: 10.99.0.1',
      ),
    });
    try {
      const r = await startRefused(net, env);
      assert.equal(r.exitCode, 1);
      assert.match(
        r.all,
        /network interface nope0 does not exist here\n {2}Hint: set dnsmasq\.interface in Boottorrent\.yaml/,
      );
      assert.match(
        r.all,
        /host_ip 10\.99\.0\.1 is not an address of this machine\n {2}Hint: set boottorrent\.host_ip/,
      );
      assert.doesNotMatch(r.all, /BootTorrent is serving/);
      await assert.rejects(readFile(path.join(env, '.boottorrent.pid')), 'the lock is released');
    } finally {
      assert.deepEqual(await net.destroy(), []);
      await rm(env, { recursive: true, force: true });
    }
  });

  it("before starting anything: a dnsmasq user that does not exist and a DHCP range outside host_ip's network", async () => {
    const net = new LabNet(`bt-pre2-${process.pid}`, '10.78.0');
    const env = await makeOriginalEnv({
      boottorrentYaml: ORIGINAL_BOOTTORRENT_YAML.replace('host_ip: 10.77.0.1', 'host_ip: 10.78.0.1')
        .replace('"10.77.0.50,10.77.0.150,12h"', '"10.99.0.50,10.99.0.150,12h"')
        .replace('bind_interfaces: True', 'bind_interfaces: True\n    user: bt-no-such-user'),
    });
    try {
      const r = await startRefused(net, env);
      assert.equal(r.exitCode, 1);
      assert.match(r.all, /dnsmasq\.user bt-no-such-user is not a user on this machine/);
      assert.match(
        r.all,
        /dnsmasq\.dhcp_range 10\.99\.0\.50,10\.99\.0\.150,12h reaches outside host_ip's network \(10\.99\.0\.50, 10\.99\.0\.150\) \(host_ip 10\.78\.0\.1\/24\)/,
      );
      assert.doesNotMatch(r.all, /BootTorrent is serving/);
    } finally {
      assert.deepEqual(await net.destroy(), []);
      await rm(env, { recursive: true, force: true });
    }
  });
});
