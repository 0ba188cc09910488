// What the index keeps of one file, computed from that file alone: its MIN_* constants, the
// conditions its version-check helpers return, its classes, the functions it defines and the
// words it uses. Plain data: summaries cross worker threads by structured clone.
import { loadFeatureDb } from '../../data/loadFeatureDb';
import { versionFromParts } from '../../data/version';
import type { Cond } from '../semantic/conditions';
import { buildFileModel, countWords } from '../semantic/fileModel';
import { FileSemantics } from '../semantic/fileSemantics';
import { noWorkspace } from '../semantic/workspaceFacts';
import { summarizeConfigClasses, type XmlConfigClass } from '../semantic/xml/configClasses';
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
  /** Config classes: the XML each attribute writes (classes with a `format_dom`, their bases). */
  readonly xmlClasses: readonly XmlConfigClass[];
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
  xmlClasses: readonly XmlConfigClass[] = [],
): FileSummary {
  // Words are left out on purpose: nearly every keystroke changes them, and a change of the
  // fingerprint re-analyzes every other file. They only decide whether a private function's
  // callers are all known, which the next analysis of that file picks up.
  const fingerprint = JSON.stringify([
    [...constants],
    [...helpers].map(([k, h]) => [k, h.isProperty, JSON.stringify(h.cond)]),
    [...classes],
    xmlClasses,
  ]);
  return {
    uri,
    moduleNames: moduleNamesOf(uri),
    constants,
    helpers,
    classes,
    xmlClasses,
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

/** Whether a file can define a helper: it names a version check or a gate somewhere. */
function mayDefineHelpers(text: string, options: SummaryOptions): boolean {
  return (
    options.versionChecks.some((c) => text.includes(c)) ||
    options.gates.some((g) => text.includes(g.split('.').pop() ?? g))
  );
}

/** Summarizes a file; `tree` is used when given (no second parse). */
export function summarizeFile(uri: string, text: string, options: SummaryOptions, given?: SyntaxTree): FileSummary {
  if (!mayDefineHelpers(text, options) && !text.includes('format_dom')) return summarizeText(uri, text);
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
  const names = [...options.versionChecks, ...options.gates.map((g) => g.split('.').pop() ?? g)];
  for (const fn of model.functions) {
    // Only a function that names a check or a gate can return one (or a helper that does).
    const body = text.slice(tree.start(fn.node), tree.end(fn.node));
    if (!names.some((n) => body.includes(n)) && !/return\s+[^\n]*\b_?\w+\(/.test(body)) continue;
    const cond = sem.functionCond(fn);
    if (cond && !helpers.has(fn.name)) helpers.set(fn.name, { cond, isProperty: fn.isProperty });
  }
  const functions = model.functions.map((f) => f.name);
  return summaryOf(
    uri,
    constants,
    helpers,
    new Set(model.classes.keys()),
    functions,
    new Set(countWords(text).keys()),
    summarizeConfigClasses(sem),
  );
}
