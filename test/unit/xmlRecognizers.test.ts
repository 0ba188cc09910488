// The XML recognizers below the rules: the tolerant tokenizer over Python literals, and the
// placement of element chains in the table (anchoring, the document type, predicates, the
// oldest of several paths).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadXmlFeatureDb } from '../../server/src/data/loadXmlFeatureDb';
import { tokenizeXml, type LiteralPart } from '../../server/src/engine/semantic/xml/xmlTokenizer';
import { resolveXml, xpathOf, type XmlStep } from '../../server/src/engine/semantic/xml/xmlPaths';
import { stringValue } from '../../server/src/engine/semantic/xml/literals';
import { declaredXPath } from '../../server/src/engine/semantic/xml/configClasses';
import { initParser, parsePython } from '../../server/src/engine/api';
import { Field, NodeKind } from '../../server/src/engine/syntax/index';

before(() => initParser());

/** Tokens as `name@offset(parent) attr=value@offset ...`, offsets into the source. */
function tokens(parts: readonly LiteralPart[]): string[] {
  return tokenizeXml(parts).map(
    (t) =>
      `${t.name ?? '?'}@${t.start}(${t.parent})${t.attributes.map((a) => ` ${a.name}=${a.value ?? '?'}@${a.start}`).join('')}`,
  );
}

const one = (text: string, start = 0): LiteralPart[] => [{ text, start }];

test('start tags, attributes and nesting, with source offsets', () => {
  assert.deepEqual(tokens(one(`'<disk type="file"><driver discard='unmap'/><source/></disk>'`)), [
    'disk@2(-1) type=file@7',
    'driver@20(0) discard=unmap@27',
    'source@45(0)',
  ]);
  // Offsets are the file's: the literal starts at 100.
  assert.deepEqual(tokens(one(`"<page size='2'/>"`, 100)), ['page@102(-1) size=2@107']);
});

test('placeholders: values unknown, placeholder names unknown, their children unplaced', () => {
  assert.deepEqual(tokens(one(`'<page size="%s" unit="{0}" nodeset=%(n)s/>'`)), [
    'page@2(-1) size=?@7 unit=?@17 nodeset=?@28',
  ]);
  assert.deepEqual(tokens(one(`f'<{tag} a="1"><driver/></{tag}><locked/>'`)), [
    '?@3(-1) a=1@9',
    'driver@16(0)',
    'locked@33(-1)',
  ]);
});

test('escapes, triple quotes, raw and byte prefixes, concatenated parts', () => {
  assert.deepEqual(tokens(one(`"<driver name=\\"qemu\\"/>"`)), ['driver@2(-1) name=qemu@9']);
  assert.deepEqual(tokens(one(`b"""<a>\n  <b x='1'/>\n</a>"""`)), ['a@5(-1)', 'b@11(0) x=1@13']);
  assert.deepEqual(tokens(one(`r'<a b="\\d"/>'`)), ['a@3(-1) b=\\d@5']);
  assert.deepEqual(
    tokens([
      { text: `'<memoryBacking>'`, start: 0 },
      { text: `'<locked/>'`, start: 20 },
      { text: `'</memoryBacking>'`, start: 32 },
    ]),
    ['memoryBacking@2(-1)', 'locked@22(0)'],
  );
});

test('comments, declarations, CDATA, closing tags and text that only looks like XML', () => {
  assert.deepEqual(tokens(one(`'<?xml version="1.0"?><!-- <x/> --><a><![CDATA[<y/>]]></a><b/>'`)), [
    'a@36(-1)',
    'b@59(-1)',
  ]);
  assert.deepEqual(tokens(one(`'a<b+c and x < 3 and y<=z'`)), []);
  assert.deepEqual(tokens(one(`'no markup'`)), []);
  // An unclosed child does not capture what follows its parent's end.
  assert.deepEqual(tokens(one(`'<a><b></a><c/>'`)), ['a@2(-1)', 'b@5(0)', 'c@12(-1)']);
  // An unterminated tag at the end of a part.
  assert.deepEqual(tokens(one(`'<disk type="file"'`)), ['disk@2(-1) type=file@7']);
});

const step = (name: string, attrs: Record<string, string> = {}): XmlStep => ({
  name,
  attrs: Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, { k: 'literal', value: v }])),
});

test('a chain from the root is anchored; a fragment is placed by the paths that end with it', () => {
  const db = loadXmlFeatureDb();
  const anchored = resolveXml(db, [step('domain'), step('memoryBacking'), step('hugepages'), step('page')]);
  assert.equal(anchored && xpathOf(anchored.feature), 'domain/memoryBacking/hugepages/page');
  assert.equal(anchored?.otherPaths, 0);
  const fragment = resolveXml(db, [step('hugepages'), step('page')], 'size');
  assert.equal(fragment && xpathOf(fragment.feature), 'domain/memoryBacking/hugepages/page/@size');
  // A root the table has, with a child it does not have there: nothing.
  assert.equal(resolveXml(db, [step('domain'), step('page')]), undefined);
  assert.equal(resolveXml(db, [step('html'), step('video')]), undefined);
});

test('several paths: the oldest counts, and the others are counted', () => {
  const db = loadXmlFeatureDb();
  // <driver queues=...> alone: a disk's, an interface's (1.0.6), ...
  const queues = resolveXml(db, [step('driver')], 'queues');
  const all = db.pathsEndingIn('driver').flatMap((p) => db.rows(p, 'queues').filter((r) => !r.predicates.length));
  assert.equal(queues?.feature.since, Math.min(...all.map((r) => r.since)));
  assert.equal(queues?.otherPaths, all.length - 1);
});

