import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { grubCfgOverTftp, uefiStages } from './uefi-stages.ts';

describe("the UEFI bench's stage times and its TFTP variant", () => {
  it('reads when GRUB began loading Phase 1 and when init ran, from a lab serial log', () => {
    const log = [
      '   8.99 >>Start PXE over IPv4.',
      '   9.35 BT-GRUB: loading Phase 1 over HTTP',
      '  24.20 BT-PHASE1: init on 6.1.0-57-amd64, 73 drivers to choose from',
      '  25.00 BT-PHASE1: init on again',
    ].join('\n');
    assert.deepEqual(uefiStages(log), { grub: 9.35, init: 24.2 });
    assert.deepEqual(uefiStages('   3.00 no GRUB here'), { grub: undefined, init: undefined });
  });

  it("turns the HTTP grub.cfg (the golden one) into build's TFTP form", () => {
    const golden = (n: string) =>
      readFileSync(path.join(import.meta.dirname, '../../host/src/publish/golden', n), 'utf8');
    const strip = (s: string) =>
      s
        .split('\n')
        .filter((l) => !l.startsWith('#'))
        .join('\n');
    assert.equal(strip(grubCfgOverTftp(golden('grub-http.cfg'))), strip(golden('grub.cfg')));
  });
});
