// What the index keeps of one file, computed from that file alone: its MIN_* constants, the
// conditions its version-check helpers return, its classes, the functions it defines and the
// words it uses. Plain data: summaries cross worker threads by structured clone.
import type { FeatureCheckSpec, Policy, VersionCheckSpec } from '../../config/policy';
import { loadFeatureDb } from '../../data/loadFeatureDb';
import { versionFromParts } from '../../data/version';
import type { Cond } from '../semantic/conditions';
import { buildFileModel, countWords } from '../semantic/fileModel';
import { FileSemantics } from '../semantic/fileSemantics';
import { noWorkspace } from '../semantic/workspaceFacts';
import { parsePython, type SyntaxTree } from '../syntax/index';
import type { VersionNumber } from '../types';

export interface HelperSummary {
  readonly cond: Cond;
  readonly isProperty: boolean;
}

export interface FileSummary {
  readonly uri: string;
  /** Dotted-module suffixes this file answers to: 'driver', 'libvirt.driver', 'virt.libvirt.driver'. */
  readonly moduleNames: readonly string[];
  readonly constants: ReadonlyMap<string, VersionNumber>;
  readonly helpers: ReadonlyMap<string, HelperSummary>;
  readonly classes: ReadonlySet<string>;
  /** Names of the functions and methods it defines. */
  readonly functions: readonly string[];
  /** Every identifier-like word of the file (comments excluded). */
  readonly identifiers: ReadonlySet<string>;
  /** For change detection: what other files' analyses can read of this one (not its words). */
  readonly fingerprint: string;
}

export interface SummaryOptions {
  /** Version-check function names and gate expressions: a file naming none defines no helper. */
  readonly versionChecks: readonly string[];
  readonly gates: readonly string[];
  /** Configured check forms, feature checks and probes, so helpers that use them are summarized too. */
  readonly versionCheckSpecs?: readonly VersionCheckSpec[];
  readonly featureChecks?: readonly FeatureCheckSpec[];
  readonly probes?: readonly string[];
}

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

/**
 * Words without which a function cannot return a condition: the configured names, the
 * runtime version calls, and what an inferred probe's handler catches.
 */
function helperWords(options: SummaryOptions): string[] {
  const probeWords = (options.probes ?? [])
    .flatMap((glob) => glob.replace(/\(\)$/, '').split(/[*.]/))
    .filter((w) => w.length > 2 && w !== 'self' && w !== 'cls');
  return [
    ...options.versionChecks,
    ...options.gates.map((g) => g.split('.').pop() ?? g),
    ...(options.featureChecks ?? []).map((f) => f.name),
    ...probeWords,
    'getLibVersion',
    'getVersion',
    'AttributeError',
    'Exception',
    'except:',
  ];
}

function moduleNamesOf(uri: string): string[] {
  const path = uri
    .replace(/^file:\/\//, '')
    .replace(/\\/g, '/')
    .replace(/\.py$/, '')
    .replace(/\/__init__$/, '');
  const parts = path.split('/').filter(Boolean);
  const out: string[] = [];
  for (let i = parts.length - 1; i >= Math.max(0, parts.length - 4); i--) out.push(parts.slice(i).join('.'));
  return out;
}

function summaryOf(
  uri: string,
  constants: Map<string, VersionNumber>,
  helpers: Map<string, HelperSummary>,
  classes: Set<string>,
  functions: readonly string[],
  identifiers: Set<string>,
): FileSummary {
  // Words are left out on purpose: nearly every keystroke changes them, and a change of the
  // fingerprint re-analyzes every other file. They only decide whether a private function's
  // callers are all known, which the next analysis of that file picks up.
  const fingerprint = JSON.stringify([
    [...constants],
    [...helpers].map(([k, h]) => [k, h.isProperty, JSON.stringify(h.cond)]),
    [...classes],
  ]);
  return {
    uri,
    moduleNames: moduleNamesOf(uri),
    constants,
    helpers,
    classes,
    functions: [...new Set(functions)],
    identifiers,
    fingerprint,
  };
}

const moduleConstantLine =
  /^([A-Z][A-Z0-9_]*)[ \t]*=[ \t]*(\([ \t]*\d+[ \t]*(?:,[ \t]*\d+[ \t]*){0,2},?[ \t]*\)|\d+)[ \t]*(?:#.*)?$/gm;
const classLine = /^class[ \t]+([A-Za-z_]\w*)/gm;
const defLine = /^[ \t]*(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)/gm;

/**
 * The summary of a file that defines no helper, from its text alone: module-level version
 * constants (literal tuples or integers), top-level classes, and the words it uses.
 */
function summarizeText(uri: string, text: string): FileSummary {
  const constants = new Map<string, VersionNumber>();
  for (const m of text.matchAll(moduleConstantLine)) {
    const value = m[2] ?? '';
    const parts = value.startsWith('(')
      ? value
          .replace(/[()\s]/g, '')
          .split(',')
          .filter(Boolean)
          .map(Number)
      : [];
    const v = value.startsWith('(') ? versionFromParts(parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0) : Number(value);
    if (m[1] && v !== undefined && Number.isSafeInteger(v)) constants.set(m[1], v);
  }
  const classes = new Set<string>();
  for (const m of text.matchAll(classLine)) if (m[1]) classes.add(m[1]);
  const functions: string[] = [];
  for (const m of text.matchAll(defLine)) if (m[1]) functions.push(m[1]);
  return summaryOf(uri, constants, new Map(), classes, functions, new Set(countWords(text).keys()));
}

/** Whether a file can define a helper: it names a check, a gate, a probe or a runtime version somewhere. */
function mayDefineHelpers(text: string, words: readonly string[]): boolean {
  return words.some((w) => text.includes(w));
}

/** Summarizes a file; `tree` is used when given (no second parse). */
export function summarizeFile(uri: string, text: string, options: SummaryOptions, given?: SyntaxTree): FileSummary {
  const words = helperWords(options);
  if (!mayDefineHelpers(text, words)) return summarizeText(uri, text);
  const tree = given ?? parsePython(text);
  const model = buildFileModel(tree);
  const sem = new FileSemantics(uri, model, { ...options, receivers: {} }, loadFeatureDb(), noWorkspace);
  const constants = new Map<string, VersionNumber>();
  for (const [name, value] of model.constants) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) continue;
    const v = sem.resolveVersion(value);
    if (v !== undefined) constants.set(name, v);
  }
  const helpers = new Map<string, HelperSummary>();
  for (const fn of model.functions) {
    // Only a function that names a check or a gate can return one (or a helper that does).
    const body = text.slice(tree.start(fn.node), tree.end(fn.node));
    if (!words.some((n) => body.includes(n)) && !/return\s+[^\n]*\b_?\w+\(/.test(body)) continue;
    const cond = sem.functionCond(fn);
    if (cond && !helpers.has(fn.name)) helpers.set(fn.name, { cond, isProperty: fn.isProperty });
  }
  const functions = model.functions.map((f) => f.name);
  return summaryOf(uri, constants, helpers, new Set(model.classes.keys()), functions, new Set(countWords(text).keys()));
}
