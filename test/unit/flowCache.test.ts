// The language server's flow cache (engine/flow/flowCache.ts): after an edit inside one
// function, the other functions' walks come from the last analysis, moved past the edit.
// Whatever the edits, the analysis with the cache must equal a cold analysis of the same text:
// findings (with their fixes), every hover and every version path. Random edit sequences land
// mostly inside function bodies (comments, calls, guards, returns, attribute bindings, imports,
// names of other functions), over the fixtures and examples and the benchmark's generated drivers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeDocument, FlowCache, parsePython, type AnalysisResult } from '../../server/src/engine/api';
import { deepEqual } from '../../server/src/engine/flow/flowCache';
import { Field, NodeKind, type SyntaxTree } from '../../server/src/engine/syntax/index';
import { examplePolicy } from '../support/examplePolicy';
import { prng } from '../support/generatedDrivers';
import { fixtureAndExampleFiles } from '../support/pythonFiles';
// @ts-expect-error plain JavaScript module without types
import { generateTree } from '../../scripts/bench/generate.mjs';

const uri = 'file:///w/nova/virt/libvirt/driver.py';

/** Everything an analysis shows, as plain data. */
function shown(r: AnalysisResult): unknown {
  return {
    findings: r.findings.map((f) => ({ ...f, fixes: f.fixes })),
    hovers: r.hovers,
    paths: r.paths,
    notes: r.notes,
  };
}

/** Each finding as `code:line`. */
const findingLines = (r: AnalysisResult): string[] => r.findings.map((f) => `${f.code}:${f.range.start.line}`);

function analyze(text: string, cache?: FlowCache): AnalysisResult {
  return analyzeDocument({ uri, text, tree: parsePython(text) }, undefined, examplePolicy, {
    paths: 'lazy',
    fixes: 'lazy',
    ...(cache ? { flowCache: cache } : {}),
  });
}

const snippets = [
  'x',
  ' ',
  '# note',
  '\n',
  'dom.blockCopy(disk, xml, params, 0)',
  'libvirt.VIR_DOMAIN_BLOCK_COPY_SHALLOW',
  'self._conn = libvirt.open()',
  'self._host.has_min_version((1, 2, 9))',
  'if self._host.has_min_version(MIN_LIBVIRT_X):\n',
  'return True',
  'return dom',
  'import os',
  'global G',
  'yield 1',
  'lambda: 0',
  'raise',
  'pass',
  'del x',
  '(',
  ')',
  ':',
  "'",
  'CONF.libvirt.enable_untested_features',
  'getLibVersion()',
  '_helper',
  // Indentation that moves the statements after it to another block (a `def` out of its class).
  '\n def helper(self):',
  '\n  ',
];

/** Bodies of the functions of a tree: [from, to] offsets inside them. */
function bodies(t: SyntaxTree): [number, number][] {
  const out: [number, number][] = [];
  for (const fn of t.descendantsOfKind(t.root, NodeKind.FunctionDefinition)) {
    const body = t.field(fn, Field.Body);
    if (body !== undefined) out.push([t.start(body), t.end(body)]);
  }
  return out;
}

/** A random edit: mostly inside a function body, sometimes anywhere; an insertion, deletion or replacement. */
function edit(text: string, r: ReturnType<typeof prng>, words: readonly string[]): string {
  const spans = bodies(parsePython(text));
  const span = spans.length && r.int(5) > 0 ? r.pick(spans) : ([0, text.length] as [number, number]);
  const start = span[0] + r.int(span[1] - span[0] + 1);
  const kind = r.int(3);
  const end = kind === 0 ? start : Math.min(text.length, start + r.int(kind === 1 ? 30 : 6));
  const insert = kind === 1 ? '' : r.int(4) === 0 && words.length ? r.pick(words) : r.pick(snippets);
  return text.slice(0, start) + insert + text.slice(end);
}

/** Names of a text's functions (typing one elsewhere changes which functions have known callers). */
function functionNames(text: string): string[] {
  return [...text.matchAll(/def (\w+)/g)].map((m) => m[1] ?? '').slice(0, 30);
}

