import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { btError } from '../core/bt-error.ts';
import { eventFrom } from './boot-events.ts';
import { checkClientEvent, EVENT_LIMITS } from './client-event.ts';

const good = () =>
  eventFrom({
    kind: 'progress',
    stage: 'download',
    mac: '52:54:00:12:34:01',
    run: 'abc',
    seq: 4,
    hostIp: '10.0.0.1',
    engine: 'aria2',
    link: { driver: 'r8169', mbps: 1000 },
    os: { name: 'debian', label: 'Debian 12' },
    stats: {
      done: 3000,
      total: 10_000,
      downSpeed: 1234.6,
      upSpeed: 10,
      uploaded: 500,
      peers: 2,
      bySource: { '10.0.0.1': 100, '10.0.0.52': 300 },
    },
  });

describe('client events', () => {
  it('carry the figures, split by source in the proportion the engine saw', () => {
    const e = good();
    assert.deepEqual(
      [e.done, e.total, e.down, e.fromHost, e.fromPeers, e.uploaded, e.os, e.label, e.nic, e.linkMbps],
      [3000, 10_000, 1235, 750, 2250, 500, 'debian', 'Debian 12', 'r8169', 1000],
    );
    const failed = eventFrom({
      kind: 'stage',
      stage: 'failed',
      mac: e.mac,
      run: e.run,
      seq: 5,
      hostIp: '10.0.0.1',
      engine: 'aria2',
      error: btError('m', 'h', 'secret detail'),
    });
    assert.deepEqual(failed.error, { message: 'm', hint: 'h' }, 'the detail stays in the client log');
  });

  it('what bttui sends passes the host’s check unchanged', () => {
    const e = good();
    assert.deepEqual(checkClientEvent(JSON.parse(JSON.stringify(e))), { ok: true, value: e });
  });

  it('refuses wrong types, unknown stages, negative or fractional numbers and long text, saying which field', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ v: 2 }, /^v must be 1/],
      [{ kind: 'hello' }, /^kind/],
      [{ mac: 'not-a-mac' }, /^mac/],
      [{ stage: 'pwned' }, /^stage must be one of menu, download/],
      [{ done: -1 }, /^done must be a whole number/],
      [{ total: 1.5 }, /^total must be a whole number/],
      [{ peers: '2' }, /^peers must be a whole number/],
      [{ label: 'x'.repeat(EVENT_LIMITS.maxText.label + 1) }, /^label is longer than 200/],
      [{ run: '' }, /^run must be a non-empty string/],
      [{ error: { message: 5 } }, /^error\.message must be a string/],
      [
        { error: { message: 'm', hint: 'x'.repeat(EVENT_LIMITS.maxText.hint + 1) } },
        /^error\.hint is longer than 600/,
      ],
      [{ seedLeft: -3 }, /^seedLeft/],
      [{ linkMbps: 0 }, /^linkMbps must be a whole number > 0/],
      [{ linkMbps: '1000' }, /^linkMbps/],
      [{ nic: 'x'.repeat(EVENT_LIMITS.maxText.nic + 1) }, /^nic is longer than 32/],
    ];
    for (const [patch, why] of cases) {
      const r = checkClientEvent({ ...good(), ...patch });
      assert.equal(r.ok, false, JSON.stringify(patch));
      if (!r.ok) assert.match(r.reason, why);
    }
    assert.equal(checkClientEvent([good()]).ok, false, 'an array is not an event');
    assert.equal(checkClientEvent(null).ok, false);
  });

  it('keeps only the known fields, and a label with markup as it is (the page shows it as text)', () => {
    const r = checkClientEvent({ ...good(), label: '<img src=x onerror=alert(1)>', extra: { big: 'x' } });
    assert.ok(r.ok);
    assert.equal(r.value.label, '<img src=x onerror=alert(1)>');
    assert.equal('extra' in r.value, false);
  });
});
