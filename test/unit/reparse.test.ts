// After an edit the language server parses only the top-level statements the edit can reach
// and splices them into the previous tree (syntax/reparse.ts). The result must be the tree a
// full parse gives, node for node, whatever the edit: random edit sequences over every fixture
// and example, the benchmark's generated drivers and Python 2 code, with the tree asked for after some edits
// only (so several edits meet in one reparse), and full syncs among the edits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ParsedDocument, parsePython } from '../../server/src/engine/syntax/index';
import { changeBetween, reparseInClass, reparseRegion } from '../../server/src/engine/syntax/reparse';
import type { ArrayTree } from '../../server/src/engine/syntax/tree';
import { prng } from '../support/generatedDrivers';
import { generatePython2 } from '../support/python2Gen';
import { fixtureAndExampleFiles } from '../support/pythonFiles';
import { treeDifference } from '../support/treeDifference';
// @ts-expect-error plain JavaScript module without types
import { generateTree } from '../../scripts/bench/generate.mjs';

const snippets = [
  'x',
  ' ',
  '\n',
  '\n    y = 1',
  '\n        z = f(a, b)\n',
  '    ',
  '\t',
  '(',
  ')',
  '[1, 2',
  ']',
  ':',
  "'",
  '"""',
  '#',
  '# a comment\n',
  '\\',
  '\\\n',
  'def g():\n    return 1\n',
  'class K:\n    pass\n',
  'if x:\n',
  '@decorator\n',
  'print "py2"\n',
  'libvirt.VIR_DOMAIN_X',
  ';',
  '\r\n',
];

/** A random edit of `text`: an insertion, a deletion or a replacement near a random point. */
function edit(text: string, r: ReturnType<typeof prng>): { start: number; end: number; insert: string } {
  const start = r.int(text.length + 1);
  const kind = r.int(3);
  const end = kind === 0 ? start : Math.min(text.length, start + r.int(kind === 1 ? 40 : 8));
  return { start, end, insert: kind === 1 ? '' : r.pick(snippets) };
}

function sources(): string[] {
  const out = fixtureAndExampleFiles().map((f) => fs.readFileSync(f, 'utf8'));
  for (let seed = 1; seed <= 6; seed++) out.push(generatePython2(seed, 60));
  // The benchmark's generator writes valid drivers (with XML), one of them 2,000 lines long.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-reparse-'));
  try {
    const generated = generateTree(root, { files: 10, bigFiles: 1, bigLines: 2000, targetBytes: 250_000, xml: true });
    const texts = (generated.files as string[]).map((f) => fs.readFileSync(f, 'utf8'));
    out.push(...texts);
    // Line endings, a byte-order mark, tabs, no final line break, on the big one.
    const big = texts[0] ?? '';
    out.push(big.replace(/\n/g, '\r\n'), `\ufeff${big}`, big.replace(/ {4}/g, '\t'), big.trimEnd());
    // A driver that is one class (as Nova's driver.py): edits in its methods are spliced inside it.
    out.push(oneClass(), oneClass().replace(/\n/g, '\r\n'));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  return out;
}

/** A class of many methods: decorators, docstrings, nested code, comments between and inside. */
function oneClass(): string {
  const methods = Array.from({ length: 120 }, (_, i) =>
    [
      i % 5 === 0 ? '    @property\n' : '',
      `    def m${i}(self, dom, flags=0):\n`,
      i % 3 === 0 ? `        """Method ${i}: '#' is no comment here."""\n` : '',
      `        if self._host.has_min_version((1, 2, ${i % 9})):\n`,
      `            return dom.blockCopy('vda', xml, {'n': ${i}}, flags)  # trailing\n`,
      i % 4 === 0 ? '        # a comment at the end of the body\n' : '',
      i % 7 === 0 ? '# a comment at column 0 between methods\n' : '',
      '        return [x for x in (1, 2)\n                if x]\n',
      '\n',
    ].join(''),
  );
  return `import libvirt\n\n\nclass Driver(object):\n    """One class."""\n\n${methods.join('')}    class Inner(object):\n        pass\n\n\nLAST = 1\n`;
}

/** The change between two texts found char by char: the oracle of changeBetween's block compares. */
function changeByChars(before: string, text: string): { start: number; oldEnd: number; newEnd: number } {
  const max = Math.min(before.length, text.length);
  let prefix = 0;
  while (prefix < max && before[prefix] === text[prefix]) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && before[before.length - 1 - suffix] === text[text.length - 1 - suffix]) suffix++;
  return { start: prefix, oldEnd: before.length - suffix, newEnd: text.length - suffix };
}

