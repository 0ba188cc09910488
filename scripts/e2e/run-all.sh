#!/usr/bin/env bash
# The whole end-to-end run: setup, then libvirt-gate in real editors:
#   1. VS Code (code-server 4.100.3 = VS Code 1.100.3), the Mocha suite inside the extension host
#   2. VS Code, the UI through the workbench (squiggle, Problems, hover, Ctrl+. Enter, support matrix)
#   3. the VSIX: installed with --install-extension, then the UI checks and the suite on it
#   4. Neovim (Debian's), headless, against bin/libvirt-gate-lsp.js --stdio
# Needs dist/ built (npm run build). The VSIX is $E2E_VSIX, or packaged here with vsce.
# E2E_UPDATE_README_SHOT=1 also refreshes docs/images/editor-hover.png and editor-support-matrix.png.
# Exit code = number of failed steps. Works offline (try: unshare -n, loopback up).
set -uo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$REPO"
start=$EPOCHREALTIME
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
bash scripts/e2e/setup.sh || { echo "e2e: setup failed"; exit 1; }
[ -f dist/extension.js ] && [ -f dist/server.js ] || { echo "e2e: dist/ is not built: run npm run build"; exit 1; }

VSIX="${E2E_VSIX:-}"
if [ -z "$VSIX" ]; then
  VSIX="$REPO/.e2e/libvirt-gate-e2e.vsix"
  echo "e2e: packaging $VSIX"
  node node_modules/@vscode/vsce/vsce package --no-dependencies -o "$VSIX" > .e2e/vsce.log 2>&1 \
    || { cat .e2e/vsce.log; echo "e2e: vsce package failed"; exit 1; }
fi
readme=()
[ -n "${E2E_UPDATE_README_SHOT:-}" ] && readme=(--readme-shots "$REPO/docs/images")

fail=0; passed=0; failed=0; report=()
step() { # name, command...
  local name="$1"; shift
  local log; log="$(mktemp)"
  local t0=$EPOCHREALTIME
  echo "=== e2e: $name"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local line; line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)"
  rm -f "$log"
  local p=0 f=0
  if [[ "$line" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then p=${BASH_REMATCH[1]}; f=${BASH_REMATCH[2]}; fi
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
  passed=$((passed + p)); failed=$((failed + f))
  [ "$rc" = 0 ] || fail=$((fail + 1))
  report+=("$(printf '%-34s exit %s  %3s passed, %s failed  %5s s' "$name" "$rc" "$p" "$f" "$(elapsed "$t0")")")
}

step "vscode: suite in extension host" node scripts/e2e/run-e2e.js --mode tests
step "vscode: workbench UI" node scripts/e2e/run-e2e.js --mode ui
step "vscode: VSIX install + UI" node scripts/e2e/run-e2e.js --mode ui --vsix "$VSIX" "${readme[@]}"
step "vscode: VSIX install + suite" node scripts/e2e/run-e2e.js --mode tests --vsix "$VSIX"
step "neovim: LSP over stdio" node test/e2e/neovim/run.js

echo "=== e2e summary (screenshots in test-results/)"
printf '%s\n' "${report[@]}"
echo "e2e wall time $(elapsed "$start") s"
echo "$passed passed, $failed failed"
exit $fail
