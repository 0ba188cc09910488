#!/usr/bin/env node
// The same suite (test/e2e/suite) in desktop VS Code, downloaded by @vscode/test-electron.
// For machines that can reach update.code.visualstudio.com; offline, use
// scripts/e2e/run-e2e.js --mode tests (code-server), which runs this very suite.
//
//   npm run build && node test/e2e/runTests.js            # VSCODE_VERSION=1.100.3 by default
// Headless Linux needs a display: xvfb-run -a node test/e2e/runTests.js
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { runTests } = require('@vscode/test-electron');

async function main() {
  const repo = path.resolve(__dirname, '..', '..');
  // Tests edit files and the config: run them on a throw-away copy of the fixture workspace.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'libvirt-gate-electron-'));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(path.join(__dirname, 'workspace'), workspace, { recursive: true });
  const resultFile = path.join(tmp, 'result.txt');
  try {
    await runTests({
      version: process.env.VSCODE_VERSION || '1.100.3', // engines.vscode is ^1.100.0
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--user-data-dir',
        path.join(tmp, 'user-data'),
      ],
      extensionTestsEnv: {
        E2E_RESULT_FILE: resultFile,
        ...(process.env.E2E_GREP ? { E2E_GREP: process.env.E2E_GREP } : {}),
      },
    });
    console.log(fs.existsSync(resultFile) ? fs.readFileSync(resultFile, 'utf8').trim() : '0 passed, 0 failed');
    return 0;
  } catch (e) {
    console.error(String((e && e.message) || e));
    console.log(fs.existsSync(resultFile) ? fs.readFileSync(resultFile, 'utf8').trim() : '0 passed, 1 failed');
    return 1;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