test('values: the newer of the attribute and the value; predicates from the chain', () => {
  const db = loadXmlFeatureDb();
  const vhost = resolveXml(db, [step('interface')], 'type', 'vhostuser');
  assert.equal(vhost && xpathOf(vhost.feature), "domain/devices/interface/@type='vhostuser'");
  assert.equal(vhost?.feature.since, 1_002_007);
  const bridge = resolveXml(db, [step('interface')], 'type', 'bridge');
  assert.equal(bridge && xpathOf(bridge.feature), 'domain/devices/interface/@type');
  const mq = resolveXml(db, [step('interface', { type: 'vhostuser' }), step('driver')], 'queues');
  assert.equal(mq && xpathOf(mq.feature), "domain/devices/interface[@type='vhostuser']/driver/@queues");
  assert.equal(mq?.feature.since, 1_002_017);
  const plain = resolveXml(db, [step('interface', { type: 'bridge' }), step('driver')], 'queues');
  assert.equal(plain?.feature.since, 1_000_006);
  // The predicate's element is not in view: the plain row.
  assert.equal(
    resolveXml(db, [step('devices'), step('interface'), step('driver')], 'queues')?.feature.since,
    1_000_006,
  );
});

test('resolutions are remembered by what they depend on: names, attribute, value and the attributes predicates read', () => {
  const db = loadXmlFeatureDb();
  const queues = (type: string | undefined, extra: Record<string, string> = {}) =>
    resolveXml(db, [step('interface', { ...(type ? { type } : {}), ...extra }), step('driver')], 'queues')?.feature
      .since;
  // Alternating, so that a remembered answer for one predicate value would show up for the other.
  assert.deepEqual(
    [queues('vhostuser'), queues('bridge'), queues('vhostuser'), queues(undefined), queues('vhostuser')],
    [1_002_017, 1_000_006, 1_002_017, 1_000_006, 1_002_017],
  );
  // An attribute no predicate reads does not split them: still the same rows.
  assert.equal(queues('vhostuser', { name: 'x' }), 1_002_017);
  assert.equal(queues('bridge', { name: 'x' }), 1_000_006);
  // The same row object comes back: nothing is copied per question.
  const a = resolveXml(db, [step('memoryBacking'), step('hugepages'), step('page')], 'size');
  const b = resolveXml(db, [step('memoryBacking'), step('hugepages'), step('page')], 'size');
  assert.ok(a && b && a.feature === b.feature);
  assert.equal(resolveXml(db, [step('memoryBacking'), step('hugepages'), step('page')], 'nosuchattribute'), undefined);
});

test('string values: prefixes, quotes, escapes; f-strings and unclosed literals have none', () => {
  const value = (src: string): string | undefined => {
    const tree = parsePython(`x = ${src}\n`);
    const assign = tree.descendantsOfKind(tree.root, NodeKind.Assignment)[0];
    const right = assign === undefined ? undefined : tree.field(assign, Field.Right);
    return right === undefined ? undefined : stringValue(tree, right);
  };
  assert.equal(value(`'unmap'`), 'unmap');
  assert.equal(value(`"disk"`), 'disk');
  assert.equal(value(`u'a\\'b'`), "a'b");
  assert.equal(value(`r'a\\nb'`), 'a\\nb');
  assert.equal(value(`Rb"x\\y"`), 'x\\y');
  assert.equal(value(`'''tri"ple'''`), 'tri"ple');
  assert.equal(value(`""""""`), '');
  assert.equal(value(`''`), '');
  assert.equal(value(`'a' 'b'`), 'ab');
  assert.equal(value(`f'{x}'`), undefined);
  assert.equal(value(`f'plain'`), undefined);
  assert.equal(value(`'unclosed`), undefined);
});

test('declared properties: the XPath forms read, and those left alone', () => {
  const show = (xpath: string): string | undefined => {
    const p = declaredXPath(xpath);
    if (!p) return undefined;
    const steps = p.steps.map((s) => {
      const preds = Object.entries(s.attrs).map(([k, v]) => `[@${k}=${v.k === 'literal' ? v.value : '?'}]`);
      return `${s.name}${preds.join('')}`;
    });
    return [...steps, ...(p.attribute === undefined ? [] : [`@${p.attribute}`])].join('/');
  };
  assert.equal(show('./driver/@discard'), 'driver/@discard');
  assert.equal(show('./@type'), '@type');
  assert.equal(show('./serial'), 'serial');
  assert.equal(show("./bios/entry[@name='date']"), 'bios/entry[@name=date]');
  assert.equal(show(`./backend[@model="random"][@type='x']/@path`), 'backend[@model=random][@type=x]/@path');
  assert.equal(show('./model/acceleration/@accel3d'), 'model/acceleration/@accel3d');
  // Not guessed: the root itself, a step up, a prefixed name, an absolute path, functions, unions.
  for (const xpath of [
    '.',
    './.',
    './',
    './../log/@file',
    './qemu:arg/@value',
    '/domain/name',
    'name',
    './a/text()',
    './a|./b',
    './@',
    './a[1]',
  ])
    assert.equal(show(xpath), undefined, xpath);
});