function sources(): string[] {
  const out = fixtureAndExampleFiles()
    .map((f) => fs.readFileSync(f, 'utf8'))
    .filter((t) => t.includes('def '));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-flowcache-'));
  try {
    const generated = generateTree(root, { files: 6, bigFiles: 1, bigLines: 1500, targetBytes: 150_000, xml: true });
    out.push(...(generated.files as string[]).map((f) => fs.readFileSync(f, 'utf8')));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  return out;
}

test('random edits: the analysis with the flow cache equals a cold analysis, and the cache is used', () => {
  const r = prng(20261203);
  let reused = 0;
  let walked = 0;
  let compared = 0;
  let withReaders = 0;
  const misses = new Map<string, number>();
  for (const [i, source] of sources().entries()) {
    const words = functionNames(source);
    const cache = new FlowCache();
    let text = source;
    analyze(text, cache);
    const steps = source.length > 20_000 ? 12 : 4;
    for (let step = 0; step < steps; step++) {
      text = edit(text, r, words);
      const warm = analyze(text, cache);
      const cold = analyze(text);
      reused += cache.reused;
      walked += cache.walked;
      misses.set(cache.lastMiss ?? 'reused', (misses.get(cache.lastMiss ?? 'reused') ?? 0) + 1);
      if (cache.lastReaders.length) withReaders++;
      assert.deepEqual(shown(warm), shown(cold), `source ${i}, edit ${step}: ${JSON.stringify(text.slice(0, 80))}`);
      compared++;
    }
  }
  // The test must exercise the cache: walks reused, and several reasons not to reuse.
  assert.ok(compared > 100, `${compared} edits compared`);
  assert.ok(reused > 1000, `${reused} walks reused, ${walked} walked`);
  assert.ok((misses.get('reused') ?? 0) > compared / 4, JSON.stringify([...misses]));
  assert.ok(misses.size >= 5, JSON.stringify([...misses]));
  // Some reuse walked the readers of the edited function again (see readers.ts).
  assert.ok(withReaders >= 15, `${withReaders} edits walked readers again`);
});

/** A small driver: a public method, a private helper called by name, a version-check helper, a later class. */
const driver = [
  'import libvirt',
  '',
  'MIN_LIBVIRT_BLOCKCOPY = (1, 2, 8)',
  '',
  '',
  'class Driver(object):',
  '    def __init__(self, host):',
  '        self._host = host',
  '',
  '    def _has_blockcopy(self):',
  '        return self._host.has_min_version(MIN_LIBVIRT_BLOCKCOPY)',
  '',
  '    def copy(self, dom, disk, xml, params):',
  '        # the comment typed into',
  '        if self._has_blockcopy():',
  '            dom.blockCopy(disk, xml, params, 0)',
  '',
  '    def untested(self, dom):',
  '        dom.blockCopy("vda", "<disk/>", {}, 0)',
  '',
  '',
  'class Later(object):',
  '    def snapshot(self, dom):',
  '        return dom.fsFreeze()',
  '',
].join('\n');

test('an edit in a comment inside a method walks that method only, and moves the rest', () => {
  const cache = new FlowCache();
  const first = analyze(driver, cache);
  assert.equal(cache.walked, 5);
  assert.equal(cache.reused, 0);
  assert.equal(cache.lastMiss, 'no earlier analysis');
  // Two lines typed into the comment: the later functions' findings move down two lines.
  const edited = driver.replace('# the comment typed into', '# the comment typed into\n        #\n        #');
  const second = analyze(edited, cache);
  assert.equal(cache.lastMiss, undefined);
  assert.equal(cache.walked, 1);
  assert.equal(cache.reused, 4);
  assert.deepEqual(shown(second), shown(analyze(edited)));
  assert.deepEqual(findingLines(first), ['LVG002:18', 'LVG002:23']);
  assert.deepEqual(findingLines(second), ['LVG002:20', 'LVG002:25']);
  // A new last line of a method, binding an attribute named nowhere else: the same.
  const added = edited.replace('        self._host = host\n', '        self._host = host\n        self._n0 = 0\n');
  const third = analyze(added, cache);
  assert.deepEqual([cache.walked, cache.reused, cache.lastMiss], [1, 4, undefined]);
  assert.deepEqual(findingLines(third), ['LVG002:21', 'LVG002:26']);
  assert.deepEqual(shown(third), shown(analyze(added)));
  // The same text again (a save): every walk reused as it is.
  analyze(added, cache);
  assert.deepEqual([cache.walked, cache.reused, cache.lastMiss], [0, 5, undefined]);
});

test('edits that may change what other walks read are walked in full, and say why', () => {
  const cases: [string, string, string][] = [
    ['an attribute binding', '        # the comment typed into', '        self._host = libvirt.open()'],
    ['an import', '        # the comment typed into', '        import os'],
    ['a nested definition', '        # the comment typed into', '        def inner():\n            pass'],
    ['a global', '        # the comment typed into', '        global G'],
    ["a function's name", '        # the comment typed into', '        f = self.untested'],
    ['a private function named again', '        # the comment typed into', '        f = self._has_blockcopy'],
    ['outside any function', 'MIN_LIBVIRT_BLOCKCOPY = (1, 2, 8)', 'MIN_LIBVIRT_BLOCKCOPY = (1, 2, 9)'],
  ];
  const expected = [
    'the edit changes a binding of an attribute or item used elsewhere',
    'the edit changes a statement with ImportStatement',
    'the edit changes a statement with FunctionDefinition',
    'the edit changes a statement with GlobalStatement',
    "the count of 'untested' changed",
    'the options, runtime version reads or functions with known callers changed',
    'the edit is not inside a function body',
  ];
  for (const [i, [what, from, to]] of cases.entries()) {
    const cache = new FlowCache();
    analyze(driver, cache);
    assert.ok(driver.includes(from), what);
    const edited = driver.replace(from, to);
    const warm = analyze(edited, cache);
    assert.equal(cache.lastMiss, expected[i], what);
    assert.equal(cache.reused, 0, what);
    assert.deepEqual(shown(warm), shown(analyze(edited)), what);
  }
  // A comment typed into that helper changes no statement: the other walks stand.
  {
    const cache = new FlowCache();
    analyze(driver, cache);
    const commented = driver.replace(
      '    def _has_blockcopy(self):\n',
      '    def _has_blockcopy(self):\n        # checked once per call\n\n',
    );
    const warm = analyze(commented, cache);
    assert.deepEqual([cache.walked, cache.reused, cache.lastMiss], [1, 4, undefined]);
    assert.deepEqual(shown(warm), shown(analyze(commented)));
  }
  // A helper called by name, edited: its caller (which may read its body) is walked again,
  // the other walks stand.
  {
    const cache = new FlowCache();
    analyze(driver, cache);
    const edited = driver.replace('return self._host.has_min_version(MIN_LIBVIRT_BLOCKCOPY)', 'return True');
    const warm = analyze(edited, cache);
    assert.deepEqual([cache.walked, cache.reused, cache.lastMiss, cache.lastReaders], [2, 3, undefined, ['copy']]);
    assert.deepEqual(shown(warm), shown(analyze(edited)));
  }
  // The helper's check made obsolete is seen by its caller: the use it guarded is unguarded now.
  const cache = new FlowCache();
  analyze(driver, cache);
  const weaker = driver.replace('MIN_LIBVIRT_BLOCKCOPY)', '(1, 0, 0))');
  const warm = analyze(weaker, cache);
  assert.deepEqual([cache.walked, cache.reused, cache.lastMiss, cache.lastReaders], [2, 3, undefined, ['copy']]);
  assert.deepEqual(findingLines(warm), ['LVG004:10', 'LVG002:15', 'LVG002:18', 'LVG002:23']);
  assert.deepEqual(shown(warm), shown(analyze(weaker)));
});

test('the functions that name an edited function are walked again, and those that name them, not all', () => {
  // b names a, c names b (a check helper's check reaches c through b), d names none of them.
  const source = [
    'import libvirt',
    '',
    '',
    'class Driver(object):',
    '    def _a(self):',
    '        return self._host.has_min_version((1, 2, 5))',
    '',
    '    def _b(self):',
    '        return self._a()',
    '',
    '    def c(self, dom):',
    '        if self._b():',
    '            dom.fsFreeze()',
    '',
    '    def d(self, dom):',
    '        return dom.fsThaw()',
    '',
    '    def e(self):',
    '        return 0',
    '',
    '    def f(self):',
    '        return 1',
    '',
    '    def g(self):',
    '        return 2',
    '',
  ].join('\n');
  const { cache, before, warm } = editedWithCache(source, '(1, 2, 5)', '(1, 2, 0)');
  assert.deepEqual(findingLines(before), ['LVG002:15']);
  assert.deepEqual([cache.walked, cache.reused, cache.lastMiss], [3, 4, undefined]);
  assert.deepEqual([...cache.lastReaders].sort(), ['_b', 'c']);
  assert.deepEqual(findingLines(warm), ['LVG003:12', 'LVG002:15']);
  // Named by more than half of the functions: all walked again, and said so.
  const few = source.slice(0, source.indexOf('    def d(self'));
  const small = new FlowCache();
  analyze(few, small);
  analyze(few.replace('(1, 2, 5)', '(1, 2, 0)'), small);
  assert.equal(
    small.lastMiss,
    'the edited function, or what it binds, is named by most functions (their walks may read it)',
  );
  assert.equal(small.reused, 0);
});

test('an edit of a function other code names is seen by that code (a re-raising helper stops re-raising)', () => {
  const source = [
    'def freeze(dom):',
    '    try:',
    '        dom.fsFreeze()',
    '    except Exception:',
    '        _reraise()',
    '',
    '',
    'def _reraise():',
    '    raise',
    '',
  ].join('\n');
  const cache = new FlowCache();
  const before = analyze(source, cache);
  assert.deepEqual(findingLines(before), ['LVG002:2']);
  const edited = source.replace('    raise\n', '    pass\n');
  const after = analyze(edited, cache);
  assert.deepEqual([cache.walked, cache.reused, cache.lastMiss, cache.lastReaders], [2, 0, undefined, ['freeze']]);
  assert.deepEqual(after.findings, []);
  assert.deepEqual(shown(after), shown(analyze(edited)));
});

test('an edit that changes how the next statement parses is judged on that statement too', () => {
  // An unclosed bracket swallows the next line, an attribute binding another method reads.
  const source = fs.readFileSync(path.join(__dirname, '../fixtures/rules/LVG001/check-in-init.py'), 'utf8');
  const cache = new FlowCache();
  const before = analyze(source, cache);
  assert.deepEqual(findingLines(before), ['LVG001:11']);
  const edited = source.replace('        self._host = host\n        ', '        self._host = ho(     ');
  const after = analyze(edited, cache);
  assert.equal(cache.lastMiss, 'the edit changes a binding of an attribute or item used elsewhere');
  assert.deepEqual(shown(after), shown(analyze(edited)));
});

test('an edit that moves a later method out of its class is seen (same order of nodes, another parent)', () => {
  // Fuzz seed 2772: text typed at the end of a method's body unindents the next `def` to
  // column 1; the nodes after come in the same order with the same starts, but that method
  // is no longer the class's, and its walk (which binds `self` to the class) differs.
  const source = fs.readFileSync(path.join(__dirname, '../fixtures/rules/LVG002/inferred-probes.py'), 'utf8');
  const cache = new FlowCache();
  analyze(source, cache);
  const edited = source.replace(
    '            dom.rename(name)\n\n    def returns_value(self):',
    '            dom.rename(name)if self._host.has_min_version((1, 2, 9)):\n def returns_value(self):',
  );
  assert.notEqual(edited, source);
  const after = analyze(edited, cache);
  assert.equal(cache.lastMiss, 'trees differ');
  assert.deepEqual(shown(after), shown(analyze(edited)));
});

/**
 * `lines` analyzed with a cache has no finding; its check (1, 2, 5) weakened to (1, 2, 0), the
 * analysis with the cache walks all (`miss` says why) or, given a list, walks again the
 * functions it names (those that name the edited one), finds `finding`, and equals a cold one.
 */
function weakeningIsSeen(
  lines: readonly string[],
  miss: string | readonly string[],
  finding: string,
  edit: readonly [string, string] = ['(1, 2, 5)', '(1, 2, 0)'],
): void {
  const source = lines.join('\n');
  const cache = new FlowCache();
  assert.deepEqual(findingLines(analyze(source, cache)), []);
  assert.ok(source.includes(edit[0]));
  const weaker = source.replace(edit[0], edit[1]);
  const warm = analyze(weaker, cache);
  if (typeof miss === 'string') assert.equal(cache.lastMiss, miss);
  else assert.deepEqual([cache.lastMiss, cache.lastReaders], [undefined, miss]);
  assert.deepEqual(findingLines(warm), [finding]);
  assert.deepEqual(shown(warm), shown(analyze(weaker)));
}

/** A driver whose init_host (`initHost`, its body) sets `self._can_freeze`, which freeze reads; `more` methods after. */
function canFreezeDriver(initHost: readonly string[], more: readonly string[] = []): string[] {
  return [
    'import libvirt',
    '',
    '',
    'class Driver(object):',
    '    def __init__(self, host):',
    '        self._host = host',
    '        self._can_freeze = False',
    '',
    '    def init_host(self):',
    ...initHost,
    '',
    '    def freeze(self, dom):',
    '        if self._can_freeze:',
    '            dom.fsFreeze()',
    '',
    ...more,
  ];
}

test("an edit of the check around a flag's assignment in one method is seen where another method reads the flag", () => {
  // `self._can_freeze = True` under a check in init_host: freeze reads that check (fileSemantics
  // heldFrom). Weakening it changes a statement that binds an attribute named elsewhere.
  const source = canFreezeDriver([
    '        if self._host.has_min_version((1, 2, 5)):',
    '            self._can_freeze = True',
  ]);
  weakeningIsSeen(source, 'the edit changes a binding of an attribute or item used elsewhere', 'LVG003:14');
});

test('an edit of the check in a helper that raises unless it holds is seen where the helper is called', () => {
  const source = [
    'import libvirt',
    '',
    '',
    'class Driver(object):',
    '    def _check_freeze_support(self):',
    '        if not self._host.has_min_version((1, 2, 5)):',
    '            raise NotImplementedError()',
    '',
    '    def freeze(self, dom):',
    '        self._check_freeze_support()',
    '        dom.fsFreeze()',
    '',
  ];
  weakeningIsSeen(source, ['freeze'], 'LVG003:10');
});

test('an edit of a helper whose check takes its version parameter is seen where the helper is called', () => {
  // The call reads the helper's check with its own argument; the edit makes the helper check
  // a fixed, weaker version instead.
  const source = [
    'import libvirt',
    '',
    '',
    'class Driver(object):',
    '    def _require(self, version):',
    '        if not self._host.has_min_version(version):',
    '            raise NotImplementedError()',
    '',
    '    def freeze(self, dom):',
    '        self._require((1, 2, 5))',
    '        dom.fsFreeze()',
    '',
  ];
  weakeningIsSeen(source, ['freeze'], 'LVG003:10', ['has_min_version(version)', 'has_min_version((1, 2, 0))']);
});

test('deepEqual: plain data, maps and arrays by value; different shapes differ', () => {
  assert.ok(
    deepEqual(
      { a: [1, { b: new Map([['k', { c: Infinity }]]) }] },
      { a: [1, { b: new Map([['k', { c: Infinity }]]) }] },
    ),
  );
  assert.ok(!deepEqual({ a: 1 }, { a: 1, b: undefined }));
  assert.ok(!deepEqual([1, 2], [1, 2, 3]));
  assert.ok(!deepEqual(new Map([['k', 1]]), new Map([['k', 2]])));
  assert.ok(!deepEqual({ a: [1] }, { a: { 0: 1 } }));
  assert.ok(!deepEqual(null, {}));
});

test('an edit inside a branch, or inside the arguments of a call of a function others call, reuses the other walks', () => {
  const text = [
    'import libvirt',
    '',
    'MIN_X = (1, 2, 8)',
    '',
    '',
    'class Driver(object):',
    '    def __init__(self, host):',
    '        self._host = host',
    '',
    '    def configure(self, conf, hpet):',
    '        if hpet:',
    "            conf.name = 'hpet'",
    "            label = 'on'",
    '        else:',
    "            LOG.warning('HPET is off')",
    '        return conf',
    '',
    '    def use(self, dom, conf):',
    '        conf = self.configure(conf, True)',
    '        if self._host.has_min_version(MIN_X):',
    "            dom.blockCopy('vda', '', {}, 0)",
    '        dom.fsFreeze()',
    '        LOG.info(conf.name)',
    '',
  ].join('\n');
  // The last of each: why all were walked, or which functions were walked again with the
  // edited one (those that name it), or undefined: the edited one alone.
  const cases: [string, string, string, string | readonly string[] | undefined][] = [
    // Typed into the message: the branch's statement is a call, and only its string changed.
    ['a log message', "'HPET is off'", "'HPET is turned off'", undefined],
    // An argument typed into a call: the statement calls the same callees.
    ['an argument of a call', "'HPET is off')", "'HPET is off', hpet)", undefined],
    ['a call in an argument', "'HPET is off')", "'HPET is off', str(hpet))", ['use']],
    // A binding in the other branch is not part of the edit.
    [
      'a call added to a branch',
      "LOG.warning('HPET is off')",
      "LOG.info('x')\n            LOG.warning('HPET is off')",
      ['use'],
    ],
    [
      'an attribute bound in a branch',
      "            LOG.warning('HPET is off')",
      '            conf.name = None',
      'the edit changes a binding of an attribute or item used elsewhere',
    ],
    [
      'the condition of the if',
      '        if hpet:',
      '        if hpet or conf:',
      'the edit changes a binding of an attribute or item used elsewhere',
    ],
    ['a string in a statement that does not only log', "label = 'on'", "label = 'off'", ['use']],
  ];
  for (const [what, from, to, miss] of cases) {
    const cache = new FlowCache();
    analyze(text, cache);
    const total = cache.walked;
    assert.ok(text.includes(from), what);
    const edited = text.replace(from, to);
    const warm = analyze(edited, cache);
    if (typeof miss === 'object') {
      assert.deepEqual([cache.lastMiss, cache.lastReaders], [undefined, miss], what);
      assert.deepEqual([cache.walked, cache.reused], [1 + miss.length, total - 1 - miss.length], what);
    } else {
      assert.equal(cache.lastMiss, miss, what);
      assert.deepEqual([cache.walked, cache.reused], miss === undefined ? [1, total - 1] : [total, 0], what);
    }
    assert.deepEqual(shown(warm), shown(analyze(edited)), what);
  }
});

/**
 * `source` analyzed with a new flow cache, then with `from` replaced by `to` analyzed with it:
 * the cache, the first analysis and the second; the second must equal a cold analysis.
 */
function editedWithCache(source: string, from: string, to: string) {
  const cache = new FlowCache();
  const before = analyze(source, cache);
  const edited = source.replace(from, to);
  assert.notEqual(edited, source);
  const warm = analyze(edited, cache);
  assert.deepEqual(shown(warm), shown(analyze(edited)));
  return { cache, before, warm };
}

/** Methods that name nothing of the others: they keep the readers of an edit under half of the functions. */
const bystanders = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => [`    def bystander_${i}(self):`, `        return ${i}`, '']).flat();

