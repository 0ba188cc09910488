// What the index keeps of one file, computed from that file alone: its imports, the names it
// defines, its MIN_* constants, the conditions its version-check helpers return (module
// functions, and methods by class with the class's bases), the functions it defines and the
// words it uses. Plain data: summaries cross worker threads by structured clone.
import type { Policy } from '../../config/policy';
import { loadFeatureDb } from '../../data/loadFeatureDb';
import { readConfBinding } from '../semantic/confBinding';
import { mayDeclareOptions, readConfigOptions } from '../semantic/configOptions';
import type { Cond } from '../semantic/conditions';
import {
  countWords,
  fileModelOf,
  wordsOf,
  type FileModel,
  type FunctionInfo,
  type WordCounts,
} from '../semantic/fileModel';
import { FileSemantics } from '../semantic/fileSemantics';
import { refOfDotted, uriPath, type NameRef } from '../semantic/moduleRefs';
import { noWorkspace } from '../semantic/workspaceFacts';
import { summarizeConfigClasses } from '../semantic/xml/configClasses';
import { moduleElementFactories } from '../semantic/xml/elementBuilders';
import { dottedName, Field, NodeKind, parsePython, type NodeId, type SyntaxTree } from '../syntax/index';
import type { VersionNumber } from '../types';
import type { ClassSummary, FileSummary, HelperSummary, SummaryOptions } from './summaryTypes';
import { summarizeFromTokens, type TextSummaryParts } from './textSummary';

export type { FileSummary, SummaryOptions } from './summaryTypes';

/** The options that summarize helpers for every one of these policies (their checks together). */
export function summaryOptionsFor(policies: readonly Policy[]): SummaryOptions {
  // The first policy's entry for a name wins.
  const byName = <T extends { readonly name: string }>(items: readonly T[]): T[] => {
    const seen = new Map<string, T>();
    for (const i of items) if (!seen.has(i.name)) seen.set(i.name, i);
    return [...seen.values()];
  };
  return {
    versionChecks: [...new Set(policies.flatMap((p) => p.versionChecks))],
    gates: [...new Set(policies.flatMap((p) => p.gates))],
    versionCheckSpecs: byName(policies.flatMap((p) => p.versionCheckSpecs ?? [])),
    featureChecks: byName(policies.flatMap((p) => p.featureChecks ?? [])),
    probes: [...new Set(policies.flatMap((p) => p.probes ?? []))],
  };
}

/** The configured names a helper's condition comes from: checks, gates, feature checks and probes. */
function configuredCheckWords(options: SummaryOptions): string[] {
  const probeWords = (options.probes ?? [])
    .flatMap((glob) => glob.replace(/\(\)$/, '').split(/[*.]/))
    .filter((w) => w.length > 2 && w !== 'self' && w !== 'cls');
  return [
    ...options.versionChecks,
    // Config gives these names in versionChecks too; a policy built otherwise may not.
    ...(options.versionCheckSpecs ?? []).map((s) => s.name),
    ...options.gates.map((g) => g.split('.').pop() ?? g),
    ...(options.featureChecks ?? []).map((f) => f.name),
    ...probeWords,
  ];
}

/** The configured names and the runtime version calls: a condition needs one of them (or a probe). */
function checkWords(options: SummaryOptions): string[] {
  return [...configuredCheckWords(options), 'getLibVersion', 'getVersion'];
}

/**
 * Words without which a function cannot return a condition: the configured names, the
 * runtime version calls, and what an inferred probe's handler catches.
 */
function helperWords(options: SummaryOptions): string[] {
  return [...checkWords(options), 'AttributeError', 'Exception', 'except:'];
}