test('the change between two texts: the same spans as a char-by-char compare, at block edges and across them', () => {
  const r = prng(20261203);
  const base = Array.from({ length: 3000 }, (_, i) => String.fromCharCode(97 + ((i * 7) % 26))).join('');
  const cases: [string, string][] = [
    ['', ''],
    ['', 'abc'],
    ['abc', ''],
    [base, base],
    // A repeated text: the suffix may overlap where the prefix ends (insertion of a copy).
    ['aaaa'.repeat(400), 'aaaa'.repeat(401)],
    [base, base.slice(0, 1024) + base.slice(1025)],
  ];
  for (const at of [0, 1, 511, 512, 513, 1023, 1024, 2047, 2999, 3000])
    for (const insert of ['', 'x', 'xyz'.repeat(300)])
      for (const cut of [0, 1, 600])
        cases.push([base, base.slice(0, at) + insert + base.slice(Math.min(base.length, at + cut))]);
  for (let k = 0; k < 300; k++) {
    let text = base;
    for (let e = r.int(4); e >= 0; e--) {
      const { start, end, insert } = edit(text, r);
      text = text.slice(0, start) + insert + text.slice(end);
    }
    cases.push([base, text]);
  }
  for (const [before, text] of cases) assert.deepEqual(changeBetween(before, text), changeByChars(before, text));
});

test('a reparse after random edits gives the tree of a full parse, node for node', () => {
  const r = prng(20261202);
  let asked = 0;
  let regions = 0;
  let inClass = 0;
  for (const source of sources()) {
    for (let round = 0; round < 12; round++) {
      // From the file as it is: one to four edits, the tree asked for after some of them.
      const doc = new ParsedDocument(source);
      let last = doc.tree as ArrayTree;
      for (let k = 1 + r.int(4); k > 0; k--) {
        const e = edit(doc.text, r);
        // Now and then a full sync (the change is then found by comparing the texts).
        const after = doc.text.slice(0, e.start) + e.insert + doc.text.slice(e.end);
        if (r.int(6) === 0) doc.replaceText(after);
        // Half the time with the text after the edit, as the language server gives it.
        else if (r.int(2) === 0) doc.applyEdit(e.start, e.end, e.insert, after);
        else doc.applyEdit(e.start, e.end, e.insert);
        if (k > 1 && r.int(2) === 0) continue; // let edits pile up before the next tree
        if (reparseInClass(last, doc.text)) inClass++;
        else if (reparseRegion(last, doc.text)) regions++;
        const tree = doc.tree as ArrayTree;
        asked++;
        const diff = treeDifference(tree, parsePython(doc.text));
        assert.equal(diff, undefined, `${diff} after ${JSON.stringify(e)} in ${JSON.stringify(source.slice(0, 80))}`);
        last = tree;
      }
    }
  }
  // Most edits of well-formed files reach a few statements: the splice must be what is tested.
  assert.ok(asked > 2000 && regions + inClass > asked / 4, `${regions} + ${inClass} spliced of ${asked}`);
  assert.ok(inClass > 50, `${inClass} spliced inside a class`);
});

test('typing a function into a 15k-line file parses only its statement', () => {
  const body = Array.from({ length: 600 }, (_, i) => `def f${i}(a):\n    return a + ${i}\n\n`).join('');
  const doc = new ParsedDocument(body);
  let last = doc.tree as ArrayTree;
  const at = body.indexOf('def f300');
  const typed = 'def new(x):\n    if x:\n        return libvirt.VIR_X\n';
  for (let i = 1; i <= typed.length; i++) {
    doc.applyEdit(at + i - 1, at + i - 1, typed[i - 1] ?? '');
    const region = reparseRegion(last, doc.text);
    const tree = doc.tree as ArrayTree;
    assert.equal(treeDifference(tree, parsePython(doc.text)), undefined, `after ${i} characters`);
    // While the new statement is broken the region may be rejected (a full parse); else it is
    // the statements around the change, not the file.
    if (region) assert.ok(region.newEnd - region.start < 200, `${region.newEnd - region.start} characters`);
    last = tree;
  }
});

