// Small helpers for the end-to-end suite. Only the `vscode` API: no access to the extension's
// internals, so the tests see what a user (or another extension) sees.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const deadlines = require('../deadlines');

const extensionId = 'libvirt-gate.libvirt-gate';
const source = 'libvirt-gate';

// Once a wait for diagnostics has timed out before any ever matched (the server is down, say),
// later waits are cut short: a broken build fails the suite in seconds, not a timeout per test.
let diagnosticsEverMatched = false;
let degraded = false;

/** Polls `fn` until it returns a truthy value; fails after `timeoutMs` with the last value seen. */
async function waitFor(fn, what, timeoutMs = deadlines.conditionMs, intervalMs = 50) {
  if (degraded) timeoutMs = Math.min(timeoutMs, deadlines.degradedMs);
  const t0 = Date.now();
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() - t0 > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${describe(last)}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function describe(v) {
  return v === undefined || v === false || v === null ? '' : `; last: ${JSON.stringify(v)}`;
}

function workspaceUri(rel) {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  assert.ok(folder, 'the test workspace folder is not open');
  return vscode.Uri.joinPath(folder.uri, ...rel.split('/'));
}

async function open(rel) {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(rel));
  await vscode.window.showTextDocument(doc, { preview: false });
  assert.strictEqual(doc.languageId, 'python');
  return doc;
}

/** Our diagnostics for a URI, in a stable order. */
function ours(uri) {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === source)
    .sort(
      (a, b) =>
        a.range.start.compareTo(b.range.start) ||
        String(codeOf(a)).localeCompare(String(codeOf(b))) ||
        a.severity - b.severity,
    );
}

function codeOf(d) {
  return typeof d.code === 'object' && d.code !== null ? d.code.value : d.code;
}

const severityName = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

/** A diagnostic as plain data, comparable with deepStrictEqual. */
function summary(d) {
  const r = d.range;
  return {
    code: codeOf(d),
    severity: severityName[d.severity],
    range: [r.start.line, r.start.character, r.end.line, r.end.character],
    unnecessary: (d.tags || []).includes(vscode.DiagnosticTag.Unnecessary),
  };
}

function summaries(uri) {
  return ours(uri).map(summary);
}

/** Waits until our diagnostics for `uri` equal `expected` (list of summaries); asserts with a diff otherwise. */
async function expectDiagnostics(uri, expected, what, timeoutMs = deadlines.conditionMs) {
  try {
    await waitFor(() => JSON.stringify(summaries(uri)) === JSON.stringify(expected), what, timeoutMs);
    diagnosticsEverMatched = true;
  } catch (e) {
    if (!diagnosticsEverMatched) degraded = true;
    assert.deepStrictEqual(summaries(uri), expected, `${what}: ${e.message}`);
  }
}

function hoverText(hovers) {
  return (hovers || []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

/** The text of every hover at a 0-based position, joined. */
async function hoverAt(doc, line, character) {
  return hoverText(
    await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, character)),
  );
}

/** Closes every editor and reverts unsaved changes, so a test starts from the files on disk. */
async function closeAll() {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * Reverts `doc` and waits until it is clean and, given `original`, reads it again: a revert
 * that finds the edit already saved (an auto save) fails here, not as diagnostics that never
 * come back.
 */
async function revert(doc, original) {
  await vscode.window.showTextDocument(doc, { preview: false });
  await vscode.commands.executeCommand('workbench.action.files.revert');
  const reverted = () => !doc.isDirty && (original === undefined || doc.getText() === original);
  try {
    await waitFor(reverted, `${doc.uri.path} to revert`);
  } catch (e) {
    if (original === undefined) throw e;
    assert.strictEqual(doc.getText(), original, `${e.message} (dirty: ${doc.isDirty}); the edit was saved?`);
    throw e;
  }
}

module.exports = {
  extensionId,
  source,
  waitFor,
  workspaceUri,
  open,
  ours,
  codeOf,
  summary,
  summaries,
  expectDiagnostics,
  hoverAt,
  closeAll,
  revert,
};
