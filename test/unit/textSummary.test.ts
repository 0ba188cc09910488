// The index summary of files that name nothing relevant, read from their tokens (no parse):
// exact summaries of the forms it reads, the texts it leaves to the parser, and the same
// summary as the tree's over every fixture and a sample of the standard library
// (scripts/parser-diff.ts compares every file in CI).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { summaryOptionsFor } from '../../server/src/engine/api';
import { summarizeFile, summarizeFromTree, tokenSummaryParts } from '../../server/src/engine/workspace/summarize';
import { parsePython } from '../../server/src/engine/syntax/index';
import { fixturesDir, ready } from '../support/engineHarness';
import { examplePolicy } from '../support/examplePolicy';
import { pythonFiles, stdlibRoots } from '../support/stdlibFiles';
import { compareSummaries } from '../support/summaryDiff';

before(ready);

const options = summaryOptionsFor([examplePolicy]);
const uri = 'file:///w/p/m.py';

const plain = `"""A module that names nothing relevant."""
from __future__ import print_function
import os, os.path as osp
import xml.etree.ElementTree
from . import sibling
from ..pkg.mod import (a, b as c,)
from .star import *
import json as j

CONST = object()
LOG = logging.getLogger(__name__)
x: int
name = 'value'


@decorator
def top(a, b=1):
    def inner():
        pass
    return a


async def coro():
    pass


class Plain(object):
    attr = 1

    def method(self): pass

    class Nested(object):
        pass


if os.name == 'nt':
    class OnWindows(base):
        pass

    def win(): pass
else:
    def posix(): pass

try:
    import simplejson
except ImportError:
    def fallback(): pass

for _i in range(3):
    def in_loop(): pass


def generic[T](x: T) -> T: return x
class Inline(object): pass
`;

test('a plain file: imports, definitions, functions and classes read from its tokens', () => {
  assert.ok(tokenSummaryParts(uri, plain, options), 'read from tokens');
  const s = summarizeFile(uri, plain, options);
  assert.deepEqual(s.imports, [
    { local: 'os', module: 'os' },
    { local: 'osp', module: 'os.path' },
    { local: 'xml', module: 'xml' },
    { local: 'sibling', module: '/w/p', name: 'sibling' },
    { local: 'a', module: '/w/pkg/mod', name: 'a' },
    { local: 'c', module: '/w/pkg/mod', name: 'b' },
    { local: 'j', module: 'json' },
    { local: 'simplejson', module: 'simplejson' },
  ]);
  assert.deepEqual(s.stars, ['/w/p/star']);
  assert.deepEqual(s.definitions, ['CONST', 'LOG', 'x', 'name', 'top', 'coro', 'Plain', 'generic', 'Inline']);
  assert.deepEqual(s.functions, ['top', 'inner', 'coro', 'method', 'win', 'posix', 'fallback', 'in_loop', 'generic']);
  assert.deepEqual(
    [...s.classes].map(([n, c]) => [n, c.bases, c.helpers.size]),
    [
      ['Plain', [{ name: 'object' }], 0],
      ['OnWindows', [{ name: 'base' }], 0],
      ['Inline', [{ name: 'object' }], 0],
    ],
  );
  assert.equal(s.constants.size + s.moduleHelpers.size + s.xmlClasses.length, 0);
  assert.deepEqual(s, summarizeFromTree(uri, plain, options, parsePython(plain)));
});

test('classes with a capitalized base: the XML summary of subclasses, read from tokens', () => {
  const text = `from pkg import config as vconfig
from base import Base


class Disk(vconfig.LibvirtConfigGuestDisk):
    def __init__(self, path, mode=None):
        super(Disk, self).__init__()
        self.path = path
        self.mode = mode or self.path


class Error(Exception):
    msg = 'failed'


class Thing(Base, object, metaclass=Meta):
    pass


class Deep(a.b.Base):
    pass
`;
  assert.ok(tokenSummaryParts(uri, text, options), 'read from tokens');
  const s = summarizeFile(uri, text, options);
  const plain = (bases: object[]): object => ({
    bases,
    formatsXml: false,
    always: [],
    defaults: Object.create(null) as object,
    attributes: {},
  });
  assert.deepEqual(s.xmlClasses, [
    { name: 'Disk', ...plain([{ name: 'LibvirtConfigGuestDisk', module: 'pkg.config' }]) },
    { name: 'Error', ...plain([{ name: 'Exception' }]) },
    { name: 'Thing', ...plain([{ name: 'Base', module: 'base' }]) },
  ]);
  assert.deepEqual(s, summarizeFromTree(uri, text, options, parsePython(text)));
});

