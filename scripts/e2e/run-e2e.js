#!/usr/bin/env node
// Runs libvirt-gate inside a real VS Code workbench (code-server 4.100.3 = VS Code 1.100.3),
// driven by headless Debian chromium through playwright-core. Offline: only 127.0.0.1 is used.
//
//   node scripts/e2e/run-e2e.js --mode tests                 # route (a): the Mocha suite inside the extension host
//   node scripts/e2e/run-e2e.js --mode ui [--shots DIR]      # route (b): open, squiggle, Problems, hover, Ctrl+. Enter
//   node scripts/e2e/run-e2e.js --mode ui --vsix X.vsix      # route (b) on the extension installed from a VSIX
//   node scripts/e2e/run-e2e.js --mode tests --vsix X.vsix   # the suite against the VSIX's installed files
//
// Options: --ext DIR (extension root, default the repo), --folder DIR (workspace, default
// test/e2e/workspace; a throw-away copy is opened), --tests FILE, --timeout SECONDS (default
// runMs of test/e2e/deadlines.js), --readme-shots DIR (ui: also save the hover and matrix screenshots there).
// Env: E2E_VERBOSE=1 (code-server + browser console), E2E_KEEP_TMP=1, E2E_GREP (Mocha grep),
// E2E_TIMEOUT_SCALE (multiplies every deadline, here and in the suite), E2E_TRACE=1 (the LSP
// messages into the extension's log under user-data/logs), CODE_SERVER_ENTRY, CHROMIUM_PATH.
// Exit: 0 all passed, 1 a check failed, 2 harness error or timeout. Nothing is left running.
// The last line is always `N passed, N failed`.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const http = require('http');
const util = require('util');
const deadlines = require('../../test/e2e/deadlines');