test('an edit of a probe is seen where an attribute bound from it is read (fuzz seed 5123)', () => {
  // _probe_backup is named by __init__ only, in the statement that binds can_backup; backup
  // reads can_backup: both are walked again, the bystanders are not.
  const source = [
    'import libvirt',
    '',
    '',
    'class Host(object):',
    '    def __init__(self, dom):',
    '        self._dom = dom',
    '        self.can_backup = self._probe_backup()',
    '',
    '    def _probe_backup(self):',
    '        try:',
    '            self._dom.backupGetXMLDesc()',
    '        except AttributeError:',
    '            return False',
    '        return True',
    '',
    '    def backup(self, dom):',
    '        if self.can_backup:',
    '            dom.backupGetXMLDesc()',
    '',
    ...bystanders(4),
  ].join('\n');
  const { cache, before, warm } = editedWithCache(
    source,
    '        except AttributeError:\n            return False',
    '        except AttributeError:\n            pass',
  );
  assert.deepEqual([cache.walked, cache.reused, cache.lastMiss], [3, 4, undefined]);
  assert.deepEqual([...cache.lastReaders].sort(), ['__init__', 'backup']);
  assert.notDeepEqual(findingLines(warm), findingLines(before));
});

test('an edit of a check an attribute is bound after (an early return) is seen where the attribute is read', () => {
  const source = canFreezeDriver(
    ['        if not self._host.has_min_version((1, 2, 5)):', '            return', '        self._can_freeze = True'],
    bystanders(4),
  ).join('\n');
  const { cache } = editedWithCache(source, '(1, 2, 5)', '(1, 2, 0)');
  assert.equal(cache.lastMiss, undefined);
  assert.deepEqual([...cache.lastReaders].sort(), ['__init__', 'freeze']);
});

