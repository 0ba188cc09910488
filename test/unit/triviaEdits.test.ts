// Edits the language server does not analyze (engine/triviaEdits.ts): typing inside a comment
// (the last analysis' findings stand: findingsStandAfterEdit) and adding or removing blank
// lines (they move with the lines: findingsAfterBlankLines). Each case below says whether the
// edit is one of those, and whenever it is, a fresh analysis of the edited text must give the
// same findings, field for field (over every fixture and example, with random edits).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as fs from 'node:fs';
import {
  analyzeDocument,
  findingsAfterBlankLines,
  findingsStandAfterEdit,
  parsePython,
  type AnalysisResult,
  type Finding,
} from '../../server/src/engine/api';
import { analyzeFixture, fixturePolicy, uriOf } from '../support/engineHarness';
import { examplePolicy } from '../support/examplePolicy';
import type { SyntaxTree } from '../../server/src/engine/syntax/index';
import { docstringSpans } from '../support/docstrings';
import { prng } from '../support/generatedDrivers';
import { fixtureAndExampleFiles } from '../support/pythonFiles';

const uri = 'file:///w/nova/virt/libvirt/driver.py';

/** A finding as the editor shows it (its fixes are built when a code action asks). */
const shown = (r: AnalysisResult): string => shownFindings(r.findings);
const shownFindings = (findings: readonly Finding[]): string =>
  JSON.stringify(
    findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      range: f.range,
      message: f.message,
      messageId: f.messageId,
      data: f.data,
      interval: f.interval,
      guards: f.guards,
      related: f.related,
      unnecessary: f.unnecessary,
      symbol: f.symbol,
      xml: f.xml,
      supportClass: f.supportClass,
    })),
  );

const analyze = (text: string): AnalysisResult =>
  analyzeDocument({ uri, text, tree: parsePython(text) }, undefined, examplePolicy);

/** Whether the findings of `before` stand after the edit to `after`, and (when they do) that they are those of `after`. */
function stands(before: string, after: string): boolean {
  const old = analyze(before);
  assert.ok(old.wordsRead, 'an editor analysis records the words it read');
  const yes = findingsStandAfterEdit(before, old.wordsRead, old.findings, parsePython(after));
  if (yes) assert.equal(shown(analyze(after)), shown(old), `findings changed:\n${after}`);
  return yes;
}

const driver = [
  'import libvirt',
  '',
  '',
  'def _freeze(dom):',
  '    dom.setMemoryStatsPeriod(10)  # the call',
  '    return dom',
  '',
  '',
  'class Driver:',
  '    def snapshot(self, dom):',
  '        # freeze first',
  '        if self._host.has_min_version(MIN_LIBVIRT_FREEZE):  # new enough',
  '            _freeze(dom)  # the only caller',
  '        dom.createWithFiles(',
  '            0,  # flags',
  '        )',
  '',
  'MIN_LIBVIRT_FREEZE = (1, 1, 1)',
  '',
].join('\n');

const edit = (text: string, after: string, insert: string, remove = 0): string => {
  const at = text.indexOf(after) + after.length;
  assert.ok(at >= after.length, after);
  return text.slice(0, at) + insert + text.slice(at + remove);
};

test('typing in a comment between statements or after a header: the findings stand', () => {
  const base = analyze(driver);
  assert.deepEqual(
    base.findings.map((f) => `${f.code}:${f.range.start.line}`),
    ['LVG002:13'],
    'the driver reports createWithFiles only (_freeze has one caller, under the check)',
  );
  assert.equal(stands(driver, edit(driver, '# freeze first', 'x')), true);
  assert.equal(stands(driver, edit(driver, '# freeze', ' the domain', 0)), true);
  assert.equal(stands(driver, edit(driver, '# new enough', '!')), true);
  assert.equal(stands(driver, edit(driver, '# the call', ' here')), true);
  assert.equal(stands(driver, edit(driver, '# fre', '', 3)), true, 'a deletion');
  assert.equal(stands(driver, driver), true, 'the same text');
});