const REPO = path.resolve(__dirname, '..', '..');
const args = parseArgs(process.argv.slice(2));
const MODE = args.mode || 'tests';
const EXT = path.resolve(args.ext || REPO);
const SRC_FOLDER = path.resolve(args.folder || path.join(REPO, 'test', 'e2e', 'workspace'));
const TESTS = path.resolve(args.tests || path.join(REPO, 'test', 'e2e', 'suite', 'index.js'));
const TIMEOUT_MS = args.timeout ? Number(args.timeout) * 1000 : deadlines.runMs;
const SHOTS = path.resolve(args.shots || path.join(REPO, 'test-results'));
const E2E_DIR = process.env.E2E_DIR || path.join(REPO, '.e2e');
const CODE_SERVER =
  process.env.CODE_SERVER_ENTRY || path.join(E2E_DIR, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const EXTENSION_ID = 'libvirt-gate.libvirt-gate';
const t0 = Date.now();
const log = (...a) =>
  console.log(`[e2e ${MODE}${args.vsix ? '+vsix' : ''} +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
let summary; // "N passed, N failed", printed last

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('--')) throw new Error(`unexpected argument ${argv[i]}`);
    const key = argv[i].slice(2);
    out[key] = argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[++i] : 'true';
  }
  return out;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function waitHealthy(port, deadline, cs) {
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (cs.exitCode !== null) return reject(new Error(`code-server exited with ${cs.exitCode}`));
      const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (res) => {
        res.resume();
        if (res.statusCode === 200) resolve();
        else retry();
      });
      req.on('error', retry);
      req.on('timeout', () => req.destroy());
    };
    const retry = () =>
      Date.now() > deadline ? reject(new Error('code-server did not start')) : setTimeout(tick, 200);
    tick();
  });
}

function csEnv(tmp) {
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
    XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
    XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'),
    TMPDIR: tmp, // the VS Code server drops vscode-ipc-*.sock files into the temp dir: keep them in ours
    // No marketplace at all (code-server would default to open-vsx.org): '{}' has no serviceUrl.
    EXTENSIONS_GALLERY: '{}',
  };
  for (const k of ['VSCODE_IPC_HOOK_CLI', 'VSCODE_CWD', 'ELECTRON_RUN_AS_NODE']) delete env[k];
  return env;
}

function codeServerCli(tmp, userData, extDir, cfg, extra) {
  return spawnSync(
    process.execPath,
    [CODE_SERVER, '--config', cfg, '--user-data-dir', userData, '--extensions-dir', extDir, ...extra],
    { env: csEnv(tmp), encoding: 'utf8', timeout: deadlines.startupMs },
  );
}

async function main() {
  for (const [what, p] of [
    ['code-server (run scripts/e2e/setup.sh)', CODE_SERVER],
    ['chromium (run scripts/e2e/setup.sh)', CHROMIUM],
    ['the extension bundle (run npm run build)', path.join(EXT, 'dist', 'extension.js')],
  ]) {
    if (!args.vsix || !what.startsWith('the extension')) {
      if (!fs.existsSync(p)) throw new Error(`missing ${what}: ${p}`);
    }
  }
  const { chromium } = require('playwright-core');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'libvirt-gate-e2e-'));
  const userData = path.join(tmp, 'user-data');
  const extDir = path.join(tmp, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extDir, { recursive: true });
  // Settings that keep the workbench quiet and offline, and the hover quick. Auto save is off as
  // in desktop VS Code: in the browser it defaults to afterDelay (1 s), and a test that edits a
  // fixture and then reverts it lost that race on a busy machine: the edit was saved, the revert
  // had nothing to undo, and every later test saw the edited file.
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'extensions.ignoreRecommendations': true,
        'workbench.enableExperiments': false,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'security.workspace.trust.enabled': false,
        'git.enabled': false,
        'npm.fetchOnlinePackageInfo': false,
        'typescript.disableAutomaticTypeAcquisition': true,
        'chat.disableAIFeatures': true,
        'editor.hover.delay': 100,
        'editor.minimap.enabled': false,
        'workbench.colorTheme': 'Default Dark Modern',
        'window.zoomLevel': 0,
        'workbench.reduceMotion': 'on',
        'files.autoSave': 'off',
        // E2E_TRACE=1: the LSP messages in the run's logs (keep them with E2E_KEEP_TMP=1).
        ...(process.env.E2E_TRACE ? { 'libvirt-gate.trace.server': 'verbose' } : {}),
      },
      null,
      2,
    ),
  );
  const folder = path.join(tmp, 'workspace'); // a throw-away copy: tests edit files and the config
  fs.cpSync(SRC_FOLDER, folder, { recursive: true });
  const cfg = path.join(tmp, 'code-server.yaml');
  fs.writeFileSync(cfg, 'auth: none\n');

  let ext = EXT;
  if (args.vsix) {
    // Install as a user would; the VSIX must be complete for this and for activation to work.
    const vsix = path.resolve(args.vsix);
    log('installing', vsix);
    const r = codeServerCli(tmp, userData, extDir, cfg, ['--install-extension', vsix]);
    process.stdout.write(r.stdout || '');
    process.stderr.write(r.stderr || '');
    if (r.status !== 0) throw new Error(`--install-extension failed (exit ${r.status})`);
    const list = codeServerCli(tmp, userData, extDir, cfg, ['--list-extensions', '--show-versions']);
    const line = (list.stdout || '').split('\n').find((l) => l.startsWith(EXTENSION_ID + '@'));
    if (!line) throw new Error(`${EXTENSION_ID} not listed after install: ${list.stdout}`);
    log('installed', line);
    const installed = fs.readdirSync(extDir).find((d) => d.startsWith(EXTENSION_ID + '-'));
    ext = path.join(extDir, installed);
  }

  const port = await freePort();
  const csArgs = [
    CODE_SERVER,
    '--config',
    cfg,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--disable-proxy',
    '--ignore-last-opened',
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extDir,
  ];
  log(
    `starting code-server on port ${port}; E2E_TIMEOUT_SCALE ${deadlines.scale}, this run's bound ${TIMEOUT_MS / 1000} s`,
  );
  // Its own process group: cleanup stops it with everything it started (extension host, language server).
  const cs = spawn(process.execPath, csArgs, { env: csEnv(tmp), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const csLogFile = path.join(tmp, 'code-server.log');
  const csLog = fs.createWriteStream(csLogFile);
  cs.stdout.pipe(csLog);
  cs.stderr.pipe(csLog);
  if (process.env.E2E_VERBOSE) {
    cs.stdout.pipe(process.stdout);
    cs.stderr.pipe(process.stderr);
  }

  let browser;
  let cleaned = false;
  const cleanup = async (failed) => {
    if (cleaned) return;
    cleaned = true;
    if (browser) await browser.close().catch(() => {});
    const group = (sig) => {
      try {
        process.kill(-cs.pid, sig);
      } catch {
        /* already gone */
      }
    };
    if (cs.exitCode === null && cs.signalCode === null) {
      group('SIGTERM');
      await new Promise((r) => {
        const k = setTimeout(r, deadlines.exitGraceMs);
        cs.once('exit', () => {
          clearTimeout(k);
          r();
        });
      });
    }
    group('SIGKILL'); // whatever of the group is still there (extension host, language server)
    if (failed && !process.env.E2E_VERBOSE) {
      const tail = fs.existsSync(csLogFile) ? fs.readFileSync(csLogFile, 'utf8').split('\n').slice(-30).join('\n') : '';
      if (tail.trim()) console.log('--- code-server log (last lines) ---\n' + tail);
    }
    if (!process.env.E2E_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
    else log('kept', tmp);
  };
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => {
      log('got', sig);
      cleanup(true).finally(() => {
        console.log(summary || '0 passed, 1 failed');
        process.exit(130);
      });
    });
  }

  let exitCode = 2;
  try {
    await waitHealthy(port, Date.now() + deadlines.startupMs, cs);
    log('code-server healthy');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      timeout: deadlines.startupMs,
      headless: true,
      // Debian's chromium keeps "Crash Reports" under $XDG_CONFIG_HOME/chromium: keep it out of $HOME.
      env: {
        ...process.env,
        XDG_CONFIG_HOME: path.join(tmp, 'browser-config'),
        XDG_CACHE_HOME: path.join(tmp, 'browser-cache'),
      },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
        // The browser may only resolve the local code-server; every other host name fails at once.
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultNavigationTimeout(deadlines.startupMs);
    page.on('pageerror', (e) => log('[page error]', e.message));
    if (process.env.E2E_VERBOSE) page.on('console', (m) => console.log('  [console]', m.text()));

    const authority = `127.0.0.1:${port}`;
    const remote = (p) => `vscode-remote://${authority}${p}`;
    let url = `http://${authority}/?folder=${encodeURIComponent(folder)}`;
    const deadline = new Promise((r) => setTimeout(() => r('timeout'), TIMEOUT_MS).unref());
    if (MODE === 'tests') {
      // code-server's command line rejects --extensionTestsPath; the workbench takes both paths as a payload.
      const payload = [
        ['extensionDevelopmentPath', remote(ext)],
        ['extensionTestsPath', remote(TESTS)],
      ];
      url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      const done = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code) => resolve(code)));
      await page.exposeFunction('codeAutomationLog', (type, a) => {
        const line = util.format(...a);
        if (/^\d+ passed, \d+ failed$/.test(line.trim())) summary = line.trim();
        console.log(`  [exthost ${type}]`, line);
      });
      log('opening workbench; the suite runs in the extension host');
      await page.goto(url);
      const code = await Promise.race([done, deadline]);
      if (code === 'timeout') log('TIMEOUT waiting for the suite');
      else exitCode = code === 0 ? 0 : 1;
      if (!summary) summary = exitCode === 0 ? '0 passed, 0 failed' : '0 passed, 1 failed';
      log('extension tests exit code', code);
    } else if (MODE === 'ui') {
      if (!args.vsix) {
        // Load the extension from the repo the way F5 does (no copy of node_modules needed).
        url += `&payload=${encodeURIComponent(JSON.stringify([['extensionDevelopmentPath', remote(ext)]]))}`;
      }
      const ui = require('./ui-checks');
      const r = await Promise.race([
        ui.run(page, url, { log, shots: SHOTS, prefix: args.vsix ? 'vsix' : 'ui', readmeShots: args['readme-shots'] }),
        deadline,
      ]);
      if (r === 'timeout') {
        log('TIMEOUT in the UI checks');
        summary = '0 passed, 1 failed';
      } else {
        summary = `${r.passed} passed, ${r.failed} failed`;
        exitCode = r.failed ? 1 : 0;
      }
    } else {
      throw new Error(`unknown --mode ${MODE}`);
    }
    return exitCode;
  } catch (e) {
    exitCode = 2;
    throw e;
  } finally {
    await cleanup(exitCode !== 0);
  }
}

main().then(
  (code) => {
    log('done in', ((Date.now() - t0) / 1000).toFixed(1), 's, exit', code);
    console.log(summary);
    process.exit(code);
  },
  (e) => {
    console.error((e && e.stack) || e);
    log('harness error after', ((Date.now() - t0) / 1000).toFixed(1), 's');
    console.log(summary || '0 passed, 1 failed');
    process.exit(2);
  },
);
