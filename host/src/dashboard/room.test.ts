import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type EventStage, eventFrom } from '../../../client/src/shared.ts';
import { downloadEvent } from './events.test-helpers.ts';
import { formatNet, inNetwork, labNetwork } from './lab-network.ts';
import { parseLeases } from './leases.ts';
import { Room } from './room.ts';

const MAC1 = '52:54:00:12:34:01';
const MAC2 = '52:54:00:12:34:02';
const ev = (
  mac: string,
  seq: number,
  stage: EventStage,
  o: { run?: string; done?: number; uploaded?: number; fromPeer?: number } = {},
) =>
  eventFrom({
    kind: 'stage',
    stage,
    mac,
    run: o.run ?? 'a',
    seq,
    hostIp: '10.0.0.1',
    engine: 'aria2',
    os: { name: 'debian', label: 'Debian 12' },
    stats: {
      done: o.done ?? 0,
      total: 1000,
      downSpeed: 0,
      upSpeed: 0,
      uploaded: o.uploaded ?? 0,
      peers: 1,
      bySource: { '10.0.0.1': 1000 - (o.fromPeer ?? 0), '10.0.0.9': o.fromPeer ?? 0 },
    },
  });

describe('the room: events, leases and the seeder joined', () => {
  it('a lease makes a row before bttui speaks; its events then move it through the stages', () => {
    const room = new Room({ ip: '10.0.0.1', seeder: 'aria2', startedAt: 0 });
    room.applyLeases(parseLeases(`1799999999 ${MAC1.toUpperCase()} 10.0.0.50 lab-pc-1 *\n`), 1000);
    let s = room.snapshot(1500);
    assert.deepEqual(
      s.clients.map((c) => [c.mac, c.ip, c.hostname, c.stage]),
      [[MAC1, '10.0.0.50', 'lab-pc-1', 'pxe']],
    );
    room.applyEvent(ev(MAC1, 0, 'download'), '::ffff:10.0.0.50', 5000);
    room.applyEvent(ev(MAC1, 1, 'verify', { done: 1000, fromPeer: 400 }), '10.0.0.50', 9000);
    s = room.snapshot(10_000);
    const c = s.clients[0]!;
    assert.deepEqual(
      c.stages.map((x) => [x.stage, x.at]),
      [
        ['pxe', 1000],
        ['download', 5000],
        ['verify', 9000],
      ],
    );
    assert.deepEqual(
      [c.stage, c.stageSince, c.label, c.fromHost, c.fromPeers, c.hostname],
      ['verify', 9000, 'Debian 12', 600, 400, 'lab-pc-1'],
    );
  });

  it('the seeder’s count and the clients’ uploads make the totals and the chart', () => {
    const room = new Room({ ip: '10.0.0.1', seeder: 'aria2', startedAt: 0 });
    room.applyEvent(ev(MAC1, 0, 'seed', { uploaded: 300 }), '10.0.0.50', 1);
    room.applyEvent(ev(MAC2, 0, 'seed', { uploaded: 200 }), '10.0.0.51', 1);
    room.applySeeder(1500);
    room.sample(2000);
    room.applySeeder(1400); // an older reading arriving late never lowers the count
    const s = room.snapshot(2000);
    assert.equal(s.host.sent, 1500);
    assert.equal(s.totals.peersSent, 500);
    assert.deepEqual(s.history, [{ t: 2000, hostSent: 1500, peersSent: 500 }]);
    assert.deepEqual(s.totals.byStage, { seed: 2 });
  });

  it('a late or repeated event of the same run is ignored; a rebooted client counts on from its earlier uploads', () => {
    const room = new Room({ ip: '10.0.0.1', seeder: 'aria2', startedAt: 0 });
    assert.equal(room.applyEvent(ev(MAC1, 5, 'seed', { uploaded: 300 }), '10.0.0.50', 1), 'taken');
    assert.equal(room.applyEvent(ev(MAC1, 4, 'download'), '10.0.0.50', 2), 'stale');
    assert.equal(room.snapshot(3).clients[0]!.stage, 'seed');
    room.applyEvent(ev(MAC1, 0, 'download', { run: 'b', uploaded: 50 }), '10.0.0.50', 4);
    assert.equal(room.snapshot(5).clients[0]!.uploaded, 350);
  });

  it('a failure stays on the row at the menu and clears when the client tries again', () => {
    const room = new Room({ ip: '10.0.0.1', seeder: 'aria2', startedAt: 0 });
    room.applyEvent(
      { ...ev(MAC1, 0, 'failed'), error: { message: 'No verified data', hint: 'cable' } },
      '10.0.0.50',
      1,
    );
    room.applyEvent(ev(MAC1, 1, 'menu'), '10.0.0.50', 2);
    assert.equal(room.snapshot(3).clients[0]!.error?.message, 'No verified data');
    room.applyEvent(ev(MAC1, 2, 'download'), '10.0.0.50', 4);
    assert.equal(room.snapshot(5).clients[0]!.error, undefined);
  });

  it('the network card and its link speed stay on the row from the event that said them, across the menu', () => {
    const room = new Room({ ip: '10.0.0.1', seeder: 'aria2', startedAt: 0 });
    room.applyEvent({ ...ev(MAC1, 0, 'download'), nic: 'igc', linkMbps: 2500 }, '10.0.0.50', 1);
    room.applyEvent(ev(MAC1, 1, 'menu'), '10.0.0.50', 2);
    const c = room.snapshot(3).clients[0]!;
    assert.deepEqual([c.nic, c.linkMbps], ['igc', 2500]);
  });
});