test('texts whose summary needs the tree are left to the parser', () => {
  const cases: Record<string, string> = {
    'libvirt named': 'import libvirt\n',
    'a configured check named (even in a comment)': 'x = 1  # has_min_version\n',
    'a constant that may be a version by arithmetic': 'QEMU_FLOOR = 2 * 1000000 + 11000\n',
    'a constant from another assignment': 'FLOOR = other\nother = os.sep\n',
    'a chained constant': 'A = B = None\n',
    'a subclass whose __init__ may give a default':
      'class D(Base):\n    def __init__(self):\n        self.kind = "file"\n',
    'a subclass whose __init__ may give a constant':
      'KIND = x.y\nclass D(Base):\n    def __init__(self):\n        self.kind = KIND\n',
    'two subclasses of one name': 'class D(Base):\n    pass\n\n\nclass D(Base):\n    pass\n',
    'a subclass and an XML builder': 'class D(Base):\n    pass\n\n\nx = ET.SubElement(a, b)\n',
    'a parenthesized base': 'class E((base)):\n    pass\n',
    'two statements on a line': 'a = 1; b = 2\n',
    'an import in an inline body': 'if x: import y\n',
    'a match statement': 'match x:\n    case 1:\n        pass\n',
    'hasattr (an availability guard)': 'def f(x):\n    return hasattr(x, "y")\n',
    'a libvirt method on an unknown receiver': 'def f(d):\n    d.fsFreeze()\n',
    'an unclosed bracket': 'def f(:\n    pass\n',
    'an indent no header opened': 'x = 1\n    y = 2\n',
    'oslo.config options': 'from oslo_config import cfg\nopts = [cfg.BoolOpt("x")]\n',
    'format_dom (a config class)': 'def format_dom(self):\n    pass\n',
  };
  for (const [what, text] of Object.entries(cases))
    assert.equal(tokenSummaryParts(uri, text, options), undefined, what);
});

test('the token summary equals the tree summary on every fixture and a sample of the standard library', () => {
  const stdlib = pythonFiles(stdlibRoots()).filter((_, i) => i % 10 === 0);
  const files = [...pythonFiles([fixturesDir, path.join(__dirname, '..', '..', 'examples')]), ...stdlib];
  const counts = { tokens: 0, tree: 0, 'syntax-error': 0 };
  const differs: string[] = [];
  for (const file of files) {
    const verdict = compareSummaries(`file://${file}`, fs.readFileSync(file, 'utf8'), options);
    if (verdict.kind === 'differs') differs.push(`${file}\n${verdict.detail}`);
    else counts[verdict.kind]++;
  }
  assert.deepEqual(differs, []);
  // Fixtures alone read some files from tokens (the bench fixtures' plain modules).
  assert.ok(counts.tokens >= 10, `only ${counts.tokens} of ${files.length} files were read from tokens`);
});

test('a helper of a configured check form is found, also when the policy lists the form only as a spec', () => {
  const specOnly = summaryOptionsFor([
    {
      ...examplePolicy,
      versionChecks: [],
      versionCheckSpecs: [
        { name: 'require_version', axis: 'libvirt', form: 'string', arg: 0, parts: [], exact: false },
      ],
    },
  ]);
  const text = "def new_enough():\n    return require_version('1.2.5')\n";
  assert.equal(tokenSummaryParts(uri, text, specOnly), undefined);
  const s = summarizeFile(uri, text, specOnly);
  assert.deepEqual([...s.moduleHelpers.keys()], ['new_enough']);
});

test('module constants that are versions, read from tokens as the semantics read them', () => {
  const text = [
    'A = 5',
    'B = (1, 2, 3)',
    'C = [4]',
    'D = (7)',
    'E = (8,)',
    "F = 'not a version'",
    'G = (1, 2, 3, 4)',
    'A = 6',
    'H: int = 10',
    'lower = 3',
    "NAME = os.environ.get('X')",
    '',
  ].join('\n');
  assert.ok(tokenSummaryParts(uri, text, options), 'read from tokens');
  const s = summarizeFile(uri, text, options);
  assert.deepEqual(
    [...s.constants],
    [
      ['A', 6],
      ['B', 1_002_003],
      ['C', 4_000_000],
      ['D', 7],
      ['E', 8_000_000],
      ['H', 10],
    ],
  );
  assert.deepEqual(s, summarizeFromTree(uri, text, options, parsePython(text)));
  for (const other of ['X = 30 * 60\n', 'X = -1\n', 'X = 0x10\n', 'X = 1, 2\n', 'X = f(1)\n', 'X = 1.5\n'])
    assert.equal(tokenSummaryParts(uri, other, options), undefined, other);
});
