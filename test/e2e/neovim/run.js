#!/usr/bin/env node
// End-to-end check in a second editor: Debian's Neovim (0.7+), headless, started against
// `node bin/libvirt-gate-lsp.js --stdio` with a minimal init.lua, on a copy of
// test/e2e/workspace. Compares the diagnostics, one hover and the quick fixes it received
// with test/e2e/suite/expected.js (the same values the VS Code suite checks).
// Env: LIBVIRT_GATE_LSP (server script, default bin/libvirt-gate-lsp.js), NVIM_PATH, E2E_VERBOSE, E2E_KEEP_TMP,
// E2E_TIMEOUT_SCALE (test/e2e/deadlines.js).
// Exit 0 all passed, 1 a check failed, 2 harness error. Last line: `N passed, N failed`.
'use strict';
const assert = require('assert');
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const REPO = path.resolve(__dirname, '..', '..', '..');
const expected = require('../suite/expected');
const deadlines = require('../deadlines');
const NVIM = process.env.NVIM_PATH || 'nvim';
const t0 = Date.now();
const log = (...a) => console.log(`[neovim +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

const severity = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };
const severityNumber = Object.fromEntries(Object.entries(severity).map(([n, name]) => [name, Number(n)]));

function runNvim(tmp, out) {
  const env = {
    ...process.env,
    LVG_ROOT: path.join(tmp, 'workspace'),
    LVG_SERVER: process.env.LIBVIRT_GATE_LSP || path.join(REPO, 'bin', 'libvirt-gate-lsp.js'),
    LVG_OUT: out,
    LVG_LINE: String(expected.guest.postcopyLine),
    LVG_EXPECT: JSON.stringify(
      Object.fromEntries(
        ['driver/guest.py', 'driver/blockio.py'].map((f) => [
          f,
          expected.diagnostics[f].map(
            (d) => `${d.code} ${severityNumber[d.severity]} ${d.range[0]}:${d.range[1]}-${d.range[2]}:${d.range[3]}`,
          ),
        ]),
      ),
    ),
    LVG_FIRST_MS: String(deadlines.firstDiagnosticsMs),
    LVG_WAIT_MS: String(deadlines.conditionMs),
    // A throw-away home for Neovim: no user config, shada, swap or log from outside.
    XDG_CONFIG_HOME: path.join(tmp, 'config'),
    XDG_DATA_HOME: path.join(tmp, 'data'),
    XDG_STATE_HOME: path.join(tmp, 'state'),
    XDG_CACHE_HOME: path.join(tmp, 'cache'),
  };
  return new Promise((resolve, reject) => {
    const nvim = spawn(NVIM, ['--headless', '-n', '-i', 'NONE', '-u', path.join(__dirname, 'init.lua')], {
      env,
      cwd: env.LVG_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    nvim.stdout.on('data', (d) => {
      output += d;
    });
    nvim.stderr.on('data', (d) => {
      output += d;
    });
    const kill = setTimeout(() => {
      try {
        process.kill(-nvim.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      reject(new Error(`nvim did not finish in ${deadlines.runMs / 1000} s: ${output}`));
    }, deadlines.runMs);
    nvim.on('error', (e) => {
      clearTimeout(kill);
      reject(e);
    });
    nvim.on('exit', (code) => {
      clearTimeout(kill);
      try {
        process.kill(-nvim.pid, 'SIGKILL');
      } catch {
        /* the group is gone: nothing left behind */
      }
      if (output.trim()) log('nvim output:', output.trim());
      resolve(code);
    });
  });
}

async function main() {
  if (!fs.existsSync(path.join(REPO, 'dist', 'server.js')))
    throw new Error('dist/server.js is missing: run npm run build');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'libvirt-gate-nvim-'));
  try {
    fs.cpSync(path.join(REPO, 'test', 'e2e', 'workspace'), path.join(tmp, 'workspace'), { recursive: true });
    const out = path.join(tmp, 'result.json');
    const code = await runNvim(tmp, out);
    if (!fs.existsSync(out)) throw new Error(`nvim exited with ${code} and wrote no result`);
    const r = JSON.parse(fs.readFileSync(out, 'utf8'));
    if (process.env.E2E_VERBOSE) log(JSON.stringify(r, null, 2));

    const results = [];
    const check = (name, fn) => {
      try {
        fn();
        results.push(true);
        log('PASS', name);
      } catch (e) {
        results.push(false);
        log('FAIL', name, '-', e.message);
      }
    };
    check('init.lua ran without errors', () => assert.deepStrictEqual(r.errors, []));
    for (const file of ['driver/guest.py', 'driver/blockio.py']) {
      check(`${file}: diagnostics (codes, ranges, severities)`, () => {
        const got = (r.files[file] || []).map((d) => ({
          code: d.code,
          severity: severity[d.severity],
          range: d.range,
          unnecessary: d.unnecessary,
        }));
        const order = (a, b) =>
          a.range[0] - b.range[0] ||
          a.range[1] - b.range[1] ||
          String(a.code).localeCompare(String(b.code)) ||
          Number(a.unnecessary) - Number(b.unnecessary);
        assert.deepStrictEqual(got.sort(order), [...expected.diagnostics[file]].sort(order));
        assert.ok(
          (r.files[file] || []).every((d) => d.source === 'libvirt-gate'),
          'source should be libvirt-gate',
        );
      });
    }
    check('the LVG001 message', () => {
      const d = (r.files['driver/guest.py'] || []).find(
        (x) => x.code === 'LVG001' && x.range[0] === expected.guest.postcopyLine,
      );
      assert.ok(d, `no LVG001 diagnostic on line ${expected.guest.postcopyLine + 1}`);
      assert.strictEqual(d.message, expected.messages.postcopy);
    });
    check('hover: since-version and support class', () => {
      assert.ok(r.hover, 'no hover');
      assert.match(r.hover, /`libvirt\.VIR_MIGRATE_POSTCOPY` → C `VIR_MIGRATE_POSTCOPY`, since libvirt 1\.3\.3/);
      assert.match(r.hover, /Support class C: no CI job runs libvirt ≥ 1\.3\.3/);
    });
    check('quick fixes offered for LVG001', () => {
      assert.ok((r.actions || []).includes(expected.wrapTitle), `actions: ${JSON.stringify(r.actions)}`);
    });
    check('the server stops on request', () => assert.strictEqual(r.stopped, true));
    check('nvim exits 0', () => assert.strictEqual(code, 0));
    const failed = results.filter((ok) => !ok).length;
    return { passed: results.length - failed, failed };
  } finally {
    if (!process.env.E2E_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  ({ passed, failed }) => {
    log('done in', ((Date.now() - t0) / 1000).toFixed(1), 's');
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  },
  (e) => {
    console.error((e && e.stack) || e);
    console.log('0 passed, 1 failed');
    process.exit(2);
  },
);
