import assert from 'node:assert/strict';
import path from 'node:path';
import { it } from 'node:test';
import { bytesArg, parseStartArgs } from './start-args.ts';

it('reads start options, with defaults', () => {
  assert.deepEqual(parseStartArgs(['lab']), {
    ok: true,
    opts: { dir: path.resolve('lab'), seedLimit: 0, seederPort: 6881, seeder: 'webtorrent', noBuild: false },
  });
  const r = parseStartArgs([
    'lab',
    '--seed-limit',
    '2M',
    '--seeder',
    'webtorrent',
    '--seeder-port',
    '7000',
    '--no-build',
  ]);
  assert.ok(r.ok);
  assert.deepEqual(
    [r.opts.seedLimit, r.opts.seeder, r.opts.seederPort, r.opts.noBuild],
    [2 << 20, 'webtorrent', 7000, true],
  );
  assert.equal(bytesArg('1.5K'), 1536);
});

it('says what is wrong with bad options', () => {
  const bad: [string[], string][] = [
    [[], 'needs exactly one env folder'],
    [['a', 'b'], 'needs exactly one env folder'],
    [['lab', '--seed-limit', 'fast'], '--seed-limit "fast" is not a rate like 2M or 500K'],
    [['lab', '--seeder-port', 'abc'], '--seeder-port "abc" is not a port (1-65535)'],
    [['lab', '--seeder-port', '70000'], '--seeder-port "70000" is not a port (1-65535)'],
    [['lab', '--seeder', 'rtorrent'], '--seeder must be aria2 or webtorrent, not "rtorrent"'],
  ];
  for (const [argv, message] of bad) assert.deepEqual(parseStartArgs(argv), { ok: false, message });
  const unknown = parseStartArgs(['lab', '--frobnicate']);
  assert.deepEqual(unknown, { ok: false, message: "unknown option '--frobnicate'" });
});
