// Where in a libvirt XML document the code writes: a chain of elements as the code builds
// them (from the outermost one it can see), resolved against the XML feature table. A chain
// whose outermost element is a document root (`domain`) is anchored there; any other chain
// matches every table path that ends with it (the document type anchors it), and when that
// leaves several, the oldest counts, as for a method name on an unknown receiver.
import type { XmlFeature, XmlFeatureDb } from '../../../data/xmlFeatureDb';
import { BoundedKeyMemo, BoundedMemo } from './boundedMemo';

/** How an attribute's value is known: written out, taken from a config object's attribute, or not at all. */
export type AttrSource =
  | { readonly k: 'literal'; readonly value: string }
  | { readonly k: 'self'; readonly attr: string }
  | { readonly k: 'unknown' };

/** One element of a chain: its name and what is known of its attributes (for path predicates). */
export interface XmlStep {
  /** The element's name; `$root` stands for a config class's root element, named by the concrete class. */
  readonly name: string;
  readonly attrs: Readonly<Record<string, AttrSource>>;
}

export const rootStep = '$root';

const documentRoots = new Set(['domain', 'secret', 'domainsnapshot']);

/** A table row the code writes, and how many other paths the chain could also have meant. */
export interface ResolvedXml {
  readonly feature: XmlFeature;
  readonly otherPaths: number;
}

function predicatesHold(feature: XmlFeature, steps: readonly string[], chain: readonly XmlStep[]): boolean {
  const offset = steps.length - chain.length;
  return feature.predicates.every((p) => {
    const source = chain[p.depth - offset]?.attrs[p.attribute];
    return source?.k === 'literal' && source.value === p.value;
  });
}

/** The row that applies: a predicated variant whose predicates the chain meets, else the plain row. */
function applicableRow(
  rows: readonly XmlFeature[],
  steps: readonly string[],
  chain: readonly XmlStep[],
): XmlFeature | undefined {
  let plain: XmlFeature | undefined;
  let refined: XmlFeature | undefined;
  for (const r of rows) {
    if (!r.predicates.length) plain ??= r;
    else if (predicatesHold(r, steps, chain)) refined ??= r;
  }
  return refined ?? plain;
}

const newer = (a: XmlFeature, b: XmlFeature): boolean =>
  a.since > b.since || (a.since === b.since && (a.qemuSince ?? 0) > (b.qemuSince ?? 0));

/** Per database: element paths by chain (names joined), and resolved rows by chain, attribute and value. */
interface Memo {
  readonly paths: BoundedMemo<string, readonly (readonly string[])[]>;
  /** By the parts of resolutionKey. */
  readonly resolved: BoundedKeyMemo<ResolvedXml | undefined>;
  /**
   * By element name: the attributes predicates read on an element of that name (none for most
   * names), the only attribute values a resolution depends on.
   */
  readonly predicateAttributes: ReadonlyMap<string, readonly string[]>;
}
const memos = new WeakMap<XmlFeatureDb, Memo>();
const noAttributes: readonly string[] = [];
/** Entries kept per map before it starts again (a long editor session meets ever new chains). */
const memoLimit = 20_000;

function memoOf(db: XmlFeatureDb): Memo {
  let memo = memos.get(db);
  if (!memo) {
    const predicateAttributes = new Map<string, string[]>();
    for (const f of db.all())
      for (const p of f.predicates) {
        const name = f.elementPath.split('/')[p.depth] ?? '';
        const list = predicateAttributes.get(name);
        if (!list) predicateAttributes.set(name, [p.attribute]);
        else if (!list.includes(p.attribute)) list.push(p.attribute);
      }
    memo = {
      paths: new BoundedMemo(memoLimit),
      resolved: new BoundedKeyMemo(memoLimit),
      predicateAttributes,
    };
    memos.set(db, memo);
  }
  return memo;
}

