#!/usr/bin/env bash
# npm run bench [-- --quick]: in Chromium with the extension, each PSA's sync against its emulator
# (tests/bench/sync.bench.spec.ts); with ConnectWise's dataset loaded, overlay paint and palette search (browser-measures.ts),
# documentation included; then the palette's index alone in Node (search-index.bench.ts).
# Tables on the console, JSON in bench-output/. --quick: the demo dataset (under a minute);
# without it: the large one (2,000 companies, 150,000 configurations; long).
# Knobs: SIDECAR_BENCH_LATENCY (ms per request, default 100), SIDECAR_BENCH_SHARE (of each
# vendor's limit, default 0.5, set through the options page), SIDECAR_BENCH_TIMESCALE (rate
# windows compressed, default 60, in the emulators and the bench build's pacer alike),
# SIDECAR_BENCH_PSA=connectwise,halo,kaseya-bms, SIDECAR_BENCH_DOCUMENTS (share of 10,000 articles and
# 50,000 custom field values put beside ConnectWise's records; default 1, 0.1 with --quick).
# The team's figures (#15, tests/bench/team.bench.spec.ts), each technician a Chromium profile,
# pouchdb-server on loopback, ConnectWise's emulator: a new member's first replication (the large
# dataset; demo with --quick), a note from one open page to another (50 notes; 20 with --quick),
# and the PSA requests of N browsers in one team over a scheduled day against one browser alone
# (demo dataset). Knobs: SIDECAR_BENCH_TEAM_BROWSERS (default 5), SIDECAR_BENCH_TEAM_NOTES,
# SIDECAR_BENCH_TEAM_SEED=<dir> (keeps the team database of the setup; later runs time only the first replication).
# Other arguments go to Playwright, and the Node index bench is then left out:
# `npm run bench -- --quick tests/bench/team.bench.spec.ts` runs the team's figures only.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh
sidecar_chromium
sidecar_packages
mode=full
playwright_args=()
for arg in "$@"; do
  if [ "$arg" = "--quick" ]; then mode=quick; else playwright_args+=("$arg"); fi
done
export SIDECAR_BENCH=$mode
export SIDECAR_BENCH_TIMESCALE=${SIDECAR_BENCH_TIMESCALE:-60}
npx wxt build >/dev/null && npx wxt zip >/dev/null
SIDECAR_E2E=1 npx wxt build >/dev/null
export SIDECAR_EXTENSION_DIR=.output/bench-chrome-mv3
[ "$SIDECAR_BENCH_TIMESCALE" = 1 ] && export SIDECAR_EXTENSION_DIR=.output/e2e-chrome-mv3
npx playwright test --config playwright.bench.config.ts --reporter=line ${playwright_args[@]+"${playwright_args[@]}"}
# Some specs or tests asked for: nothing else.
[ ${#playwright_args[@]} -gt 0 ] && exit 0
# The palette's in-memory index alone, in Node: the records plus 10,000 articles and 50,000 custom
# field values (tests/bench/search-index.bench.ts).
SIDECAR_BENCH_PRESET=$([ "$mode" = quick ] && echo demo || echo large) npx vitest run --config tests/bench/vitest.search.config.ts
