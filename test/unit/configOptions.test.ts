// oslo.config option declarations read from a file (groups, lists, where a new option goes),
// how files bind CONF, and the index's answers about them (order of files, snapshots).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser, parsePython, SnapshotFacts, WorkspaceIndex } from '../../server/src/engine/api';
import { buildFileModel } from '../../server/src/engine/semantic/fileModel';
import { readConfigOptions, stringValue } from '../../server/src/engine/semantic/configOptions';
import { readConfBinding } from '../../server/src/engine/semantic/confBinding';
import { NodeKind } from '../../server/src/engine/syntax/index';

before(() => initParser());

const read = (text: string) => readConfigOptions(buildFileModel(parsePython(text), 'file:///w/conf.py'));
/** `name@group` of each option, in file order. */
const declared = (text: string) => read(text)?.options.map((o) => `${o.name}@${o.group ?? '?'}`);

test('string values: quotes, prefixes, escapes, concatenation, _(), and what is not a plain string', () => {
  const value = (expr: string) => {
    const t = parsePython(`x = ${expr}\n`);
    const [n] = t.descendantsOfKind(t.root, [NodeKind.Assignment]);
    const right = n === undefined ? undefined : t.children(n)[1];
    return right === undefined ? 'no node' : stringValue(t, right);
  };
  assert.equal(value(`'a\\tb\\'c'`), "a\tb'c");
  assert.equal(value(`u"x" 'y'`), 'xy');
  assert.equal(value(`r'a\\n'`), 'a\\n');
  assert.equal(value(`"""\nline one \\\nstill one\n"""`), '\nline one still one\n');
  assert.equal(value(`'\\x41\\u00e9'`), 'Aé');
  assert.equal(value(`_('translated')`), 'translated');
  assert.equal(value(`f'{x}'`), undefined);
  assert.equal(value(`b'bytes'`), undefined);
  assert.equal(value(`'a' + 'b'`), undefined);
});

test("Nova's layout: OptGroup variable, ALL_OPTS from itertools.chain, register_opts in a function, list_opts", () => {
  const text = [
    'import itertools',
    'from oslo_config import cfg',
    'libvirt_group = cfg.OptGroup("libvirt", title="Libvirt Options")',
    'general = [',
    '    cfg.StrOpt("rescue_image_id", help="""',
    'Rescue ami image.',
    '"""),',
    '    cfg.BoolOpt("enable_untested_features", default=True,',
    '                deprecated_opts=[cfg.DeprecatedOpt("old", group="DEFAULT")]),',
    ']',
    'migration = [cfg.IntOpt("live_migration_bandwidth", default=0)]',
    'ALL_OPTS = list(itertools.chain(general, migration))',
    'def register_opts(conf):',
    '    conf.register_group(libvirt_group)',
    '    conf.register_opts(ALL_OPTS, group=libvirt_group)',
    'def list_opts():',
    '    return {libvirt_group: ALL_OPTS}',
    '',
  ].join('\n');
  const facts = read(text);
  assert.deepEqual(
    facts?.options.map((o) => [o.name, o.group, o.type, o.defaultText, o.help]),
    [
      ['rescue_image_id', 'libvirt', 'StrOpt', undefined, '\nRescue ami image.\n'],
      ['enable_untested_features', 'libvirt', 'BoolOpt', 'True', undefined],
      ['live_migration_bandwidth', 'libvirt', 'IntOpt', '0', undefined],
    ],
  );
  assert.deepEqual(
    facts?.options[1]?.defaultRange,
    { start: { line: 7, character: 52 }, end: { line: 7, character: 56 } },
    'the `True`',
  );
  assert.deepEqual(
    facts?.lists.map((l) => [l.name, l.groups, l.refusal]),
    [
      ['general', ['libvirt'], undefined],
      ['migration', ['libvirt'], undefined],
    ],
  );
});

