// Every place a file writes libvirt XML, with the table row it writes: XML in string literals
// and templates, ElementTree/lxml builder calls, and attributes of config objects whose class
// writes them. Keyed by the node the flow walk meets (the string, the call, the assignment),
// so the walk only looks them up and records them with the path they run on.
import type { XmlFeatureDb } from '../../../data/xmlFeatureDb';
import { calleeName, Field, NodeKind, unparen, type NodeId, type SyntaxTree } from '../../syntax/index';
import type { Range, XmlFeatureFacts } from '../../types';
import type { FileSemantics } from '../fileSemantics';
import {
  classRefOf,
  configClassesOf,
  templatesOf,
  type ClassRef,
  type XmlConfigClass,
  type XmlTemplate,
} from './configClasses';
import { ElementTracker } from './elementBuilders';
import { literalValue } from './literals';
import { tokenizeXml } from './xmlTokenizer';
import {
  candidatePaths,
  resolveXml,
  rootStep,
  xpathOf,
  type AttrSource,
  type ResolvedXml,
  type XmlStep,
} from './xmlPaths';

export interface XmlEmission {
  /** The element or attribute name as written (a part of a string, a literal argument, an attribute name). */
  readonly range: Range;
  readonly feature: XmlFeatureFacts;
}

export type XmlEmissions = ReadonlyMap<NodeId, readonly XmlEmission[]>;

/** Test code writes XML as expected output and fixtures, not for a host: its modules emit nothing. */
const testModule = /(^|[\\/])(tests?|testing)[\\/]|[\\/](test_[^\\/]*|[^\\/]*_test|conftest)\.py$/;
/** Calls whose string arguments are messages, not documents. */
const messageCallee =
  /^(debug|info|warning|warn|error|exception|critical|fatal|log|_|_L[EIWC]|gettext|ngettext|print|assert\w*|fail\w*)$|(Error|Exception|Warning)$/;
const unknownValue: AttrSource = { k: 'unknown' };
const maxLineage = 6;

function factsOf(resolved: ResolvedXml, via: XmlFeatureFacts['via'], configAttribute?: string): XmlFeatureFacts {
  const f = resolved.feature;
  return {
    xpath: xpathOf(f),
    path: f.path,
    ...(f.attribute !== undefined ? { attribute: f.attribute } : {}),
    ...(f.value !== undefined ? { value: f.value } : {}),
    since: f.since,
    dated: f.dated,
    ...(f.qemuSince !== undefined ? { qemuSince: f.qemuSince } : {}),
    ...(f.scope !== undefined ? { scope: f.scope } : {}),
    evidence: f.evidence,
    docsUrl: f.docsUrl,
    otherPaths: resolved.otherPaths,
    via,
    ...(configAttribute !== undefined ? { configAttribute } : {}),
  };
}

/** Config classes by reference: this file's, then the workspace's; a class with its bases. */
class ConfigClassIndex {
  constructor(
    private readonly sem: FileSemantics,
    readonly local: ReadonlyMap<string, XmlConfigClass>,
  ) {}

  find(ref: ClassRef): XmlConfigClass | undefined {
    if (ref.module === undefined && this.local.has(ref.name)) return this.local.get(ref.name);
    return this.sem.workspace.xmlConfigClass(ref.name, ref.module) ?? this.local.get(ref.name);
  }

  /** The class and its bases, nearest first. */
  lineage(ref: ClassRef): XmlConfigClass[] {
    const out: XmlConfigClass[] = [];
    const walk = (r: ClassRef, depth: number): void => {
      if (depth > maxLineage || out.some((c) => c.name === r.name)) return;
      const cls = this.find(r);
      if (!cls) return;
      out.push(cls);
      for (const b of cls.bases) walk(b, depth + 1);
    };
    walk(ref, 0);
    return out;
  }

  rootOf(ref: ClassRef): string | undefined {
    return this.lineage(ref).find((c) => c.root !== undefined)?.root;
  }

  /** Whether its writes wait for its attributes to be set: it writes XML from them (a root or `format_dom`). */
  writesFromAttributes(className: string): boolean {
    return this.lineage({ name: className }).some((c) => c.root !== undefined || c.formatsXml);
  }
}

