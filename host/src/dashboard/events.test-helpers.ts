import { type ClientEvent, eventFrom } from '../../../client/src/shared.ts';

/** A client's first event (download has begun) as bttui would post it to a host on loopback. */
export function downloadEvent(o: {
  label: string;
  done?: number;
  total?: number;
  mac?: string;
  link?: { driver?: string; mbps?: number };
}): ClientEvent {
  return eventFrom({
    kind: 'stage',
    stage: 'download',
    mac: o.mac ?? '52:54:00:12:34:01',
    run: 'r',
    seq: 0,
    hostIp: '127.0.0.1',
    engine: 'aria2',
    link: o.link,
    os: { name: 'debian', label: o.label },
    stats: { done: o.done ?? 0, total: o.total ?? 0, downSpeed: 2048, upSpeed: 0, uploaded: 0, peers: 1 },
  });
}
