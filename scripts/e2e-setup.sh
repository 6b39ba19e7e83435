#!/usr/bin/env bash
# Prepares what the end-to-end test needs on a fresh machine: Debian packages, code-server
# 4.100.3 (VS Code 1.100.3, the newest that runs on Node 20) in a folder of its own outside the
# extension's node_modules, and playwright-core. Cached: a second run only checks.
# See /work/shared/recipes/code-server.md for why each step is needed.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
e2e="${KPL_E2E_DIR:-$repo/.e2e}"
cs_version=4.100.3
mkdir -p "$e2e"

# 1. Debian packages: the first four let code-server's native modules build, chromium is the browser.
need=()
for p in libkrb5-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "e2e-setup: installing Debian packages: ${need[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need[@]}"
fi

# 2. code-server, unless this exact version is already there.
cs_dir="$e2e/code-server"
cs_bin="$cs_dir/node_modules/.bin/code-server"
# The marker is written only after code-server's postinstall (which builds its native modules
# and installs VS Code's own dependencies) went through.
marker="$cs_dir/.installed-$cs_version"
if [ ! -f "$marker" ] || [ ! -x "$cs_bin" ]; then
  # @vscode/ripgrep's postinstall downloads ripgrep from GitHub unless its cache holds the
  # archive; these machines cannot reach GitHub, so seed the cache with Debian's binary.
  rgc="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$rgc/x"
  cp /usr/bin/rg "$rgc/x/rg"
  tar czf "$rgc/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$rgc/x" rg
  rm -rf "$cs_dir"; mkdir -p "$cs_dir"
  echo '{ "name": "kpl-e2e-code-server", "private": true }' > "$cs_dir/package.json"
  echo "e2e-setup: installing code-server@$cs_version into $cs_dir (takes minutes)"
  # npm_config_yes lets node-pty's postinstall run `npx node-gyp` without a prompt. npm 11
  # blocks dependencies' install scripts by default, and code-server's postinstall (itself
  # running nested npm installs) is what makes it work: allow them, in this folder only.
  (cd "$cs_dir" && npm_config_yes=true npm_config_unsafe_perm=true npm_config_dangerously_allow_all_scripts=true \
    npm install --no-audit --no-fund "code-server@$cs_version")
  touch "$marker"
fi
echo "e2e-setup: code-server $("$cs_bin" --version | head -1)"

echo "e2e-setup: ready in $e2e"
