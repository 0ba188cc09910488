// What the engine knows about the other files of the workspace: MIN_* constants,
// version-check helpers and properties, class names, and which names each file uses
// (so a private function's call sites are known). Each file is summarized from its own
// text alone; summaries are small and plain.
import { defaultPolicy } from '../config/defaults';
import type { Policy } from '../config/policy';
import { loadFeatureDb } from '../data/loadFeatureDb';
import type { Cond } from './conditions';
import { buildFileModel, countWords } from './fileModel';
import { FileScope } from './fileScope';
import { parsePython, type Tree } from './parser';
import { versionFromParts } from '../data/version';
import { clearParents } from './syntax';
import type { VersionNumber } from './types';

export interface AutoMinimum { readonly version: VersionNumber; readonly uri: string }

/** What the index keeps of a file: plain data (it crosses worker threads by structured clone). */
export interface FileSummary {
  readonly uri: string;
  /** Dotted-module suffixes this file answers to: 'driver', 'libvirt.driver', 'virt.libvirt.driver'. */
  readonly moduleNames: readonly string[];
  readonly constants: ReadonlyMap<string, VersionNumber>;
  readonly helpers: ReadonlyMap<string, { readonly cond: Cond; readonly isProperty: boolean }>;
  readonly classes: ReadonlySet<string>;
  readonly identifiers: ReadonlySet<string>;
  /** For change detection. */
  readonly fingerprint: string;
}

export interface IndexOptions {
  readonly versionChecks?: readonly string[];
  readonly gates?: readonly string[];
}

