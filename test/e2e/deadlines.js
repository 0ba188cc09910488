// Every deadline of the end-to-end tests, in one place. The tests never wait for time: each
// wait polls a specific condition (this file, this line, this text) and these numbers only
// bound how long a condition may take before the check fails. They are generous because the
// tests share a 2-core machine with other work; E2E_TIMEOUT_SCALE (default 1) multiplies all
// of them for a slower machine (E2E_TIMEOUT_SCALE=3) or for a quick verdict on a broken build.
'use strict';

const scale = (() => {
  const raw = process.env.E2E_TIMEOUT_SCALE;
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`E2E_TIMEOUT_SCALE must be a positive number, got "${raw}"`);
  return n;
})();
const s = (seconds) => Math.round(seconds * 1000 * scale);

module.exports = {
  scale,
  /** code-server answering /healthz; the workbench and its explorer drawn; a VSIX installed. */
  startupMs: s(120),
  /** The first diagnostics after the server starts (it indexes the workspace first). */
  firstDiagnosticsMs: s(90),
  /** Any other condition: diagnostics after an edit, an edit applied, a widget shown, a hover answered. */
  conditionMs: s(45),
  /** Once diagnostics never arrived (a broken server), later waits fail after this instead. */
  degradedMs: s(5),
  /** One Mocha test, all its waits included. */
  testMs: s(300),
  /** One run of run-e2e.js (a workbench, its suite or UI checks), or of Neovim: about 2 minutes under stress. */
  runMs: s(600),
  /** A stopped code-server or Neovim to exit before it is killed. */
  exitGraceMs: s(10),
};