test('group forms: positional, keyword string, .name, single register_opt, no group, list_opts pairs', () => {
  const head = 'from oslo_config import cfg\ngrp = cfg.OptGroup(name="libvirt")\n';
  assert.deepEqual(declared(`${head}a = [cfg.BoolOpt('x')]\nCONF.register_opts(a, 'libvirt')\n`), ['x@libvirt']);
  assert.deepEqual(declared(`${head}a = [cfg.BoolOpt('x')]\nCONF.register_opts(a, group=grp.name)\n`), ['x@libvirt']);
  assert.deepEqual(declared(`${head}CONF.register_opt(cfg.BoolOpt('x'), group=grp)\n`), ['x@libvirt']);
  assert.deepEqual(declared(`${head}a = [cfg.BoolOpt('x')]\nCONF.register_opts(a)\n`), ['x@DEFAULT']);
  assert.deepEqual(declared(`${head}a = [cfg.BoolOpt('x')]\nb = a + [cfg.IntOpt('y')]\nCONF.register_opts(b, 'g')\n`), [
    'x@g',
    'y@g',
  ]);
  assert.deepEqual(
    declared(`${head}a = [cfg.BoolOpt('x')]\ndef list_opts():\n    return [(None, a), ('libvirt', a)]\n`),
    ['x@DEFAULT', 'x@libvirt'],
  );
  // Registered elsewhere (or through a group this file cannot resolve): no group.
  assert.deepEqual(declared(`${head}a = [cfg.BoolOpt('x')]\nCONF.register_opts(a, group=other.GROUP)\n`), ['x@?']);
  assert.deepEqual(declared(`${head}a = [cfg.BoolOpt('x')]\n`), ['x@?']);
});

test('only oslo.config option classes count', () => {
  assert.equal(read('from mylib import cfg\na = [cfg.BoolOpt("x")]\n'), undefined);
  assert.equal(read('from oslo_config import cfg\nx = cfg.DeprecatedOpt("old")\n'), undefined);
  assert.deepEqual(declared('from oslo_config.cfg import BoolOpt as B\na = [B("x")]\n'), ['x@?']);
  assert.deepEqual(declared('import oslo_config.cfg as c\na = [c.BoolOpt("x")]\n'), ['x@?']);
  assert.deepEqual(declared('import oslo_config.cfg\na = [oslo_config.cfg.BoolOpt("x")]\n'), ['x@?']);
});

test('where a new option goes: after the last element, in the list style', () => {
  const text = [
    'from oslo_config import cfg',
    'opts = [',
    "    cfg.StrOpt('a',",
    "               default='x'),  # note",
    ']',
    "CONF.register_opts(opts, group='libvirt')",
    '',
  ].join('\n');
  const list = read(text)?.lists[0];
  assert.deepEqual(list?.insertion, {
    anchor: {
      range: { start: { line: 2, character: 4 }, end: { line: 4, character: 1 } },
      text: "cfg.StrOpt('a',\n               default='x'),  # note\n]",
    },
    at: { line: 3, character: 36 },
    lineBreak: true,
    indent: '    ',
    trailingComma: true,
    quote: "'",
    boolOpt: 'cfg.BoolOpt',
    eol: '\n',
  });
  const oneLine = read('from oslo_config import cfg\nopts = [cfg.StrOpt("a")]\nCONF.register_opts(opts, "g")\n');
  assert.deepEqual(oneLine?.lists[0]?.insertion?.at, { line: 1, character: 23 });
  assert.deepEqual(oneLine?.lists[0]?.insertion?.commaAt, { line: 1, character: 23 });
  assert.equal(oneLine?.lists[0]?.insertion?.lineBreak, false);
  assert.equal(oneLine?.lists[0]?.insertion?.quote, '"');
});

test('lists a new option cannot go into, and why', () => {
  const refusal = (list: string, imports = 'from oslo_config import cfg') =>
    read(`${imports}\nopts = ${list}\nCONF.register_opts(opts, group='g')\n`)?.lists[0]?.refusal;
  assert.equal(refusal("[cfg.StrOpt('a')  # c\n    ,\n]"), 'a comma stands apart from its last element');
  assert.equal(refusal("[cfg.StrOpt('a') \\\n]"), 'a line continuation follows its last element');
  assert.equal(refusal("[StrOpt('a')]", 'from oslo_config.cfg import StrOpt'), 'the file does not import BoolOpt');
  assert.equal(refusal("[cfg.StrOpt('a'),\n    def broken(:\n]"), 'the file has syntax errors');
  assert.equal(
    read(`from oslo_config import cfg\nopts = []\nx = cfg.BoolOpt('y')\nCONF.register_opts(opts, 'g')\n`)?.lists[0]
      ?.refusal,
    'the list is empty',
  );
});