function moduleNamesOf(uri: string): string[] {
  const path = uri.replace(/^file:\/\//, '').replace(/\\/g, '/').replace(/\.py$/, '').replace(/\/__init__$/, '');
  const parts = path.split('/').filter(Boolean);
  const out: string[] = [];
  for (let i = parts.length - 1; i >= Math.max(0, parts.length - 4); i--) out.push(parts.slice(i).join('.'));
  return out;
}

/** Conds kept across files must not hold tree nodes (trees are freed). */
function stripNodes(c: Cond): Cond {
  switch (c.k) {
    case 'check': { const { call: _call, ...rest } = c; void _call; return rest; }
    case 'not': return { k: 'not', c: stripNodes(c.c) };
    case 'and': case 'or': return { k: c.k, a: stripNodes(c.a), b: stripNodes(c.b) };
    default: return c;
  }
}

function summaryOf(uri: string, constants: Map<string, VersionNumber>, helpers: Map<string, { cond: Cond; isProperty: boolean }>,
  classes: Set<string>, identifiers: Set<string>): FileSummary {
  // Words are left out on purpose: nearly every keystroke changes them, and a change of the
  // fingerprint re-analyses every other file. They only decide whether a private function's
  // callers are all known, which the next analysis of that file picks up.
  const fingerprint = JSON.stringify([[...constants], [...helpers].map(([k, h]) => [k, h.isProperty, JSON.stringify(h.cond)]), [...classes]]);
  return { uri, moduleNames: moduleNamesOf(uri), constants, helpers, classes, identifiers, fingerprint };
}

const moduleConstantLine = /^([A-Z][A-Z0-9_]*)[ \t]*=[ \t]*(\([ \t]*\d+[ \t]*(?:,[ \t]*\d+[ \t]*){0,2},?[ \t]*\)|\d+)[ \t]*(?:#.*)?$/gm;
const classLine = /^class[ \t]+([A-Za-z_]\w*)/gm;

/**
 * The summary of a file that defines no helper, from its text alone: module-level version
 * constants (literal tuples or integers), top-level classes, and the words it uses.
 */
function summarizeText(uri: string, text: string): FileSummary {
  const constants = new Map<string, VersionNumber>();
  for (const m of text.matchAll(moduleConstantLine)) {
    const value = m[2] ?? '';
    const parts = value.startsWith('(') ? value.replace(/[()\s]/g, '').split(',').filter(Boolean).map(Number) : [];
    const v = value.startsWith('(') ? versionFromParts(parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0) : Number(value);
    if (m[1] && v !== undefined && Number.isSafeInteger(v)) constants.set(m[1], v);
  }
  const classes = new Set<string>();
  for (const m of text.matchAll(classLine)) if (m[1]) classes.add(m[1]);
  return summaryOf(uri, constants, new Map(), classes, new Set(countWords(text).keys()));
}

export class WorkspaceIndex {
  private readonly files = new Map<string, FileSummary>();
  private readonly policy: Policy;

  constructor(options: IndexOptions = {}) {
    this.policy = {
      ...defaultPolicy,
      ...(options.versionChecks ? { versionChecks: options.versionChecks } : {}),
      ...(options.gates ? { gates: options.gates } : {}),
    };
  }

  /** Adds or refreshes a file. `tree` is used when given (no second parse). Returns true if its summary changed. */
  setFile(uri: string, text: string, tree?: Tree): boolean {
    return this.setSummary(this.summarize(uri, text, tree));
  }

  /** The summary of a file, without adding it (a worker computes, the coordinator adds). */
  summaryFor(uri: string, text: string): FileSummary {
    return this.summarize(uri, text);
  }

  /** Adds a summary made by summaryFor (possibly in another thread). */
  setSummary(summary: FileSummary): boolean {
    const uri = summary.uri;
    const old = this.files.get(uri);
    this.files.set(uri, summary);
    return !old || old.fingerprint !== summary.fingerprint;
  }

  removeFile(uri: string): boolean { return this.files.delete(uri); }
  has(uri: string): boolean { return this.files.has(uri); }
  fileCount(): number { return this.files.size; }
  uris(): string[] { return [...this.files.keys()]; }
  summaries(): FileSummary[] { return [...this.files.values()]; }

  /** Whether a file can define a helper: it names a version check or a gate somewhere. */
  private mayDefineHelpers(text: string): boolean {
    return this.policy.versionChecks.some((c) => text.includes(c)) || this.policy.gates.some((g) => text.includes(g.split('.').pop() ?? g));
  }

  private summarize(uri: string, text: string, given?: Tree): FileSummary {
    if (!this.mayDefineHelpers(text)) return summarizeText(uri, text);
    const tree = given ?? parsePython(text);
    clearParents();
    try {
      const model = buildFileModel(tree, text);
      const scope = new FileScope(uri, model, this.policy, loadFeatureDb(), undefined);
      const constants = new Map<string, VersionNumber>();
      for (const [name, value] of model.constants) {
        if (!/^[A-Z][A-Z0-9_]*$/.test(name)) continue;
        const v = scope.resolveVersion(value);
        if (v !== undefined) constants.set(name, v);
      }
      const helpers = new Map<string, { cond: Cond; isProperty: boolean }>();
      const names = [...this.policy.versionChecks, ...this.policy.gates.map((g) => g.split('.').pop() ?? g)];
      for (const fn of model.functions) {
        // Only a function that names a check or a gate can return one (or a helper that does).
        const body = text.slice(fn.node.startIndex, fn.node.endIndex);
        if (!names.some((n) => body.includes(n)) && !/return\s+[^\n]*\b_?\w+\(/.test(body)) continue;
        const cond = scope.functionCond(fn);
        if (cond && !helpers.has(fn.name)) helpers.set(fn.name, { cond: stripNodes(cond), isProperty: fn.isProperty });
      }
      return summaryOf(uri, constants, helpers, new Set(model.classes.keys()), new Set(countWords(text).keys()));
    } finally {
      clearParents();
      if (!given) tree.delete();
    }
  }

  /** A module constant by name; `module` (dotted, as imported) narrows which file, when given and found. */
  constant(name: string, module?: string): VersionNumber | undefined {
    let any: VersionNumber | undefined;
    let count = 0;
    const wanted = module?.replace(/^\.+/, '');
    for (const f of this.files.values()) {
      const v = f.constants.get(name);
      if (v === undefined) continue;
      if (wanted && f.moduleNames.includes(wanted)) return v;
      any = v;
      count++;
    }
    // Without a module, a name defined with one value only is unambiguous.
    return count >= 1 ? any : undefined;
  }

  /** The condition a helper of another file returns (a call, or a property when `isCall` is false). */
  helperCond(name: string, isCall: boolean, exceptUri: string): Cond | undefined {
    for (const f of this.files.values()) {
      if (f.uri === exceptUri) continue;
      const h = f.helpers.get(name);
      if (h && h.isProperty === !isCall) return h.cond;
    }
    return undefined;
  }

  isWorkspaceClass(name: string): boolean {
    for (const f of this.files.values()) if (f.classes.has(name)) return true;
    return false;
  }

  /** Whether a name is used in any other file (so its callers are not all known). */
  referencedOutside(name: string, uri: string): boolean {
    for (const f of this.files.values()) if (f.uri !== uri && f.identifiers.has(name)) return true;
    return false;
  }

  /** `MIN_LIBVIRT_VERSION` / `MIN_QEMU_VERSION` found at module level in the workspace (policy min-version "auto"). */
  autoMinimum(): { libvirt?: AutoMinimum; qemu?: AutoMinimum } {
    const out: { libvirt?: AutoMinimum; qemu?: AutoMinimum } = {};
    for (const f of [...this.files.values()].sort((a, b) => a.uri.localeCompare(b.uri))) {
      const lv = f.constants.get('MIN_LIBVIRT_VERSION');
      const qemu = f.constants.get('MIN_QEMU_VERSION');
      if (lv !== undefined && !out.libvirt) out.libvirt = { version: lv, uri: f.uri };
      if (qemu !== undefined && !out.qemu) out.qemu = { version: qemu, uri: f.uri };
    }
    return out;
  }
}
