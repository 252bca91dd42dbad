import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { lab } from '../helpers/vm-lab.ts';

/**
 * `phase1.drivers: all` as a room gets it: `boottorrent start` builds the env, pxelinux (BIOS) and GRUB
 * (UEFI) fetch drivers-all.gz after rootfs.gz, and Phase 1 chooses among every wired NIC driver.
 */
describe('phase1.drivers: all through PXE, BIOS and UEFI', { timeout: 600_000 }, () => {
  it('each client’s Phase 1 has the whole set’s index (not the default’s 73), gets its lease and boots the OS', async () => {
    const { report } = await lab('drvall', {
      clients: 2,
      firmware: ['bios', 'uefi'],
      padMib: 0,
      budgetS: 400,
      until: /TARGET-OS-UP/,
      prepare: async (env) => {
        const f = path.join(env, 'Boottorrent.yaml');
        const text = await readFile(f, 'utf8');
        assert.match(text, /^phase1:\n {4}cmdline: .*$/m);
        await writeFile(f, text.replace(/^(phase1:\n {4}cmdline: .*)$/m, '$1\n    drivers: all'));
        return undefined;
      },
    });
    for (const c of report.clients) {
      const init = c.lines.map((l) => /BT-PHASE1: init on \S+, (\d+) drivers/.exec(l)).find(Boolean);
      assert.ok(init, `${c.firmware}: Phase 1 started\n${c.lines.slice(-10).join('\n')}`);
      assert.ok(Number(init[1]) > 200, `${c.firmware}: ${init[1]} drivers to choose from`);
      assert.equal(c.error, undefined, `${c.firmware}: ${c.error}`);
      assert.equal(c.booted, 'kexec', `${c.firmware}: the OS came and booted`);
    }
  });
});
