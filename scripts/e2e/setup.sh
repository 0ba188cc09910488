#!/usr/bin/env bash
# One-time setup for the end-to-end tests (real VS Code via code-server, headless chromium,
# headless Neovim). Needs only Debian's apt and the npm registry. Idempotent: about 1 s when
# everything is already installed. Installs into <repo>/.e2e/ (gitignored).
#
#   bash scripts/e2e/setup.sh          # E2E_DIR=... to install elsewhere
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
E2E_DIR="${E2E_DIR:-$REPO/.e2e}"
# code-server writes a default config under XDG_CONFIG_HOME even for --version: keep it out of $HOME.
export XDG_CONFIG_HOME="$E2E_DIR/cs/.xdg/config" XDG_DATA_HOME="$E2E_DIR/cs/.xdg/data"
CS_VERSION=4.100.3          # last code-server whose engines is Node 20 (ships VS Code 1.100.3)
RG_PKG_VERSION=1.15.11      # @vscode/ripgrep pinned by code-server 4.100.3's npm-shrinkwrap
RG_TAG=v13.0.0-10           # ripgrep-prebuilt tag that @vscode/ripgrep 1.15.11 downloads

# 1. Debian packages: chromium (the browser playwright-core drives), libkrb5-dev (headers for
#    code-server's kerberos module), ripgrep (stands in for the rg @vscode/ripgrep would fetch
#    from GitHub), build-essential + python3 for node-gyp, neovim for the second editor.
need=()
for p in chromium libkrb5-dev ripgrep build-essential python3 neovim; do
  # dpkg -s alone is not enough: a removed package keeps "deinstall ok config-files" and exits 0.
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if ((${#need[@]})); then
  echo "setup: apt-get install ${need[*]}"
  SUDO=(); [ "$(id -u)" = 0 ] || SUDO=(sudo)
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# 2. node-gyp must find Node's headers locally (it would download them otherwise).
if [ -z "${npm_config_nodedir:-}" ]; then
  for d in "$(dirname "$(dirname "$(command -v node)")")" /usr; do
    if [ -f "$d/include/node/node.h" ]; then export npm_config_nodedir="$d"; break; fi
  done
fi

# 3. Seed @vscode/ripgrep's download cache with Debian's rg: its postinstall uses a cached
#    archive in os.tmpdir() before it would contact GitHub.
RG_CACHE="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$RG_PKG_VERSION"
RG_ARCHIVE="$RG_CACHE/ripgrep-$RG_TAG-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$RG_ARCHIVE" ]; then
  mkdir -p "$RG_CACHE"; d="$(mktemp -d)"; cp "$(command -v rg)" "$d/rg"
  tar czf "$RG_ARCHIVE" -C "$d" rg; rm -rf "$d"
fi

# 4. code-server. Its postinstall runs `npm install` in lib/vscode, building native modules with
#    node-gyp; node-pty's postinstall calls `npx node-gyp`, which needs npm_config_yes=true.
CS_ENTRY="$E2E_DIR/cs/node_modules/code-server/out/node/entry.js"
mkdir -p "$E2E_DIR/cs"
if [ ! -x "$E2E_DIR/cs/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] ||
   ! node "$CS_ENTRY" --version 2>/dev/null | grep -q "^$CS_VERSION "; then
  echo "setup: npm install code-server@$CS_VERSION (about a minute)"
  ( cd "$E2E_DIR/cs"
    [ -f package.json ] || echo '{"name":"libvirt-gate-e2e-code-server","private":true}' > package.json
    npm_config_yes=true \
      npm install --unsafe-perm --no-audit --no-fund --foreground-scripts "code-server@$CS_VERSION" > install.log 2>&1 \
      || { tail -50 install.log; exit 1; } )
fi

# 5. The test side (playwright-core, mocha, @vscode/vsce) comes from the repo's devDependencies.
for m in playwright-core mocha @vscode/vsce; do
  [ -d "$REPO/node_modules/$m" ] || { echo "setup: $m missing: run 'npm ci' in $REPO first" >&2; exit 1; }
done
echo "setup ok: code-server $(node "$CS_ENTRY" --version 2>/dev/null | tail -1 | cut -d' ' -f1), $(chromium --version 2>/dev/null), $(nvim --version | head -1)"