describe('leases and the lab network', () => {
  it('reads dnsmasq leases, skipping what is not one', () => {
    assert.deepEqual(
      parseLeases(
        '1700000000 52:54:00:12:34:01 10.0.0.50 * 01:52:54:00:12:34:01\nduid 00:01:00\n\ngarbage\n',
      ),
      [{ mac: '52:54:00:12:34:01', ip: '10.0.0.50' }],
    );
  });

  it('the lab network is the prefix of the interface that holds host_ip', () => {
    const net = labNetwork('10.55.0.1', {
      lo: [
        {
          address: '127.0.0.1',
          family: 'IPv4',
          cidr: '127.0.0.1/8',
          internal: true,
          mac: '',
          netmask: '255.0.0.0',
        },
      ],
      br0: [
        {
          address: '10.55.0.1',
          family: 'IPv4',
          cidr: '10.55.0.1/24',
          internal: false,
          mac: '',
          netmask: '255.255.255.0',
        },
      ],
    });
    assert.equal(formatNet(net), '10.55.0.0/24');
    assert.ok(inNetwork('10.55.0.77', net));
    assert.ok(inNetwork('::ffff:10.55.0.77', net));
    assert.ok(!inNetwork('10.55.1.77', net));
    assert.ok(!inNetwork('127.0.0.1', net));
    assert.ok(!inNetwork('fe80::1', net));
    assert.equal(
      formatNet(labNetwork('192.168.1.1', {})),
      '192.168.1.1/32',
      'no interface holds it: itself alone',
    );
  });
});

describe('the room’s totals', () => {
  it('stay exact integers: sums stop at 2^53 − 1 instead of passing it', () => {
    const room = new Room({ ip: '10.0.0.1', seeder: 'aria2', startedAt: 0 });
    const big = Number.MAX_SAFE_INTEGER - 10;
    for (const [i, run] of [
      [1, 'a'],
      [1, 'b'],
      [2, 'a'],
    ] as const)
      room.applyEvent(
        { ...downloadEvent({ label: 'x', mac: `52:54:00:12:34:0${i}` }), run, uploaded: big, fromHost: big },
        '10.0.0.5',
        1,
      );
    const s = room.snapshot(2);
    // client 1 rebooted once (runs a and b): its uploads add up; the room's sums add both clients
    const one = s.clients.find((c) => c.mac === '52:54:00:12:34:01')!;
    for (const n of [s.totals.peersSent, s.totals.fromHost, one.uploaded])
      assert.equal(n, Number.MAX_SAFE_INTEGER);
  });
});

describe('the room’s size', () => {
  it('keeps at most 1,024 rows, whether they come by event or by lease', () => {
    const room = new Room({ ip: '10.0.0.1', seeder: 'aria2', startedAt: 0 });
    const mac = (i: number) =>
      `52:54:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
    for (let i = 0; i < 1024; i++)
      assert.equal(
        room.applyEvent({ ...downloadEvent({ label: 'x', mac: mac(i) }) }, '10.0.0.5', 1),
        'taken',
      );
    assert.equal(
      room.applyEvent({ ...downloadEvent({ label: 'x', mac: mac(1024) }) }, '10.0.0.5', 1),
      'full',
    );
    room.applyLeases([{ mac: mac(1025), ip: '10.0.9.9' }], 2);
    assert.equal(room.snapshot(3).clients.length, 1024);
  });
});