/** The base classes of a class definition, as references through the file's imports. */
function classBases(model: FileModel, classNode: NodeId): NameRef[] {
  const t = model.tree;
  const supers = t.field(classNode, Field.Superclasses);
  const out: NameRef[] = [];
  for (const base of supers === undefined ? [] : t.children(supers)) {
    const dotted = dottedName(t, base);
    const ref = dotted === undefined ? undefined : refOfDotted(model.foreignImports, dotted);
    if (ref) out.push(ref);
  }
  return out;
}

function moduleLevelNames(t: SyntaxTree): string[] {
  const names: string[] = [];
  for (const stmt of t.children(t.root)) {
    const kind = t.kind(stmt);
    const def = kind === NodeKind.DecoratedDefinition ? t.field(stmt, Field.Definition) : stmt;
    if (
      def !== undefined &&
      (t.kind(def) === NodeKind.FunctionDefinition || t.kind(def) === NodeKind.ClassDefinition)
    ) {
      const name = t.field(def, Field.Name);
      if (name !== undefined) names.push(t.text(name));
    } else if (kind === NodeKind.ExpressionStatement) {
      const assign = t.firstChild(stmt);
      const left =
        assign !== undefined && t.kind(assign) === NodeKind.Assignment ? t.field(assign, Field.Left) : undefined;
      if (left !== undefined && t.kind(left) === NodeKind.Identifier) names.push(t.text(left));
    }
  }
  return names;
}

function fingerprintOf(s: Omit<FileSummary, 'fingerprint' | 'identifiers'>): string {
  // Words are left out on purpose: nearly every keystroke changes them, and a change of the
  // fingerprint re-analyzes every other file. They only decide whether a private function's
  // callers are all known, which the next analysis of that file picks up.
  const helpers = (m: ReadonlyMap<string, HelperSummary>) =>
    [...m].map(([k, h]) => [k, h.isProperty, JSON.stringify(h.cond ?? null), JSON.stringify(h.post ?? null)]);
  return JSON.stringify([
    s.imports,
    s.stars,
    s.definitions,
    [...s.constants],
    helpers(s.moduleHelpers),
    [...s.moduleFlags].map(([k, c]) => [k, JSON.stringify(c)]),
    [...s.classes].map(([name, c]) => [name, c.bases, helpers(c.helpers)]),
    s.xmlClasses,
    [...s.elementFactories],
  ]);
}

/** Summarizes a file; `tree` is used when given (no second parse). */
export function summarizeFile(uri: string, text: string, options: SummaryOptions, given?: SyntaxTree): FileSummary {
  // A file that names nothing a summary reads from the tree is summarized from its tokens, with
  // or without a tree given: its summary depends on its text alone, in the CLI and the editor.
  const parts = tokenSummaryParts(uri, text, options);
  if (parts) {
    // With a tree, its counts (the analysis of that tree reads the same, counted once).
    const words = given?.source === text ? wordsOf(given) : countWords(text);
    const base = { ...parts, identifiers: privateWords(words), fingerprint: fingerprintOf(parts) };
    return withConfigFacts(base, text, () => fileModelOf(given ?? parsePython(text), uri));
  }
  return summarizeFromTree(uri, text, options, given);
}

/** The summary's parts read from the file's tokens, when they can be (see textSummary.ts). */
export function tokenSummaryParts(uri: string, text: string, options: SummaryOptions): TextSummaryParts | undefined {
  return summarizeFromTokens(uri, text, checkWords(options), loadFeatureDb());
}

/** The summary read from the file's tree, whatever it names (the text summary's reference in tests). */
export function summarizeFromTree(uri: string, text: string, options: SummaryOptions, given?: SyntaxTree): FileSummary {
  const model = fileModelOf(given ?? parsePython(text), uri);
  return withConfigFacts(summarizeParsed(uri, text, options, model), text, () => model);
}

/**
 * Adds what the opt-in option rules and gate fixes ask of other files. The options go into the
 * fingerprint with their positions (a declaration fix edits there; configuration modules change
 * rarely). The CONF binding does not: nearly every driver file has one, and a gate fix that
 * copies a binding other files used before an edit is still right for its own file.
 */
