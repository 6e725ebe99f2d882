#!/usr/bin/env bash
# The whole test suite: typecheck, unit tests (vitest), both browser builds, and the e2e suite
# in Debian's Chromium. Prints one "N passed, N failed" line per runner.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh
sidecar_chromium
sidecar_packages

echo "== typecheck"
npx tsc --noEmit

echo "== unit tests"
unit_status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.ci-vitest.json || unit_status=$?
node -e 'const r=require("./.ci-vitest.json");console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed`)'

echo "== builds"
npx wxt build >/dev/null
npx wxt build -b firefox >/dev/null
npx wxt zip >/dev/null && npx wxt zip -b firefox >/dev/null
SIDECAR_E2E=1 npx wxt build >/dev/null
echo "built: $(ls .output/*.zip | tr '\n' ' ')"

echo "== e2e"
e2e_status=0
PLAYWRIGHT_JSON_OUTPUT_NAME=.ci-e2e.json npx playwright test --reporter=list,json || e2e_status=$?
node -e 'const s=require("./.ci-e2e.json").stats;console.log(`e2e: ${s.expected} passed, ${s.unexpected} failed`)'

node -e '
const u=require("./.ci-vitest.json"), e=require("./.ci-e2e.json").stats;
console.log(`${u.numPassedTests + e.expected} passed, ${u.numFailedTests + e.unexpected} failed`)'
[ "$unit_status" -eq 0 ] && [ "$e2e_status" -eq 0 ]