test('CONF bindings: the import and the assignment, normalized; relative imports are not copied', () => {
  assert.deepEqual(readConfBinding('import nova.conf\n\nCONF = nova.conf.CONF\n'), {
    importLine: 'import nova.conf',
    assignment: 'CONF = nova.conf.CONF',
  });
  assert.deepEqual(readConfBinding('from oslo_config import cfg, types  # why\nCONF = cfg.CONF\n'), {
    importLine: 'from oslo_config import cfg',
    assignment: 'CONF = cfg.CONF',
  });
  assert.deepEqual(readConfBinding('import nova.conf as nconf\nCONF = nconf.CONF\n'), {
    importLine: 'import nova.conf as nconf',
    assignment: 'CONF = nconf.CONF',
  });
  assert.deepEqual(readConfBinding('from nova_like.conf import CONF\n'), {
    importLine: 'from nova_like.conf import CONF',
  });
  assert.equal(readConfBinding('from . import conf\nCONF = conf.CONF\n'), undefined);
  assert.equal(readConfBinding('from .conf import CONF\n'), undefined);
  assert.equal(readConfBinding('CONF = get_conf()\n'), undefined);
  assert.equal(readConfBinding('import os\n'), undefined);
});

test('the index answers the same whatever the order files come in, and from a snapshot', () => {
  const files: [string, string][] = [
    ['file:///ws/a.py', 'import nova.conf\nCONF = nova.conf.CONF\n'],
    ['file:///ws/b.py', 'from oslo_config import cfg\nCONF = cfg.CONF\n'],
    [
      'file:///ws/conf/libvirt.py',
      "from oslo_config import cfg\nopts = [cfg.BoolOpt('x', default=True)]\nCONF.register_opts(opts, group='libvirt')\n",
    ],
    ['file:///ws/c.py', 'import nova.conf\nCONF = nova.conf.CONF\n'],
    [
      'file:///ws/conf/compute.py',
      "from oslo_config import cfg\nopts = [cfg.BoolOpt('x')]\nCONF.register_opts(opts, group='libvirt')\n",
    ],
  ];
  const answers = (order: [string, string][]) => {
    const index = new WorkspaceIndex();
    for (const [uri, text] of order) index.setFile(uri, text);
    const snapshot = new SnapshotFacts(index.snapshot());
    const ask = (facts: WorkspaceIndex | SnapshotFacts) =>
      JSON.stringify([
        facts.configOptions('libvirt', 'x', 'file:///ws/driver.py'),
        facts.confBinding('file:///ws/driver.py'),
        facts.confBinding('file:///ws/a.py'),
      ]);
    assert.equal(ask(snapshot), ask(index));
    return ask(index);
  };
  const forward = answers(files);
  assert.equal(answers([...files].reverse()), forward);
  const [facts, binding, bindingForA] = JSON.parse(forward) as [
    { declaresOptions: boolean; options: { uri: string }[]; lists: { uri: string }[] },
    unknown,
    unknown,
  ];
  assert.equal(facts.declaresOptions, true);
  assert.deepEqual(
    facts.options.map((o) => o.uri),
    ['file:///ws/conf/compute.py', 'file:///ws/conf/libvirt.py'],
  );
  assert.equal(facts.lists.length, 2);
  // Two files bind CONF through nova.conf, one through cfg; asked by a.py, one each: the first in text order.
  assert.deepEqual(binding, { importLine: 'import nova.conf', assignment: 'CONF = nova.conf.CONF' });
  assert.deepEqual(bindingForA, { importLine: 'from oslo_config import cfg', assignment: 'CONF = cfg.CONF' });
});

test('the index forgets a file: its options and binding go', () => {
  const index = new WorkspaceIndex();
  index.setFile('file:///ws/conf.py', "from oslo_config import cfg\nCONF = cfg.CONF\nopts = [cfg.BoolOpt('x')]\n");
  assert.equal(index.configOptions('g', 'x', 'file:///ws/d.py').options.length, 1);
  index.setFile('file:///ws/conf.py', 'import os\n');
  assert.deepEqual(index.configOptions('g', 'x', 'file:///ws/d.py'), {
    declaresOptions: false,
    options: [],
    lists: [],
  });
  assert.equal(index.confBinding('file:///ws/d.py'), undefined);
});