test('a comment edit that can change the findings: analyzed again', () => {
  // Words in comments are not counted: `_freeze` typed in one leaves its callers known.
  const mentioned = edit(driver, '# freeze first', ' with _freeze');
  assert.equal(stands(driver, mentioned), true);
  // Unless the word count reads the comment as a string's text (after a quote left open, which
  // the tokenizer closes at the line's end): the count of `_freeze` changes, the callers are
  // unknown, and the setMemoryStatsPeriod use is reported.
  const open = edit(driver, 'def snapshot(self, dom):', "\n        s = 'open");
  const counted = edit(open, '# freeze first', ' with _freeze');
  assert.equal(stands(open, counted), false);
  assert.deepEqual(
    analyze(counted).findings.map((f) => `${f.code}:${f.range.start.line}`),
    ['LVG002:4', 'LVG002:14'],
  );
  assert.deepEqual(
    analyze(open).findings.map((f) => `${f.code}:${f.range.start.line}`),
    ['LVG002:14'],
  );
  // A suppression directive, typed or taken out.
  const directive = edit(driver, 'dom.createWithFiles(', '  # libvirt-gate: ignore[LVG002]');
  assert.equal(stands(driver, directive), false, 'the comment here is the new one: not in the old text');
  const suppressed = edit(driver, '# freeze first', '; libvirt-gate: ignore');
  assert.equal(stands(driver, suppressed), false);
  assert.equal(stands(suppressed, edit(suppressed, 'libvirt-gate: ignor', '', 1)), false);
  // At the end of a block (its span takes in the comment): it stands while no finding's range
  // ends with that block; a dead branch's does (LVG004 marks it unnecessary).
  assert.equal(stands(driver, edit(driver, '# the only caller', ' here')), true);
  const obsolete = [
    'MIN_LIBVIRT_OLD_VERSION = (0, 9, 0)',
    '',
    '',
    'class Driver(object):',
    '    def set_discard(self, conf):',
    '        if not self._host.has_min_version(MIN_LIBVIRT_OLD_VERSION):',
    '            conf.driver_discard = None',
    '            # dead',
    '        else:',
    "            conf.driver_discard = 'unmap'  # live",
    '        return conf',
    '',
  ].join('\n');
  assert.deepEqual(
    analyze(obsolete).findings.map((f) => [
      f.code,
      f.unnecessary.map((r) => [r.start.line, r.end.line, r.end.character]),
    ]),
    [['LVG004', [[6, 7, 18]]]],
  );
  assert.equal(stands(obsolete, edit(obsolete, '# dead', '(')), false);
  assert.equal(stands(obsolete, edit(obsolete, '# live', '!')), true);
  // Inside an expression: the comment is part of the call's text.
  assert.equal(stands(driver, edit(driver, '# flags', 'x')), false);
  // A line break, a NUL, the `#` itself, text after the comment's line.
  assert.equal(stands(driver, edit(driver, '# freeze first', '\n        x = 1')), false);
  assert.equal(stands(driver, edit(driver, '# freeze first', '\r')), false);
  assert.equal(stands(driver, edit(driver, '# freeze first', '\0')), false);
  assert.equal(stands(driver, edit(driver, '        ', '', 1)), false);
  assert.equal(
    stands(driver, edit(driver, '        # freeze first', 'x', 0).replace('# freeze first', 'freeze first')),
    false,
  );
  // Not a comment at all: a string that holds a `#`.
  const str = driver.replace('# freeze first', "s = '# freeze first'");
  assert.equal(stands(str, edit(str, "'# freeze", 'x')), false);
});

/** Text typed in the random edits: words the analysis counts among others. */
const typedWords = ['x', ' ', 'libvirt', '_freeze', 'getLibVersion', 'format_dom'];

/**
 * Random edits inside the spans `spansOf` picks in every fixture and example (`perFile` each):
 * a word of the file or one of `inserts`, sometimes with a few characters cut. Wherever
 * findingsStandAfterEdit says the analysis may be skipped, a fresh one must give the same
 * findings. Returns how many edits there were and how many stood.
 */
