import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import type { LabNet } from '../../tools/lab/netns.ts';
import { lab } from '../helpers/vm-lab.ts';

/**
 * A switch port that does not forward: the client's tap taken off the lab's bridge, its link still up on
 * both ends. (A Linux bridge without STP puts a port set to blocking straight back to forwarding, and
 * this kernel has no tc drop action.)
 */
function blockPort(net: LabNet, tap: string, block: boolean) {
  execFileSync('ip', ['-n', net.ns, 'link', 'set', tap, ...(block ? ['nomaster'] : ['master', net.bridge])]);
}

describe('a switch that forwards late', { timeout: 600_000 }, () => {
  it('the port blocks from the moment Phase 1 starts until 40 s later (spanning tree without portfast): Phase 1 keeps trying, counts, gets its lease, and the OS boots', async () => {
    let net: LabNet | undefined;
    let blockedAt = 0;
    let released = 0;
    let timer: NodeJS.Timeout | undefined;
    try {
      const { report } = await lab('late', {
        clients: 1,
        padMib: 0,
        budgetS: 400,
        until: /TARGET-OS-UP/,
        prepare: async (_env, n) => {
          net = n;
          return undefined;
        },
        // PXE went through a forwarding port; the kernel's NIC reset is where a real port goes back to
        // blocking, and init's first line is the closest mark of it on the console
        onLine: (who, line) => {
          if (who !== 'vm1' || blockedAt || !/BT-PHASE1: init on/.test(line)) return;
          blockPort(net!, 'tap1', true);
          blockedAt = Date.now();
          timer = setTimeout(() => {
            blockPort(net!, 'tap1', false);
            released = Date.now();
          }, 40_000);
        },
      });
      const c = report.clients[0]!;
      assert.equal(c.error, undefined, c.lines.slice(-20).join('\n'));
      assert.ok(blockedAt && released, 'the port was blocked, then released');
      const at = (re: RegExp) => c.lines.find((l) => re.test(l));
      assert.ok(
        at(/BT-PHASE1: waiting for the network, \d+ s of 60: eth0: link up, no DHCP answer$/),
        'the wait is counted on the console, with what was measured',
      );
      assert.match(
        at(/BT-PHASE1: network eth0 /) ?? '',
        /BT-PHASE1: network eth0 10\.66\.0\.\d+\/24 \(driver virtio_net/,
      );
      const lease = c.lines.findIndex((l) => /BT-PHASE1: network eth0 /.test(l));
      const init = c.lines.findIndex((l) => /BT-PHASE1: init on/.test(l));
      assert.ok(lease > init, 'the lease came after the wait');
      assert.ok(released - blockedAt >= 39_000, 'the port forwarded only 40 s after Phase 1 started');
      assert.equal(c.booted, 'kexec');
    } finally {
      clearTimeout(timer);
    }
  });
});
