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

# A tier passes only if it ran at least as many tests as it has: a glob that matches less (a moved folder,
# a renamed file) would otherwise pass with "tests 0". Raise a floor when adding tests to its tier.
tier() {
  local name=$1 floor=$2 log n
  shift 2
  log=$(mktemp)
  set +e
  node --test "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  n=$(grep -oP '^ℹ tests \K[0-9]+' "$log" | tail -1)
  rm -f "$log"
  [ "$rc" -eq 0 ] || exit "$rc"
  if [ "${n:-0}" -lt "$floor" ]; then
    echo "test-all: the $name tier ran ${n:-0} tests, fewer than the $floor it has (tools/test-all.sh)" >&2
    exit 1
  fi
}

echo "== unit and loopback tests"
tier unit 334 --test-concurrency=2 'client/**/*.test.ts' 'host/**/*.test.ts' 'tools/**/*.test.ts' 'test/loopback/**/*.test.ts' 'test/netns/**/*.test.ts'

echo "== Phase 1: base from Debian packages, overlay with the single-file bttui"
node tools/phase1/build-phase1.ts
node tools/overlay/build-overlay.ts

echo "== QEMU tier"
tier QEMU 37 --test-concurrency=1 'test/phase1/**/*.test.ts' 'test/vm/**/*.test.ts'
