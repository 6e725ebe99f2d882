#!/usr/bin/env bash
# npm run demo: emulator + demo MSP + Chromium with the extension (see scripts/demo.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh
sidecar_chromium
sidecar_packages
# The demo build is the e2e build: it can reach the loopback emulator without a permission prompt.
SIDECAR_E2E=1 npx wxt build >/dev/null
node --experimental-strip-types --no-warnings scripts/demo.ts