function withConfigFacts(base: FileSummary, text: string, model: () => FileModel): FileSummary {
  const configOptions = mayDeclareOptions(text) ? readConfigOptions(model()) : undefined;
  const confBinding = readConfBinding(text);
  if (!configOptions && !confBinding) return base;
  return {
    ...base,
    ...(configOptions ? { configOptions } : {}),
    ...(confBinding ? { confBinding } : {}),
    fingerprint: configOptions ? `${base.fingerprint}${JSON.stringify(configOptions)}` : base.fingerprint,
  };
}

function summarizeParsed(uri: string, text: string, options: SummaryOptions, model: FileModel): FileSummary {
  const words = helperWords(options);
  const tree = model.tree;
  const sem = new FileSemantics(uri, model, { ...options, receivers: {} }, loadFeatureDb(), noWorkspace);
  const constants = new Map<string, VersionNumber>();
  for (const [name, value] of model.constants) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) continue;
    const v = sem.resolveVersion(value);
    if (v !== undefined) constants.set(name, v);
  }
  const moduleHelpers = new Map<string, HelperSummary>();
  const classHelpers = new Map<string, Map<string, HelperSummary>>();
  for (const fn of model.functions) {
    // Only a function that names a check or a gate can return one (or a helper that does).
    const body = text.slice(tree.start(fn.node), tree.end(fn.node));
    if (!words.some((n) => body.includes(n)) && !/return\s+[^\n]*\b_?\w+\(/.test(body)) continue;
    const cond = conditionOf(sem, fn);
    const post = postconditionOf(sem, fn);
    if (!cond && !post) continue;
    const target = fn.className === undefined ? moduleHelpers : (classHelpers.get(fn.className) ?? new Map());
    if (fn.className !== undefined) classHelpers.set(fn.className, target);
    if (!target.has(fn.name))
      target.set(fn.name, { ...(cond ? { cond } : {}), ...(post ? { post } : {}), isProperty: fn.isProperty });
  }
  const moduleFlags = new Map<string, Cond>();
  for (const name of model.constants.keys()) {
    const cond = sem.moduleFlagCond(name);
    if (cond) moduleFlags.set(name, cond);
  }
  const classes = new Map<string, ClassSummary>();
  for (const [name, node] of model.classes)
    classes.set(name, { bases: classBases(model, node), helpers: classHelpers.get(name) ?? new Map() });
  const base = {
    uri,
    path: uriPath(uri),
    imports: [...model.foreignImports.values()],
    stars: model.starImports,
    definitions: moduleLevelNames(tree),
    constants,
    moduleHelpers,
    moduleFlags,
    classes,
    functions: [...new Set(model.functions.map((f) => f.name))],
    xmlClasses: summarizeConfigClasses(sem),
    elementFactories: moduleElementFactories(sem),
  };
  return { ...base, identifiers: privateWords(model.words()), fingerprint: fingerprintOf(base) };
}

/**
 * A reading of a function for its summary; none for one nested too deeply to read (the stack
 * ran out): its callers then read nothing of it, as its own analysis reads nothing.
 */
function unlessTooDeep<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

/** The condition a function returns (a template when its check takes a parameter). */
function conditionOf(sem: FileSemantics, fn: FunctionInfo): Cond | undefined {
  return unlessTooDeep(() => sem.functionCond(fn) ?? sem.parametricTemplate(fn));
}

/** What holds once a call of the function returns (it raises unless a check holds). */
function postconditionOf(sem: FileSemantics, fn: FunctionInfo): Cond | undefined {
  return unlessTooDeep(() => sem.postconditionOf(fn));
}

function privateWords(words: WordCounts): Map<string, number> {
  const out = new Map<string, number>();
  for (const [word, count] of words) if (word.charCodeAt(0) === 95 /* _ */) out.set(word, count);
  return out;
}
