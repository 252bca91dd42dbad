import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from './paths.ts';

describe('the npm-run scripts with an option they do not know', () => {
  for (const [script, name] of [
    ['tools/lab/demo.ts', 'demo'],
    ['tools/bench/swarm.ts', 'bench:swarm'],
    ['tools/bench/phase1.ts', 'bench:phase1'],
    ['tools/bench/uefi-phase1.ts', 'bench:uefi'],
    ['tools/bench/boot-chain.ts', 'bench:boot'],
    ['tools/bench/bttui-startup.ts', 'bench:startup'],
    ['tools/phase1/build-phase1.ts', 'npm run phase1'],
    ['tools/overlay/build-overlay.ts', 'npm run overlay'],
  ]) {
    it(`${name}: one line naming the option, no stack trace, a non-zero exit`, () => {
      const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, script!), '--firmwear', 'uefi'], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.notEqual(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stderr, new RegExp(`^${name}: Unknown option '--firmwear'`));
      assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
    });
  }
});

describe("the demo's choices, refused before anything starts", () => {
  for (const [args, said] of [
    [['--dhcp', 'school'], /^demo: --dhcp school is not one of own, proxy, site/],
    [
      ['--firmware', 'bios,coreboot'],
      /^demo: --firmware coreboot is not one of bios, uefi, uefi-secure-boot/,
    ],
  ] as const) {
    it(`${args.join(' ')}: one line with the choices, exit 2`, () => {
      // no PATH: were the check gone, the demo would stop at its first `ip`, not start a lab
      const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'tools/lab/demo.ts'), ...args], {
        encoding: 'utf8',
        timeout: 30_000,
        env: { PATH: '/nonexistent' },
      });
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.match(r.stderr, said);
    });
  }
});
