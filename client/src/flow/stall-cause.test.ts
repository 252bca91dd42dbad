import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { btError } from '../core/bt-error.ts';
import type { TransferStats } from '../engines/engine.ts';
import { stallError } from './stall-cause.ts';

const stats = (o: Partial<TransferStats>): TransferStats => ({
  done: 1 << 20,
  total: 4 << 20,
  downSpeed: 0,
  upSpeed: 0,
  uploaded: 0,
  peers: 0,
  ...o,
});
const view = (peers: string[], nowhere: number[]) => ({
  torrent: 'debian',
  pieces: 16,
  have: 'f000',
  peers,
  nowhere,
});
const o = { stallMs: 60_000, hostIp: '10.0.0.1' };

describe('why a download stalled, from what the client measured', () => {
  it('pieces that failed their checks meanwhile: a corrupt peer (a speed that lingers is not proof)', () => {
    const e = stallError(stats({ downSpeed: 5000, peers: 2 }), { ...o, since: { failed: 3, received: 0 } });
    assert.match(e.message, /3 piece\(s\) arrived meanwhile and failed their checks\.$/);
    assert.match(e.hint, /a peer sends corrupt pieces/);
    // 16 pieces of 4 MiB: 256 KiB each; two pieces' worth arrived and none passed
    const streaming = stallError(stats({ peers: 1, swarms: [view(['10.0.0.7'], [5])] }), {
      ...o,
      since: { failed: 0, received: 512 << 10 },
    });
    assert.match(streaming.message, /512 KiB arrived meanwhile and failed their checks\.$/);
    const lingering = stallError(stats({ downSpeed: 5000, peers: 1, swarms: [view(['10.0.0.7'], [5])] }), {
      ...o,
      since: { failed: 0, received: 100 << 10 },
    });
    assert.doesNotMatch(lingering.hint, /corrupt/);
  });

  it('pieces on no machine it reaches, the host not among them: the host is not serving them', () => {
    const e = stallError(stats({ peers: 2, swarms: [view(['10.0.0.7', '10.0.0.8'], [4, 5, 6, 9])] }), o);
    assert.equal(
      e.message,
      'No verified data arrived for 60 s: 4 of the 16 pieces of "debian" (4–6 and 9) are on none of the 2 machine(s) this client reaches, and the host’s seeder is not among them: the host is not serving them.',
    );
    assert.match(e.hint, /check that `boottorrent start` runs and its seeder is up/);
    assert.doesNotMatch(`${e.message} ${e.hint}`, /cable/);
  });

  it('the host connected (as WebTorrent writes it, IPv4-mapped) but the pieces nowhere: another build', () => {
    const e = stallError(stats({ peers: 1, swarms: [view(['::ffff:10.0.0.1'], [7])] }), o);
    assert.match(e.message, /and the host, connected, did not send them\.$/);
  });

  it('no peer at all: what the network check measured, else the host or its tracker (never the cable)', () => {
    const link = btError('No network link on eth0: no cable, or the switch port is off.', 'check the cable');
    assert.equal(stallError(stats({ swarms: [view([], [1])] }), { ...o, network: link }), link);
    // aria2 counts a connection it is still making; its list of peers is what says who is there
    const e = stallError(stats({ peers: 1, swarms: [view([], [1])] }), o);
    assert.match(
      e.message,
      /and no machine is connected: the host’s seeder does not answer, and no other client offers a piece this one lacks\.$/,
    );
    assert.match(e.hint, /10\.0\.0\.1 \(its tracker\) is reachable/);
    assert.doesNotMatch(e.hint, /cable/);
  });

  it('peers that have what is missing but send nothing', () => {
    const e = stallError(stats({ peers: 3, swarms: [view(['10.0.0.7'], [])] }), o);
    assert.match(e.message, /have what is missing but sent nothing\.$/);
  });
});