/** Whether a string literal is a message or a docstring rather than a document. */
function isMessageOrDocstring(t: SyntaxTree, literal: NodeId): boolean {
  let child = literal;
  for (let p = t.parent(literal); p !== undefined; child = p, p = t.parent(p)) {
    const kind = t.kind(p);
    if (kind === NodeKind.ExpressionStatement) return true; // a docstring, or a string left alone
    if (kind === NodeKind.RaiseStatement || kind === NodeKind.AssertStatement) return true;
    if (kind === NodeKind.ArgumentList) {
      const call = t.parent(p);
      return call !== undefined && t.kind(call) === NodeKind.Call && messageCallee.test(calleeName(t, call) ?? '');
    }
    // `'...' % x`, `'...'.format(x)`, `('...')`: still the literal's own expression.
    if (kind === NodeKind.BinaryOperator || kind === NodeKind.ParenthesizedExpression) continue;
    if (kind === NodeKind.Attribute && t.fieldOf(child) === Field.Object) continue;
    if (kind === NodeKind.Call && t.fieldOf(child) === Field.Function) continue;
    return false;
  }
  return false;
}

export function collectXmlEmissions(sem: FileSemantics, db: XmlFeatureDb): XmlEmissions {
  const out = new Map<NodeId, XmlEmission[]>();
  if (testModule.test(decodeURIComponent(sem.uri))) return out;
  const t = sem.tree;
  const text = t.source;
  const add = (node: NodeId, range: Range, facts: XmlFeatureFacts): void => {
    const list = out.get(node);
    if (!list) out.set(node, [{ range, feature: facts }]);
    else if (
      !list.some(
        (e) =>
          e.feature.xpath === facts.xpath &&
          e.range.start.character === range.start.character &&
          e.range.start.line === range.start.line,
      )
    )
      list.push({ range, feature: facts });
  };
  if (text.includes('<')) templateEmissions(sem, db, add);
  const builds = /\b(?:Sub)?Element\s*\(/.test(text) || text.includes('format_dom');
  const tracker = builds ? new ElementTracker(sem) : undefined;
  const writes = tracker?.writes() ?? [];
  const classes = new ConfigClassIndex(sem, text.includes('format_dom') ? configClassesOf(sem, writes) : new Map());
  for (const w of writes) {
    // A config class's write that waits for an attribute is emitted where the attribute is set.
    if (w.className !== undefined && w.deps.length && classes.writesFromAttributes(w.className)) continue;
    const chain = withRoot(w.chain, w.className === undefined ? undefined : classes.rootOf({ name: w.className }));
    const resolved = chain && resolveXml(db, chain, w.attribute, w.value?.k === 'literal' ? w.value.value : undefined);
    if (resolved) add(w.node, t.range(w.nameNode), factsOf(resolved, 'builder'));
  }
  configAssignments(sem, db, classes, add);
  for (const list of out.values()) list.sort((a, b) => a.feature.since - b.feature.since);
  return out;
}

/** A chain with `$root` named by the class's root; undefined when no root is known. */
function withRoot(chain: readonly XmlStep[], root: string | undefined): readonly XmlStep[] | undefined {
  if (!chain.some((s) => s.name === rootStep)) return chain;
  if (root === undefined) return undefined;
  return chain.map((s) => (s.name === rootStep ? { ...s, name: root } : s));
}

type Add = (node: NodeId, range: Range, facts: XmlFeatureFacts) => void;

/** Elements and attributes in XML string literals, placed by the literal's own nesting. */
function templateEmissions(sem: FileSemantics, db: XmlFeatureDb, add: Add): void {
  const t = sem.tree;
  for (const n of t.descendantsOfKind(t.root, [NodeKind.String, NodeKind.ConcatenatedString])) {
    const parent = t.parent(n);
    if (t.kind(n) === NodeKind.String && parent !== undefined && t.kind(parent) === NodeKind.ConcatenatedString)
      continue;
    const lt = t.source.indexOf('<', t.start(n));
    if (lt < 0 || lt >= t.end(n) || isMessageOrDocstring(t, n)) continue;
    const parts = (t.kind(n) === NodeKind.ConcatenatedString ? t.children(n) : [n]).map((p) => ({
      text: t.text(p),
      start: t.start(p),
    }));
    const tokens = tokenizeXml(parts);
    const chains: (XmlStep[] | undefined)[] = [];
    for (const tok of tokens) {
      const parentChain = tok.parent < 0 ? [] : chains[tok.parent];
      if (tok.name === undefined || parentChain === undefined) {
        chains.push(undefined);
        continue;
      }
      const attrs: Record<string, AttrSource> = {};
      for (const a of tok.attributes)
        attrs[a.name] = a.value === undefined ? unknownValue : { k: 'literal', value: a.value };
      const chain = [...parentChain, { name: tok.name, attrs }];
      if (!candidatePaths(db, chain).length) {
        chains.push(undefined); // not libvirt XML (or not in the table): nothing under it is placed
        continue;
      }
      chains.push(chain);
      const el = resolveXml(db, chain);
      if (el) add(n, t.lines.range(tok.start, tok.end), factsOf(el, 'template'));
      for (const a of tok.attributes) {
        const r = resolveXml(db, chain, a.name, a.value);
        if (r) add(n, t.lines.range(a.start, a.end), factsOf(r, 'template'));
      }
    }
  }
}

/** The class of a config object an assignment sets an attribute on: by its constructor, return type or annotation. */
function classOfReceiver(sem: FileSemantics, classes: ConfigClassIndex, recv: NodeId): ClassRef | undefined {
  const t = sem.tree;
  const n = unparen(t, recv);
  if (t.kind(n) !== NodeKind.Identifier) return undefined;
  const name = t.text(n);
  if (name === 'self') {
    const cls = sem.functionOf(n)?.className;
    return cls !== undefined && classes.local.has(cls) ? { name: cls } : undefined;
  }
  const fn = sem.functionOf(n);
  if (!fn) {
    const bound = sem.model.constants.get(name);
    return bound === undefined ? undefined : classOfValue(sem, bound, 0);
  }
  const bindings = sem.localBindings(name, n);
  const assigned = bindings.filter((b) => b.kind === 'assign');
  const before = assigned.filter((b) => t.start(b.expr) < t.start(n));
  const pick = before[before.length - 1] ?? assigned[0];
  if (pick) return classOfValue(sem, pick.expr, 0);
  const param = bindings.find((b) => b.kind === 'param');
  const type = param === undefined ? undefined : t.field(param.expr, Field.Type);
  const annotation = type === undefined ? undefined : t.firstChild(type);
  return annotation === undefined ? undefined : classRefOf(sem, annotation);
}

/** `vconfig.LibvirtConfigGuestDisk()`, or a local helper that returns one (or says so in its return annotation). */
function classOfValue(sem: FileSemantics, expr: NodeId, depth: number): ClassRef | undefined {
  const t = sem.tree;
  const n = unparen(t, expr);
  if (t.kind(n) !== NodeKind.Call || depth > 3) return undefined;
  const helper = sem.localFunction(n);
  if (helper) {
    const returnType = t.field(helper.node, Field.ReturnType);
    const annotated = returnType === undefined ? undefined : t.firstChild(returnType);
    if (annotated !== undefined) return classRefOf(sem, annotated);
    const body = t.field(helper.node, Field.Body);
    for (const r of body === undefined ? [] : t.descendantsOfKind(body, NodeKind.ReturnStatement)) {
      const v = t.firstChild(r);
      if (v === undefined || sem.functionOf(r)?.node !== helper.node) continue;
      const value = t.kind(unparen(t, v)) === NodeKind.Identifier ? boundValue(sem, v) : v;
      const ref = value === undefined ? undefined : classOfValue(sem, value, depth + 1);
      if (ref) return ref;
    }
    return undefined;
  }
  const fn = t.field(n, Field.Function);
  return fn === undefined ? undefined : classRefOf(sem, fn);
}

function boundValue(sem: FileSemantics, id: NodeId): NodeId | undefined {
  const n = unparen(sem.tree, id);
  return sem.localBindings(sem.tree.text(n), n).find((b) => b.kind === 'assign')?.expr;
}

/** `conf.net_type = 'vhostuser'` elsewhere in the same function: the literal an attribute of a receiver holds. */
function receiverLiterals(sem: FileSemantics): (recv: NodeId, attr: string) => string | undefined {
  const t = sem.tree;
  let byUnit: Map<string, Set<string | undefined>> | undefined;
  return (recv, attr) => {
    if (!byUnit) {
      byUnit = new Map();
      for (const a of t.descendantsOfKind(t.root, NodeKind.Assignment)) {
        const left = t.field(a, Field.Left);
        const right = t.field(a, Field.Right);
        if (left === undefined || right === undefined || t.kind(left) !== NodeKind.Attribute) continue;
        const key = `${sem.functionOf(a)?.node ?? -1}:${t.text(left).replace(/\s+/g, '')}`;
        const set = byUnit.get(key) ?? new Set();
        set.add(literalValue(sem.model, right));
        byUnit.set(key, set);
      }
    }
    const key = `${sem.functionOf(recv)?.node ?? -1}:${t.text(recv).replace(/\s+/g, '')}.${attr}`;
    const values = byUnit.get(key);
    const only = values && values.size === 1 ? [...values][0] : undefined;
    return only;
  };
}

/** Assignments of config-object attributes (`disk.driver_discard = 'unmap'`, `mb.hugepages.append(p)`). */
function configAssignments(sem: FileSemantics, db: XmlFeatureDb, classes: ConfigClassIndex, add: Add): void {
  const t = sem.tree;
  const literalOf = receiverLiterals(sem);
  const emit = (node: NodeId, target: NodeId, value: NodeId | undefined): void => {
    const recv = t.field(target, Field.Object);
    const attrNode = t.field(target, Field.Attribute);
    if (recv === undefined || attrNode === undefined) return;
    const ref = classOfReceiver(sem, classes, recv);
    if (!ref) return;
    const attr = t.text(attrNode);
    const lineage = classes.lineage(ref);
    const templates: XmlTemplate[] = lineage.flatMap((c) => [...templatesOf(c, attr)]);
    if (!templates.length) return;
    const root = classes.rootOf(ref);
    const assigned = value === undefined ? undefined : literalValue(sem.model, value);
    const source = (s: AttrSource | undefined): AttrSource => {
      if (s?.k !== 'self') return s ?? unknownValue;
      const v = s.attr === attr ? assigned : literalOf(recv, s.attr);
      return v === undefined ? unknownValue : { k: 'literal', value: v };
    };
    for (const tpl of templates) {
      if (tpl.equals !== undefined && assigned !== undefined && assigned !== tpl.equals) continue;
      const steps = tpl.chain.map((s) => ({
        name: s.name,
        attrs: Object.fromEntries(Object.entries(s.attrs).map(([k, v]) => [k, source(v)])),
      }));
      const chain = withRoot(steps, root);
      const v = source(tpl.value);
      const resolved = chain && resolveXml(db, chain, tpl.attribute, v.k === 'literal' ? v.value : undefined);
      if (resolved) add(node, t.range(attrNode), factsOf(resolved, 'config-attribute', `${ref.name}.${attr}`));
    }
  };
  for (const a of t.descendantsOfKind(t.root, NodeKind.Assignment)) {
    const left = t.field(a, Field.Left);
    const right = t.field(a, Field.Right);
    if (left === undefined || right === undefined || t.kind(left) !== NodeKind.Attribute) continue;
    if (t.kind(unparen(t, right)) === NodeKind.None) continue;
    emit(a, left, right);
  }
  for (const call of sem.model.calls) {
    const name = calleeName(t, call);
    if (name !== 'append' && name !== 'extend' && name !== 'insert') continue;
    const fn = t.field(call, Field.Function);
    const target = fn === undefined ? undefined : t.field(fn, Field.Object);
    if (target !== undefined && t.kind(target) === NodeKind.Attribute) emit(call, target, undefined);
  }
}
