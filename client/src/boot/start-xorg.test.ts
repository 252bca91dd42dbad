import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startXorg, xorgCause } from './start-xorg.ts';

// what Debian's Xorg writes on a machine where it fails: routine module complaints, then the fatal part
const REAL_LOG = `[    20.113] (II) LoadModule: "kbd"
[    20.113] (WW) Warning, couldn't open module kbd
[    20.113] (EE) Failed to load module "kbd" (module does not exist, 0)
[    20.114] (EE) Failed to load module "mouse" (module does not exist, 0)
[    20.201] (EE) open /dev/dri/card0: No such file or directory
[    20.202] (EE) 
Fatal server error:
[    20.202] (EE) no screens found(EE) 
[    20.202] (EE) 
Please consult the The X.Org Foundation support 
`;

describe('Xorg on a client: a failure says what measured it', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bt-xorg-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const fake = async (name: string, body: string) => {
    const f = path.join(dir, name);
    await writeFile(f, `#!/bin/sh\n${body}\n`);
    await chmod(f, 0o755);
    return f;
  };

  it('quotes the fatal error of its log, not the modules it did without', () => {
    assert.equal(xorgCause(REAL_LOG), '(EE) no screens found(EE)');
    const noFatal = REAL_LOG.split('Fatal')[0]!;
    assert.equal(xorgCause(noFatal), '(EE) open /dev/dri/card0: No such file or directory');
  });

  it('an Xorg still starting at the bound: said as time, with nothing from its log blamed', async () => {
    const logFile = path.join(dir, 'slow.log');
    // writes its routine complaints, then takes longer than the bound to say its display
    const bin = await fake(
      'slow-xorg',
      `echo '(EE) Failed to load module "kbd"' > ${logFile}; exec sleep 30`,
    );
    const t0 = Date.now();
    const r = await startXorg({
      bin,
      conf: '/dev/null',
      log: () => {},
      missingHint: '',
      boundMs: 300,
      logFile,
    });
    assert.ok('error' in r);
    assert.match(
      r.error.message,
      /^The graphical display \(Xorg\) was still starting after 0 s, the time bttui gives it: this machine is slow, or Xorg hangs on its graphics\.$/,
    );
    assert.doesNotMatch(r.error.message, /kbd/);
    assert.ok(Date.now() - t0 < 5000, 'and the slow Xorg was stopped');
  });

  it('an Xorg that exits: its exit and the fatal lines of its log', async () => {
    const logFile = path.join(dir, 'dead.log');
    await writeFile(path.join(dir, 'real.log'), REAL_LOG);
    const bin = await fake('dead-xorg', `cp ${path.join(dir, 'real.log')} ${logFile}; exit 1`);
    const r = await startXorg({
      bin,
      conf: '/dev/null',
      log: () => {},
      missingHint: '',
      boundMs: 10_000,
      logFile,
    });
    assert.ok('error' in r);
    assert.equal(r.error.message, 'The graphical display (Xorg) did not start (it exited with code 1).');
    assert.equal(r.error.detail, '(EE) no screens found(EE)');
  });
});
