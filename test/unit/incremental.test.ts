// Reuse between edits: the changed lines between an analyzed text and the current one (hover
// answers from the last analysis outside them), and replaying recorded cross-file questions.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { factsStillHold, recordingFacts, WorkspaceIndex } from '../../server/src/engine/api';
import { changedLinesKeepingOthers, outsideChanged } from '../../server/src/lsp/staleText';

test('changed lines: one span within lines, none for equal texts, undefined when lines move', () => {
  assert.deepEqual(changedLinesKeepingOthers('a\nbc\nd\n', 'a\nbXc\nd\n'), { first: 1, last: 1 });
  assert.deepEqual(changedLinesKeepingOthers('a\nb\nc\nd', 'a\nB\nC\nd'), { first: 1, last: 2 });
  assert.deepEqual(changedLinesKeepingOthers('a\nb\n', 'a\nb\n'), { first: 1, last: 0 });
  assert.equal(changedLinesKeepingOthers('a\nb\n', 'a\n\nb\n'), undefined);
  assert.equal(changedLinesKeepingOthers('a\nb\nc', 'a\nc'), undefined);
  // A line break replaced by another keeps the count (the span covers both lines).
  assert.deepEqual(changedLinesKeepingOthers('ab\ncd', 'a\nbcd'), { first: 0, last: 1 });
  const changed = { first: 3, last: 4 };
  assert.equal(outsideChanged(changed, 0, 2), true);
  assert.equal(outsideChanged(changed, 5, 9), true);
  assert.equal(outsideChanged(changed, 2, 3), false);
  assert.equal(outsideChanged(changed, 4, 4), false);
});

test('recorded questions replay, an absent argument as absent, and fail when an answer changed', () => {
  const index = new WorkspaceIndex();
  index.setFile('file:///w/conf.py', 'class LibvirtConfigGuest(object):\n    def format_dom(self):\n        pass\n');
  const { facts, log } = recordingFacts(index);
  facts.xmlConfigClass('file:///w/driver.py', undefined, 'LibvirtConfigGuest');
  facts.constant('file:///w/driver.py', 'helpers', 'MIN_X');
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
