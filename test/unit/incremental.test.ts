// Reuse between edits: the changed lines between an analyzed text and the current one (hover
// answers from the last analysis outside them), and replaying recorded cross-file questions.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { factsStillHold, recordingFacts, WorkspaceIndex } from '../../server/src/engine/api';
import type { HoverFacts } from '../../server/src/engine/api';
import { analyzedPosition, lineShift, movedHoverFacts } from '../../server/src/lsp/staleText';

test('changed lines: one span, none for equal texts, and how many lines were added', () => {
  assert.deepEqual(lineShift('a\nbc\nd\n', 'a\nbXc\nd\n'), { first: 1, last: 1, delta: 0 });
  assert.deepEqual(lineShift('a\nb\nc\nd', 'a\nB\nC\nd'), { first: 1, last: 2, delta: 0 });
  assert.deepEqual(lineShift('a\nb\n', 'a\nb\n'), { first: 1, last: 0, delta: 0 });
  assert.deepEqual(lineShift('a\nb\n', 'a\n\nb\n'), { first: 1, last: 2, delta: 1 });
  assert.deepEqual(lineShift('a\nb\nc', 'a\nc'), { first: 1, last: 1, delta: -1 });
  // A line break replaced by another keeps the count (the span covers both lines).
  assert.deepEqual(lineShift('ab\ncd', 'a\nbcd'), { first: 0, last: 1, delta: 0 });
});

test('line shift: the changed lines of the current text and how the lines after them moved', () => {
  // A line inserted at line 1: line 1 changed (and 2, conservatively); line 3 was line 2.
  const added = lineShift('a\nb\nc\nd\n', 'a\nX\nb\nc\nd\n');
  assert.deepEqual(added, { first: 1, last: 2, delta: 1 });
  assert.deepEqual(analyzedPosition(added, { line: 0, character: 1 }), { line: 0, character: 1 });
  assert.equal(analyzedPosition(added, { line: 2, character: 0 }), undefined);
  assert.deepEqual(analyzedPosition(added, { line: 3, character: 4 }), { line: 2, character: 4 });
  // Two lines joined into one: the lines after moved up.
  const removed = lineShift('a\nb\nc\nd\ne\n', 'a\nbc\nd\ne\n');
  assert.deepEqual(removed, { first: 1, last: 1, delta: -1 });
  assert.deepEqual(analyzedPosition(removed, { line: 3, character: 0 }), { line: 4, character: 0 });
  assert.deepEqual(lineShift('a\nb\n', 'a\nb\n'), { first: 1, last: 0, delta: 0 });
  assert.deepEqual(lineShift('a\nbc\nd\n', 'a\nbXc\nd\n'), { first: 1, last: 1, delta: 0 });
});

test('hover facts move with the lines, and are not used when they or a line of this file they cite changed', () => {
  const uri = 'file:///w/driver.py';
  const r = (line: number, from = 4, to = 10) => ({ start: { line, character: from }, end: { line, character: to } });
  const facts = {
    range: r(10),
    kind: 'symbol',
    interval: { libvirt: { lo: 0, hi: Infinity }, qemu: { lo: 0, hi: Infinity } },
    supportClass: 'A',
    gated: false,
    guards: [
      { kind: 'version-check', uri, range: r(8), text: 'has_min_version(X)' },
      { kind: 'helper', uri: 'file:///w/host.py', range: r(3), text: 'supports_x' },
    ],
    symbol: { receiverVia: { kind: 'return-type', text: 'dom = conn.lookupByName(n)', range: r(6) } },
  } as unknown as HoverFacts;
  // Two lines added at line 2: everything cited is below, and moves by two; the other file's guard stays.
  const moved = movedHoverFacts(facts, { first: 2, last: 4, delta: 2 }, uri);
  assert.deepEqual(moved?.range, r(12));
  assert.deepEqual(
    moved?.guards.map((g) => g.range.start.line),
    [10, 3],
  );
  assert.equal(moved?.symbol?.receiverVia?.range.start.line, 8);
  // Lines added where the guard was: the guard's line is not known any more.
  assert.equal(movedHoverFacts(facts, { first: 8, last: 9, delta: 1 }, uri), undefined);
  // ... nor the receiver's evidence.
  assert.equal(movedHoverFacts(facts, { first: 6, last: 7, delta: 1 }, uri), undefined);
  // The facts' own range changed.
  assert.equal(movedHoverFacts(facts, { first: 10, last: 11, delta: 1 }, uri), undefined);
  // Lines kept in place: a guard on a changed line still has its line.
  assert.equal(movedHoverFacts(facts, { first: 8, last: 8, delta: 0 }, uri), facts);
  // Changes below leave everything as it was.
  assert.equal(movedHoverFacts(facts, { first: 20, last: 25, delta: 3 }, uri)?.range, facts.range);
});

test('recorded questions replay, an absent argument as absent, and fail when an answer changed', () => {
  const index = new WorkspaceIndex();
  index.setFile('file:///w/conf.py', 'class LibvirtConfigGuest(object):\n    def format_dom(self):\n        pass\n');
  const { facts, log } = recordingFacts(index);
  facts.xmlConfigClass('file:///w/driver.py', undefined, 'LibvirtConfigGuest');
  facts.constant('file:///w/driver.py', 'helpers', 'MIN_X');
  // A list argument, asked twice with the same list and once with an equal one: one question.
  const modules = ['helpers', 'conf'];
  facts.helperInModules('file:///w/driver.py', modules, 'has_x', true);
  facts.helperInModules('file:///w/driver.py', modules, 'has_x', true);
  facts.helperInModules('file:///w/driver.py', [...modules], 'has_x', true);
  assert.deepEqual(
    log.map(([method, args]) => `${method} ${args}`),
    [
      'xmlConfigClass ["file:///w/driver.py",null,"LibvirtConfigGuest"]',
      'constant ["file:///w/driver.py","helpers","MIN_X"]',
      'helperInModules ["file:///w/driver.py",["helpers","conf"],"has_x",true]',
    ],
  );
  log.pop();
  assert.equal(log.length, 2);
  assert.equal(factsStillHold(index, log), true);
  index.setFile('file:///w/helpers.py', 'MIN_X = (1, 2, 3)\n');
  assert.equal(factsStillHold(index, log), false);
});

test('"does a config class write this attribute" is recorded, and an edit that makes one write it invalidates', () => {
  const conf = (attrs: string) =>
    `from lxml import etree\n\nclass LibvirtConfigGuestDisk(object):\n    def format_dom(self):\n        dev = etree.Element('disk')\n        drv = etree.SubElement(dev, 'driver')\n${attrs}        return dev\n`;
  const index = new WorkspaceIndex();
  index.setFile('file:///w/conf.py', conf(`        if self.driver_io:\n            drv.set('io', self.driver_io)\n`));
  const { facts, log } = recordingFacts(index);
  assert.equal(facts.writesXmlConfigAttribute('driver_io'), true);
  assert.equal(facts.writesXmlConfigAttribute('driver_discard'), false);
  assert.deepEqual(
    log.map(([method, args, answer]) => `${method} ${args} ${answer}`),
    ['writesXmlConfigAttribute ["driver_io"] true', 'writesXmlConfigAttribute ["driver_discard"] false'],
  );
  assert.equal(factsStillHold(index, log), true);
  index.setFile(
    'file:///w/conf.py',
    conf(
      `        if self.driver_io:\n            drv.set('io', self.driver_io)\n        if self.driver_discard:\n            drv.set('discard', self.driver_discard)\n`,
    ),
  );
  assert.equal(factsStillHold(index, log), false);
});
