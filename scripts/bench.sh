#!/usr/bin/env bash
# npm run bench [-- --quick]: the sync benchmark against the emulators (tests/bench/sync.bench.test.ts),
# then overlay paint and palette search in Chromium (tests/bench/browser.bench.spec.ts).
# Tables on the console, JSON in bench-output/. --quick: the demo dataset (under a minute);
# without it: the large one (2,000 companies, 150,000 configurations; long).
# Knobs: SIDECAR_BENCH_LATENCY (ms per request, default 100), SIDECAR_BENCH_SHARE (of each
# vendor's limit, default 0.5), SIDECAR_BENCH_TIMESCALE (rate windows compressed, default 60),
# SIDECAR_BENCH_PSA=connectwise,halo,kaseya-bms.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh
sidecar_chromium
sidecar_packages
mode=full
for arg in "$@"; do [ "$arg" = "--quick" ] && mode=quick; done
export SIDECAR_BENCH=$mode
npx wxt build >/dev/null && npx wxt zip >/dev/null
SIDECAR_E2E=1 npx wxt build >/dev/null
npx vitest run --config vitest.bench.config.ts --reporter=dot
npx playwright test --config playwright.bench.config.ts --reporter=line