test('a function that names an edited one only in a string or a comment is not walked again', () => {
  const source = [
    'import libvirt',
    '',
    '',
    'class Driver(object):',
    '    def _has_freeze(self):',
    '        return self._host.has_min_version((1, 2, 5))',
    '',
    '    def freeze(self, dom):',
    '        if self._has_freeze():',
    '            dom.fsFreeze()',
    '',
    '    def describe(self):',
    '        # like _has_freeze, but says so',
    "        return '_has_freeze'",
    '',
    ...bystanders(4),
  ].join('\n');
  const { cache } = editedWithCache(source, '(1, 2, 5)', '(1, 2, 0)');
  assert.deepEqual([cache.walked, cache.lastMiss, cache.lastReaders], [2, undefined, ['freeze']]);
});

test("another class's method of the same name is no reader of the edited one: its def names itself", () => {
  // Each class has its own configure; an edit of one (a local bound) walks that one alone.
  const source = [
    'import libvirt',
    '',
    '',
    ...[0, 1, 2].flatMap((i) => [
      `class Driver${i}(object):`,
      '    def configure(self, dom):',
      '        flags = 0',
      '        return dom.fsFreeze(flags)',
      '',
      '',
    ]),
  ].join('\n');
  const { cache } = editedWithCache(source, '        flags = 0\n', '        flags = 1\n');
  assert.deepEqual([cache.walked, cache.reused, cache.lastMiss, cache.lastReaders], [1, 2, undefined, []]);
});

test('a walk that read XML left pending stands only while that XML is the same (the parent element changed elsewhere)', () => {
  const source = [
    'from lxml import etree',
    '',
    '',
    'def host_devices():',
    "    dev = etree.Element('driver')",
    '    add_iothreads(dev)',
    '',
    '',
    'def add_iothreads(parent):',
    "    etree.SubElement(parent, 'iothreads')",
    '',
  ].join('\n');
  const cache = new FlowCache();
  // disk/driver/iothreads: libvirt 10.0.0, above the minimum 1.0.0.
  assert.deepEqual(findingLines(analyze(source, cache)), ['LVG001:9', 'LVG010:9']);
  // Under memoryBacking the element is none of the table's: the same bound, another XML.
  const edited = source.replace("Element('driver')", "Element('memoryBacking')");
  const after = analyze(edited, cache);
  assert.deepEqual(findingLines(after), []);
  assert.deepEqual([cache.walked, cache.reused], [2, 0]);
  assert.deepEqual(shown(after), shown(analyze(edited)));
});