function randomEdits(
  seed: number,
  perFile: number,
  spansOf: (tree: SyntaxTree) => readonly { start: number; end: number }[],
  inserts: readonly string[],
): { edits: number; standing: number } {
  const rnd = prng(seed);
  let standing = 0;
  let edits = 0;
  for (const file of fixtureAndExampleFiles()) {
    const text = fs.readFileSync(file, 'utf8');
    const tree = parsePython(text);
    const spans = spansOf(tree);
    if (!spans.length || text.length > 200_000) continue;
    const policy = fixturePolicy(path.resolve(file));
    const old = analyzeFixture(path.resolve(file), policy, text);
    if (!old.wordsRead) assert.fail(`${file}: no words recorded`);
    // Words of the file, so that some edits name what the analysis counts.
    const words = [...new Set(text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [])];
    for (let k = 0; k < perFile; k++) {
      const c = rnd.pick(spans);
      const at = c.start + 1 + rnd.int(c.end - c.start);
      const insert = rnd.next() < 0.4 ? ` ${rnd.pick(words)}` : rnd.pick(inserts);
      const remove = rnd.next() < 0.3 ? Math.min(rnd.int(4), c.end - at) : 0;
      const after = text.slice(0, at) + insert + text.slice(at + remove);
      edits++;
      if (!findingsStandAfterEdit(text, old.wordsRead, old.findings, parsePython(after))) continue;
      standing++;
      assert.equal(
        shown(analyzeFixture(path.resolve(file), policy, after)),
        shown(old),
        `${file}: inserting ${JSON.stringify(insert)} at ${at} changed the findings`,
      );
    }
  }
  return { edits, standing };
}

test('over every fixture and example, random edits inside comments: findings that stand are those of a fresh analysis', () => {
  const { edits, standing } = randomEdits(20261204, 12, (tree) => tree.comments, [
    ...typedWords,
    'attrib',
    "'",
    '"""',
    '(',
    '\\',
    '#',
    'oslo_config',
    'cfg.BoolOpt(',
    '<domain><memoryBacking><hugepages/>',
    '<driver discard="unmap"/>',
  ]);
  // Most edits stand; the test is not empty.
  assert.ok(edits > 300 && standing > edits / 2, `${standing} of ${edits} edits stood`);
});

/** The findings of `before` moved to `after` when only blank lines differ, checked against a fresh analysis. */
function moves(before: string, after: string): boolean {
  const old = analyze(before);
  const moved = findingsAfterBlankLines(before, old.findings, parsePython(after), uri);
  if (moved) assert.equal(shownFindings(moved), shown(analyze(after)), `findings differ:\n${after}`);
  return moved !== undefined;
}

test('a blank line added or removed between statements: the findings move with the lines', () => {
  const enter = edit(driver, '    return dom', '\n    ');
  assert.equal(moves(driver, enter), true);
  assert.equal(moves(enter, driver), true, 'taken out again');
  assert.equal(moves(driver, edit(driver, 'class Driver:', '\n')), true, 'after a header');
  assert.equal(moves(driver, driver), true, 'the same text');
  assert.equal(moves(driver, edit(driver, '_freeze(dom)  # the only caller', '\n\n')), false, 'after a comment');
  assert.equal(moves(driver, edit(driver, 'dom.createWithFiles(', '\n')), false, 'inside brackets');
  assert.equal(moves(driver, edit(driver, '            0,', '\n')), false, 'inside brackets');
  // The next statement's indentation changes: it would move to another block (or out of it).
  assert.equal(moves(driver, edit(driver, '    return dom\n\n\n', ' ')), false);
  assert.equal(moves(driver, edit(driver, '    def snapshot(self, dom):\n', '    ')), false);
  // Spaces on a blank line: still blank.
  assert.equal(moves(driver, edit(driver, '    return dom\n', '    ')), true);
  // A backslash continues the line: a blank line after it is a syntax error.
  const continued = driver.replace('    return dom', '    return \\\n        dom');
  assert.equal(moves(continued, edit(continued, 'return \\\n', '\n')), false);
  // Not blank: code, a comment, a lone carriage return.
  assert.equal(moves(driver, edit(driver, '    return dom', '\n    x = 1')), false);
  assert.equal(moves(driver, edit(driver, '    return dom', '\n    # note')), false);
  assert.equal(moves(driver, edit(driver, '    return dom', '\r    ')), false);
  // A finding below the new line moves with it: the same diagnostics one line down.
  const old = analyze(driver);
  const moved = findingsAfterBlankLines(driver, old.findings, parsePython(enter), uri);
  assert.deepEqual(
    moved?.map((f) => `${f.code}:${f.range.start.line}:${f.range.start.character}`),
    old.findings.map((f) => `${f.code}:${f.range.start.line + 1}:${f.range.start.character}`),
  );
});

