#!/usr/bin/env node
// The host's WebTorrent seeder as a process of its own (`boottorrent start --seeder webtorrent` and the
// seeder-death bench start it): it can die and be started again without the host, and the pieces it
// serves never wait on the dashboard. Options come as one JSON argument; it reports what it uploaded
// to its parent over IPC every second (reportMs), and its log lines on stdout; SIGTERM stops it.
import {
  type SeederReport,
  startWebtorrentSeeder,
  type WebtorrentSeederOptions,
} from './webtorrent-seeder.ts';

const o = JSON.parse(process.argv[2] ?? '{}') as WebtorrentSeederOptions & { reportMs?: number };
const seeder = await startWebtorrentSeeder({ ...o, log: (_name, line) => console.log(line) });
const say = () => process.connected && process.send?.({ uploaded: seeder.uploaded() } satisfies SeederReport);
const report = setInterval(say, o.reportMs ?? 1000);
for (const sig of ['SIGTERM', 'SIGINT'] as const)
  process.on(sig, async () => {
    clearInterval(report);
    say();
    await seeder.stop();
    process.exit(0);
  });
const { code } = await seeder.exited;
process.exit(code ?? 0);