/** The element paths of the table the chain can stand for, each split into its steps. */
function candidateSteps(db: XmlFeatureDb, chain: readonly XmlStep[]): readonly (readonly string[])[] {
  const names = chain.map((s) => s.name);
  return memoOf(db).paths.get(names.join('/'), () => computeCandidateSteps(db, names));
}

function computeCandidateSteps(db: XmlFeatureDb, names: readonly string[]): (readonly string[])[] {
  const last = names[names.length - 1];
  if (last === undefined || names.includes(rootStep)) return [];
  const anchored = documentRoots.has(names[0] ?? '');
  const out: string[][] = [];
  for (const p of db.pathsEndingIn(last)) {
    const steps = p.split('/');
    if (anchored ? steps.length !== names.length : steps.length < names.length) continue;
    const offset = steps.length - names.length;
    if (names.every((n, i) => steps[offset + i] === n)) out.push(steps);
  }
  return out;
}

/** Whether the chain stands for any element path of the table. */
export function isTableChain(db: XmlFeatureDb, chain: readonly XmlStep[]): boolean {
  return candidateSteps(db, chain).length > 0;
}

/**
 * What a resolution depends on, as the parts of a memo key: the chain's length, the attribute
 * and value, and each step's name and the literal values of the attributes predicates read on
 * an element of that name (a name says how many parts follow it, so no key is a prefix of
 * another). Parts, not a joined string: names are hashed once per string.
 */
function resolutionKey(
  memo: Memo,
  chain: readonly XmlStep[],
  attribute: string | undefined,
  value: string | undefined,
): (string | number | undefined)[] {
  const key: (string | number | undefined)[] = [chain.length, attribute, value];
  for (const step of chain) {
    key.push(step.name);
    for (const a of memo.predicateAttributes.get(step.name) ?? noAttributes) {
      const source = step.attrs[a];
      key.push(source?.k === 'literal' ? source.value : undefined);
    }
  }
  return key;
}

/**
 * The row the code writes: the element at the end of the chain (no attribute), one of its
 * attributes, or (with a literal value) the newer of the attribute's and the value's rows
 * (the value's when they are equal).
 */
export function resolveXml(
  db: XmlFeatureDb,
  chain: readonly XmlStep[],
  attribute?: string,
  value?: string,
): ResolvedXml | undefined {
  const memo = memoOf(db);
  return memo.resolved.get(resolutionKey(memo, chain, attribute, value), () =>
    computeResolution(db, chain, attribute, value),
  );
}

function computeResolution(
  db: XmlFeatureDb,
  chain: readonly XmlStep[],
  attribute: string | undefined,
  value: string | undefined,
): ResolvedXml | undefined {
  let best: XmlFeature | undefined;
  let matched = 0;
  for (const steps of candidateSteps(db, chain)) {
    const path = steps.join('/');
    let row: XmlFeature | undefined;
    if (attribute === undefined) row = applicableRow(db.rows(path), steps, chain);
    else {
      const attr = applicableRow(db.rows(path, attribute), steps, chain);
      const val = value === undefined ? undefined : applicableRow(db.rows(path, attribute, value), steps, chain);
      // The value's row unless the attribute's is newer: it says more about what the code writes.
      row = attr && val ? (newer(attr, val) ? attr : val) : (val ?? attr);
    }
    if (!row) continue;
    matched++;
    // Several paths: the oldest counts (no finding the code may not deserve).
    if (!best || newer(best, row)) best = row;
  }
  return best ? { feature: best, otherPaths: matched - 1 } : undefined;
}

/** `domain/devices/interface[@type='vhostuser']/driver/@queues`, `.../@type='vhostuser'`. */
export function xpathOf(feature: XmlFeature): string {
  const path = feature.path.replace(/\[([^=\]]+)=([^\]]+)\]/g, "[@$1='$2']");
  const attr = feature.attribute === undefined ? '' : `/@${feature.attribute}`;
  const value = feature.value === undefined ? '' : `='${feature.value}'`;
  return `${path}${attr}${value}`;
}