test('a one-class file: random edits in its methods are spliced inside the class, and give the tree of a full parse', () => {
  const r = prng(4404);
  for (const source of [oneClass(), oneClass().replace(/\n/g, '\r\n')]) {
    let inClass = 0;
    for (let round = 0; round < 300; round++) {
      const doc = new ParsedDocument(source);
      const last = doc.tree as ArrayTree;
      const e = edit(doc.text, r);
      doc.applyEdit(e.start, e.end, e.insert);
      if (reparseInClass(last, doc.text)) inClass++;
      const diff = treeDifference(doc.tree, parsePython(doc.text));
      assert.equal(diff, undefined, `${diff} after ${JSON.stringify(e)}`);
    }
    assert.ok(inClass > 40, `${inClass} of 300 spliced inside the class`);
  }
});

test('typing in a method of a one-class file parses only the methods around it', () => {
  const source = oneClass();
  const doc = new ParsedDocument(source);
  let last = doc.tree as ArrayTree;
  const at = source.indexOf("{'n': 60}") + 8;
  const typed = ' + 1234567890';
  for (let i = 1; i <= typed.length; i++) {
    doc.applyEdit(at + i - 1, at + i - 1, typed[i - 1] ?? '');
    const tree = reparseInClass(last, doc.text);
    last = doc.tree as ArrayTree;
    assert.equal(treeDifference(last, parsePython(doc.text)), undefined, `after ${i} characters`);
    // `{'n': 60 +}` is broken: the class is parsed in full, and again after the next two
    // keystrokes (a reparse starts only from a tree without problems).
    if (i >= 2 && i <= 4) continue;
    assert.ok(tree, `keystroke ${i} was not spliced inside the class`);
    assert.equal(treeDifference(tree, parsePython(doc.text)), undefined, `after ${i} characters`);
  }
});

test('no reparse when the previous tree has a problem, or a backslash joins the next statement', () => {
  const broken = parsePython('def f(:\n    pass\n\nx = 1\n') as ArrayTree;
  assert.equal(reparseRegion(broken, 'def f(:\n    pass\n\nx = 2\n'), undefined);
  const text = 'a = 1\n\nb = 2\n\nc = 3\n';
  const tree = parsePython(text) as ArrayTree;
  assert.deepEqual(reparseRegion(tree, text.replace('b = 2', 'b = 22')), { start: 7, oldEnd: 14, newEnd: 15 });
  // A backslash then a blank line joins nothing; right before the next statement's line it would.
  assert.deepEqual(reparseRegion(tree, text.replace('b = 2\n', 'b = 2 \\\n')), { start: 7, oldEnd: 14, newEnd: 16 });
  const tight = 'a = 1\nb = 2\nc = 3\n';
  assert.equal(reparseRegion(parsePython(tight) as ArrayTree, tight.replace('b = 2\n', 'b = 2 \\\n')), undefined);
  for (const source of [text, tight]) {
    const doc = new ParsedDocument(source);
    void doc.tree;
    doc.applyEdit(source.indexOf('b = 2') + 5, source.indexOf('b = 2') + 5, ' \\');
    assert.equal(treeDifference(doc.tree, parsePython(doc.text)), undefined);
  }
});

test('an edit given with the text after it keeps that string; one whose text does not match the edit replaces the whole text', () => {
  const r = prng(20261203);
  let mismatched = 0;
  for (const source of sources().slice(0, 20)) {
    for (let round = 0; round < 6; round++) {
      const doc = new ParsedDocument(source);
      void doc.tree;
      const e = edit(doc.text, r);
      const after = doc.text.slice(0, e.start) + e.insert + doc.text.slice(e.end);
      // Said right, or said (same lengths, same inserted text) at the start of the file while the
      // text changed further on: only the check of the text around the edit can tell.
      const wrong = round % 2 === 1 && e.start > 200;
      if (wrong) mismatched++;
      if (wrong) doc.applyEdit(0, e.end - e.start, e.insert, after);
      else doc.applyEdit(e.start, e.end, e.insert, after);
      assert.ok(Object.is(doc.text, after), 'the given string is the text');
      const diff = treeDifference(doc.tree as ArrayTree, parsePython(after));
      assert.equal(diff, undefined, `${diff} after ${JSON.stringify(e)} (${wrong ? 'mis' : ''}described)`);
    }
  }
  assert.ok(mismatched >= 10, `${mismatched} mismatched edits`);
});