test('over every fixture and example, random blank lines added and removed: findings moved are those of a fresh analysis', () => {
  const rnd = prng(20261205);
  let moved = 0;
  let edits = 0;
  for (const file of fixtureAndExampleFiles()) {
    const text = fs.readFileSync(file, 'utf8');
    if (text.length > 200_000) continue;
    const policy = fixturePolicy(path.resolve(file));
    const old = analyzeFixture(path.resolve(file), policy, text);
    const breaks = [...text.matchAll(/\n/g)].map((m) => m.index);
    if (!breaks.length) continue;
    for (let k = 0; k < 8; k++) {
      const at = rnd.pick(breaks);
      const indent = /^[ \t]*/.exec(text.slice(at + 1))?.[0] ?? '';
      const insert = rnd.pick(['\n', `\n${indent}`, '\n\n', '   ', '\n\t', `\n${indent}  `, '\r\n']);
      // Or take out the line break and the blank line after it, when there is one.
      const blank = /^\n[ \t]*(?=\n)/.exec(text.slice(at))?.[0];
      const after =
        blank && rnd.next() < 0.3
          ? text.slice(0, at) + text.slice(at + blank.length)
          : text.slice(0, at) + insert + text.slice(at);
      edits++;
      const result = findingsAfterBlankLines(text, old.findings, parsePython(after), uriOf(path.resolve(file)));
      if (!result) continue;
      moved++;
      assert.equal(
        shownFindings(result),
        shown(analyzeFixture(path.resolve(file), policy, after)),
        `${file}: ${JSON.stringify(insert)} at ${at} moved the findings elsewhere than an analysis puts them`,
      );
    }
  }
  assert.ok(edits > 500 && moved > edits / 4, `${moved} of ${edits} edits moved`);
});

test('typing in a docstring: the findings stand unless the edit can change a token or a count the analysis read', () => {
  const doc = [
    'import libvirt',
    '',
    '',
    'class Driver:',
    '    """The driver."""',
    '',
    '    def freeze(self, dom):',
    "        '''Freeze the guest.'''",
    '        dom.fsFreeze()',
    '        LOG.info("frozen")',
    '        f"""{dom} frozen"""',
    '',
  ].join('\n');
  assert.deepEqual(
    analyze(doc).findings.map((f) => `${f.code}:${f.range.start.line}`),
    ['LVG002:8'],
  );
  // [after, inserted, characters cut, whether the findings stand, why]
  const cases: [string, string, number, boolean, string][] = [
    ['"""The driver', ' class', 0, true, 'a class docstring'],
    ["'''Freeze", ' and thaw', 0, true, 'a method docstring'],
    ["'''Freeze ", '', 4, true, 'a deletion'],
    ["'''", 'x', 0, false, 'right after the quotes'],
    ['"""The driver.""', ' class', 0, false, 'between the closing quotes: the string would go on to the next'],
    ["'''Freeze", "'", 0, false, 'a quote: the tokens may change'],
    ["'''Freeze", '\\', 0, false, 'a backslash'],
    ["'''Freeze", '\n', 0, false, 'a line break'],
    ["'''Freeze", ' getLibVersion', 0, false, 'a word the analysis counts (it then reads comparisons)'],
    ["'''Freeze", ' oslo_config cfg.BoolOpt(', 0, false, 'a text the analysis looks for in the whole source'],
    ['LOG.info("froz', 'x', 0, false, 'an argument, not a docstring'],
    ['f"""{dom} fro', 'x', 0, false, 'an f-string'],
  ];
  for (const [after, insert, cut, expected, why] of cases)
    assert.equal(stands(doc, edit(doc, after, insert, cut)), expected, why);
});

test('over every fixture and example, random edits inside docstrings: findings that stand are those of a fresh analysis', () => {
  // (Up to the last quote: an edit there is next to a quote, never one that stands.)
  const docstrings = (tree: SyntaxTree) => docstringSpans(tree).map((s) => ({ start: s.start, end: s.end - 1 }));
  const { edits, standing } = randomEdits(20261206, 20, docstrings, [
    ...typedWords,
    '<domain><memoryBacking/>',
    "'",
    '"',
    '\\',
    '{x}',
  ]);
  assert.ok(edits > 200 && standing > edits / 2, `${standing} of ${edits} edits stood`);
});
