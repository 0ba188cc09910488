// Mocha entry loaded by VS Code's extension host (extensionTestsPath). The same file serves
// @vscode/test-electron's runTests() (desktop VS Code) and the offline code-server runner.
'use strict';
const fs = require('fs');
const path = require('path');
const deadlines = require('../deadlines');

function loadMocha() {
  // mocha 12 is an ES module; older Electron builds of Node cannot require() it, its CJS build they can.
  try {
    const m = require('mocha');
    return m.Mocha || m.default || m;
  } catch {
    return require('mocha/lib/mocha.cjs');
  }
}

function run() {
  const Mocha = loadMocha();
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    reporter: 'spec',
    timeout: deadlines.testMs, // a bound per test; the waits inside have their own (../deadlines.js)
    // E2E_GREP narrows the run (forwarded by the runners), e.g. E2E_GREP=hover.
    ...(process.env.E2E_GREP ? { grep: process.env.E2E_GREP } : {}),
  });
  for (const f of fs
    .readdirSync(__dirname)
    .filter((n) => n.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    let runner;
    try {
      runner = mocha.run((failures) => {
        const summary = `${runner.stats.passes} passed, ${runner.stats.failures} failed`;
        console.log(summary);
        if (process.env.E2E_RESULT_FILE) fs.writeFileSync(process.env.E2E_RESULT_FILE, summary + '\n');
        if (failures) reject(new Error(`${failures} test(s) failed`));
        else resolve();
      });
    } catch (e) {
      console.error(e);
      console.log('0 passed, 1 failed');
      reject(e);
    }
  });
}

module.exports = { run };
