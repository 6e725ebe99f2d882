#!/usr/bin/env bash
# The whole test suite: typecheck, unit tests (vitest), both browser builds and their zips (the
# Firefox one through web-ext lint), the e2e suite in Debian's Chromium and its Firefox subset in
# Debian's Firefox ESR (skipped, saying why, only where firefox-esr cannot be installed). Prints
# one "N passed, N failed" line per runner.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh
sidecar_chromium
sidecar_firefox
sidecar_packages

echo "== typecheck"
npx tsc --noEmit

# ESLint (code rules), Prettier (format) and dependency-cruiser (layers, no cycles): all three run
# and report, then the step fails if any of them failed.
echo "== lint"
lint_failed=""
npm run --silent lint || lint_failed="$lint_failed eslint"
npm run --silent format:check || lint_failed="$lint_failed prettier"
npm run --silent deps:check || lint_failed="$lint_failed dependency-cruiser"
# `npm run demo`, `npm run emulator` and `npm run team-server` run their TypeScript with Node's type
# stripping, which refuses what only a compiler can emit (parameter properties, enums): load them so.
node --experimental-strip-types --no-warnings --input-type=module \
  -e "await import('./tests/emulator/index.ts'); await import('./tests/team-server/index.ts'); await import('./scripts/demo-docs.ts');" ||
  lint_failed="$lint_failed node-type-stripping"
if [ -n "$lint_failed" ]; then
  echo "lint failed:$lint_failed (npm run format fixes Prettier's; npx eslint --fix . fixes some of ESLint's)"
  exit 1
fi
echo "lint: eslint, prettier, dependency-cruiser clean; the demo's and emulators' TypeScript loads with Node's type stripping"

echo "== unit tests"
unit_status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.ci-vitest.json || unit_status=$?
node -e 'const r=require("./.ci-vitest.json");console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed`)'

echo "== builds"
npx wxt build >/dev/null
npx wxt build -b firefox >/dev/null
npx wxt zip >/dev/null && npx wxt zip -b firefox >/dev/null
# Mozilla's add-on linter on the Firefox zip as it would be uploaded (scripts/lint-firefox.ts): an
# error fails the run; its warnings are listed (README "Packages, permissions and privacy").
npm run --silent lint:firefox
SIDECAR_E2E=1 npx wxt build >/dev/null
echo "built: $(ls .output/*.zip | tr '\n' ' ')"
# The content script loads with every PSA page: a size budget, so that a stray import into its
# code (lib/content, lib/detect: zod once took it from 41 to 109 KB) fails here, not in a technician's tab.
budget_status=0
content_kb=$(( $(stat -c %s .output/chrome-mv3/content-scripts/psa.js) / 1024 ))
if [ "$content_kb" -gt 60 ]; then
  echo "content script: ${content_kb} KB, over its 60 KB budget (.output/chrome-mv3/content-scripts/psa.js): what did lib/content or lib/detect start importing?"
  budget_status=1
else
  echo "content script: ${content_kb} KB (budget 60 KB)"
fi

echo "== e2e (Chromium: tests/e2e; Firefox ESR: tests/e2e-firefox, on the firefox-mv2 build)"
if [ -n "${SIDECAR_FIREFOX_MISSING:-}" ]; then echo "Firefox e2e will be skipped: $SIDECAR_FIREFOX_MISSING"; fi
e2e_status=0
PLAYWRIGHT_JSON_OUTPUT_NAME=.ci-e2e.json npx playwright test --reporter=list,json || e2e_status=$?
node -e '
const report=require("./.ci-e2e.json"), s=report.stats, per={};
const walk=(suite)=>{for(const spec of suite.specs??[])for(const t of spec.tests){const p=(per[t.projectName]??={passed:0,failed:0,flaky:0,skipped:0});
  if(t.status==="expected")p.passed++;else if(t.status==="flaky")p.flaky++;else if(t.status==="skipped")p.skipped++;else p.failed++;}
  for(const child of suite.suites??[])walk(child);};
for(const suite of report.suites??[])walk(suite);
const parts=Object.entries(per).map(([name,p])=>`${name} ${p.passed} passed, ${p.failed} failed${p.flaky?`, ${p.flaky} flaky`:""}${p.skipped?`, ${p.skipped} skipped`:""}`);
console.log(`e2e: ${s.expected} passed, ${s.unexpected} failed (${parts.join("; ")})`)'

node -e '
const u=require("./.ci-vitest.json"), e=require("./.ci-e2e.json").stats;
console.log(`${u.numPassedTests + e.expected} passed, ${u.numFailedTests + e.unexpected} failed`)'
[ "$unit_status" -eq 0 ] && [ "$e2e_status" -eq 0 ] && [ "$budget_status" -eq 0 ]
