#!/usr/bin/env bash
# Every test tier, in the order a failure is cheapest to find: types and lint, unit and loopback
# tests, then the tiers that build Phase 1 and boot it under QEMU.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"   # Node 24 from npm, also when called outside npm

echo "== types and lint"
tsc -p .
biome check .

echo "== unit and loopback tests"
node --test --test-concurrency=2 'client/**/*.test.ts' 'host/**/*.test.ts' 'tools/**/*.test.ts' 'test/loopback/**/*.test.ts' 'test/netns/**/*.test.ts'

echo "== Phase 1: base from Debian packages, overlay with the single-file bttui"
node tools/phase1/build-phase1.ts
node tools/overlay/build-overlay.ts

echo "== QEMU tier"
node --test --test-concurrency=1 'test/phase1/**/*.test.ts' 'test/vm/**/*.test.ts'
