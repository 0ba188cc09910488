// What the engine reports for test/e2e/workspace (policy in its pyproject.toml), hard-coded.
// Regenerate and compare with: node --import tsx scripts/e2e/print-expected.ts
// Ranges are 0-based [startLine, startChar, endLine, endChar], as vscode.Range has them.
'use strict';

const diagnostics = {
  'driver/guest.py': [
    { code: 'LVG001', severity: 'warning', range: [19, 29, 19, 49], unnecessary: false }, // VIR_MIGRATE_POSTCOPY (of libvirt.VIR_MIGRATE_POSTCOPY) behind hasattr
    { code: 'LVG001', severity: 'warning', range: [23, 19, 23, 37], unnecessary: false }, // dom.interfaceAddresses, no check
    { code: 'LVG002', severity: 'error', range: [23, 19, 23, 37], unnecessary: false },
    { code: 'LVG003', severity: 'error', range: [32, 28, 32, 60], unnecessary: false }, // check 1.1.1 < 1.2.7
  ],
  'driver/blockio.py': [
    { code: 'LVG004', severity: 'hint', range: [7, 11, 7, 66], unnecessary: false }, // obsolete check
    { code: 'LVG004', severity: 'hint', range: [9, 8, 10, 51], unnecessary: true }, // its dead else-branch
  ],
  'driver/host.py': [
    { code: 'LVG001', severity: 'warning', range: [7, 11, 7, 69], unnecessary: false }, // branch on [1.2.14, ∞)
  ],
  'driver/unopened.py': [{ code: 'LVG001', severity: 'warning', range: [6, 25, 6, 45], unnecessary: false }],
};

const messages = {
  postcopy:
    'Untested code path: libvirt.VIR_MIGRATE_POSTCOPY (since libvirt 1.3.3) runs only on libvirt [1.3.3, ∞), ' +
    'which no CI job runs (class C; CI: gate 1.2.2, libvirt-latest 1.2.9); put it behind CONF.libvirt.enable_untested_features',
  hostBranch:
    'Untested code path: this branch runs on libvirt [1.2.14, ∞), which no CI job runs ' +
    '(class C; CI: gate 1.2.2, libvirt-latest 1.2.9); put it behind CONF.libvirt.enable_untested_features',
};

const wrapTitle = "Wrap in 'if CONF.libvirt.enable_untested_features:'";

/** driver/guest.py after the LVG001 quick fix on line 20: the statement wrapped in the gate. */
function guestAfterWrap(original) {
  const from = '            flags |= libvirt.VIR_MIGRATE_POSTCOPY\n';
  const to =
    '            if CONF.libvirt.enable_untested_features:\n' +
    '                flags |= libvirt.VIR_MIGRATE_POSTCOPY\n';
  if (!original.includes(from)) throw new Error('fixture driver/guest.py changed: update expected.js');
  return original.replace(from, to);
}

/** driver/blockio.py after fix-all: the obsolete check, its else-branch and its constant gone. */
const blockioAfterFixAll = [
  'import libvirt',
  '',
  '',
  'class BlockConfig(object):',
  '    def set_block_size(self, conf, size):',
  '        conf.logical_block_size = size',
  '',
].join('\n');

/** 0-based lines in driver/guest.py: the hasattr guard, the LVG001 use behind it, dom.blockCopy (class B). */
const guest = { hasattrLine: 18, postcopyLine: 19, blockCopyLine: 27, plainLine: 17 };

/**
 * The support matrix of the workspace (libvirt-gate: Show Support Matrix): every Python file
 * (driver/__init__.py has no paths) and the 1-based start line of every version-dependent path.
 * `row` is the one the UI check clicks: the version check in host.py, the only path on that
 * line of any file (its range is 1-based and end-exclusive, as the webview's rows carry it).
 */
const matrix = {
  files: 5,
  pathLines: {
    'driver/blockio.py': [8],
    'driver/guest.py': [20, 24, 27, 28, 32, 33],
    'driver/host.py': [8, 9, 10],
    'driver/unopened.py': [7],
  },
  row: { file: 'driver/host.py', line: 8, column: 12, endLine: 8, endColumn: 70 },
  title: 'libvirt-gate: Support Matrix',
  viewType: 'libvirt-gate.supportMatrix',
};
matrix.paths = Object.values(matrix.pathLines).reduce((n, lines) => n + lines.length, 0);

module.exports = { guest, diagnostics, messages, wrapTitle, guestAfterWrap, blockioAfterFixAll, matrix };
