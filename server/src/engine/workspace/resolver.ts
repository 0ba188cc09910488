// Resolution of one file's imports against the summaries of the workspace: which file a
// module reference names, what a name of that module is (a submodule, a definition, a
// re-export, a star import), the classes and their bases, and who imports whom. Every answer
// depends only on the files the question names, so unrelated files never change a result.
import type { Cond } from '../semantic/conditions';
import { childRef, type ModuleRef, type NameRef } from '../semantic/moduleRefs';
import type { ClassRef, LocatedXmlClass } from '../semantic/workspaceFacts';
import type { VersionNumber } from '../types';
import type { FileSummary } from './summarize';
import type { HelperSummary } from './summaryTypes';
import { maxLineage, templatesOf, type XmlConfigClass, type XmlTemplate } from '../semantic/xml/configClasses';
import type { ElementFactory } from '../semantic/xml/elementBuilders';
import { rootStep } from '../semantic/xml/xmlPaths';

/** What a helper answers: what it returns, or (`post`) what holds once a call of it returned. */
const answer = (h: HelperSummary, post: boolean): Cond | undefined => (post ? h.post : h.cond);

/** How far re-exports and base classes are followed (cycles stop earlier). */
const maxDepth = 8;

/** What a name of a module turned out to be. */
export type Resolved =
  | { readonly kind: 'module'; readonly uri: string }
  | { readonly kind: 'name'; readonly uri: string; readonly name: string };

/** The summary facts resolution needs (a summary without its word list will do). */
export type ResolvableSummary = Omit<FileSummary, 'identifiers'>;

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '' : path.slice(0, slash);
}

function commonPrefixLength(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * The targets a template writes (see WorkspaceFacts.xmlConfigAttributeTargets): its element
 * (for the root, each of `roots`), its attribute, and its value (a value read from the object:
 * as set there, or any default in `defaults`).
 */
function templateTargets(
  tpl: XmlTemplate,
  roots: readonly string[],
  defaults: ReadonlyMap<string, ReadonlySet<string>>,
): string[] {
  const element = tpl.chain[tpl.chain.length - 1]?.name ?? rootStep;
  const attribute = tpl.attribute ?? '';
  const v = tpl.value;
  const values =
    v?.k === 'literal'
      ? [`=${v.value}`]
      : v?.k === 'self'
        ? [`@${v.attr}`, ...[...(defaults.get(v.attr) ?? [])].map((d) => `=${d}`)]
        : [''];
  const elements = element === rootStep ? roots : [element];
  return elements.flatMap((e) => values.map((value) => `${e}|${attribute}|${value}`));
}

export class ModuleResolver {
  private readonly byPath = new Map<string, ResolvableSummary>();
  /** File stem (`host` for host.py, the folder name for __init__.py) → files. */
  private readonly byStem = new Map<string, ResolvableSummary[]>();
  private readonly byUri = new Map<string, ResolvableSummary>();
  private readonly moduleCache = new Map<string, string | null>();
  private readonly locatedXmlClasses = new WeakMap<XmlConfigClass, LocatedXmlClass>();
  /** Attribute → what config classes write from it (see xmlConfigAttributeTargets). */
  private xmlAttributes: Map<string, readonly string[]> | undefined;
  /** By located class: what constructing an object of it writes (see xmlConstructionTargets). */
  private readonly constructionTargets = new WeakMap<LocatedXmlClass, readonly string[]>();
  private raisingHelpers: Set<string> | undefined;
  private helperNames: Set<string> | undefined;
  private factoryNames: readonly string[] | undefined;
  private importers: Map<string, Set<string>> | undefined;

  constructor(summaries: Iterable<ResolvableSummary>) {
    for (const s of summaries) this.add(s);
  }

  private add(s: ResolvableSummary): void {
    this.byUri.set(s.uri, s);
    this.byPath.set(s.path, s);
    const file = s.path.slice(s.path.lastIndexOf('/') + 1);
    const stem =
      file === '__init__.py' ? dirOf(s.path).slice(dirOf(s.path).lastIndexOf('/') + 1) : file.replace(/\.py$/, '');
    const list = this.byStem.get(stem);
    if (list) list.push(s);
    else this.byStem.set(stem, [s]);
  }

  summary(uri: string): ResolvableSummary | undefined {
    return this.byUri.get(uri);
  }

  /**
   * The file a module reference names, seen from `fromUri`: a relative import's path exactly;
   * a dotted name by the file whose path ends with it (`a/b/c.py` or `a/b/c/__init__.py`),
   * the one nearest the importing file when several do.
   */
  moduleFile(fromUri: string, ref: ModuleRef): ResolvableSummary | undefined {
    if (ref.startsWith('/')) return this.byPath.get(`${ref}.py`) ?? this.byPath.get(`${ref}/__init__.py`);
    const from = this.byUri.get(fromUri)?.path ?? fromUri;
    const key = `${dirOf(from)}\n${ref}`;
    const cached = this.moduleCache.get(key);
    if (cached !== undefined) return cached === null ? undefined : this.byUri.get(cached);
    const parts = ref.split('.');
    const stem = parts[parts.length - 1] ?? ref;
    const suffixes = [`/${parts.join('/')}.py`, `/${parts.join('/')}/__init__.py`];
    let best: ResolvableSummary | undefined;
    let bestScore = -1;
    for (const s of this.byStem.get(stem) ?? []) {
      if (!suffixes.some((suffix) => s.path.endsWith(suffix))) continue;
      const score = commonPrefixLength(dirOf(s.path), dirOf(from));
      if (
        score > bestScore ||
        (score === bestScore &&
          best &&
          (s.path.length < best.path.length || (s.path.length === best.path.length && s.path < best.path)))
      ) {
        best = s;
        bestScore = score;
      }
    }
    this.moduleCache.set(key, best ? best.uri : null);
    return best;
  }

  /** What `name` of module `ref` is: a submodule, or a name defined (or re-exported) by a file. */
  resolve(fromUri: string, ref: ModuleRef, name: string, depth = 0): Resolved | undefined {
    if (depth > maxDepth) return undefined;
    const file = this.moduleFile(fromUri, ref);
    if (file) {
      if (file.definitions.includes(name) || file.classes.has(name)) return { kind: 'name', uri: file.uri, name };
      const binding = file.imports.find((b) => b.local === name);
      if (binding) {
        if (binding.name === undefined) {
          const target = this.moduleFile(file.uri, binding.module);
          return target ? { kind: 'module', uri: target.uri } : undefined;
        }
        return this.resolve(file.uri, binding.module, binding.name, depth + 1);
      }
    }
    const sub = this.moduleFile(fromUri, childRef(ref, name));
    if (sub) return { kind: 'module', uri: sub.uri };
    for (const star of file?.stars ?? []) {
      const found = this.resolve(file?.uri ?? fromUri, star, name, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  constant(fromUri: string, ref: ModuleRef, name: string): VersionNumber | undefined {
    const r = this.resolve(fromUri, ref, name);
    return r?.kind === 'name' ? this.byUri.get(r.uri)?.constants.get(r.name) : undefined;
  }

  moduleHelperCond(fromUri: string, ref: ModuleRef, name: string, post = false): Cond | undefined {
    const r = this.resolve(fromUri, ref, name);
    if (r?.kind !== 'name') return undefined;
    const h = this.byUri.get(r.uri)?.moduleHelpers.get(r.name);
    return h && !h.isProperty ? answer(h, post) : undefined;
  }

  moduleFlagCond(fromUri: string, ref: ModuleRef, name: string): Cond | undefined {
    const r = this.resolve(fromUri, ref, name);
    return r?.kind === 'name' ? this.byUri.get(r.uri)?.moduleFlags.get(r.name) : undefined;
  }

  classOf(fromUri: string, ref: ModuleRef, name: string): ClassRef | undefined {
    const r = this.resolve(fromUri, ref, name);
    return r?.kind === 'name' && this.byUri.get(r.uri)?.classes.has(r.name) ? { uri: r.uri, name: r.name } : undefined;
  }

  /** A config class: `name` of module `ref` as `fromUri` imports it, or (no module) one `fromUri` defines. */
  xmlConfigClass(fromUri: string, ref: ModuleRef | undefined, name: string): LocatedXmlClass | undefined {
    const found = (uri: string, className: string): LocatedXmlClass | undefined => {
      const cls = this.byUri.get(uri)?.xmlClasses.find((c) => c.name === className);
      if (!cls) return undefined;
      // One located object per summary's class: asked again by every file that uses it.
      let located = this.locatedXmlClasses.get(cls);
      if (located?.uri !== uri) this.locatedXmlClasses.set(cls, (located = { ...cls, uri }));
      return located;
    };
    if (ref === undefined) return found(fromUri, name);
    const r = this.resolve(fromUri, ref, name);
    return r?.kind === 'name' ? found(r.uri, r.name) : undefined;
  }

  /** The names of every file's functions and methods that are helpers and `keep` keeps. */
  private helperNamesWhere(keep: (h: HelperSummary) => boolean): Set<string> {
    const names = new Set<string>();
    const add = (helpers: ReadonlyMap<string, HelperSummary>): void => {
      for (const [helper, h] of helpers) if (keep(h)) names.add(helper);
    };
    for (const s of this.byUri.values()) {
      add(s.moduleHelpers);
      for (const c of s.classes.values()) add(c.helpers);
    }
    return names;
  }

  /** Whether a function or method of that name in any file is a helper (see HelperSummary). */
  private isHelperName(name: string): boolean {
    this.helperNames ??= this.helperNamesWhere(() => true);
    return this.helperNames.has(name);
  }

  /** Whether a function or method of that name in any file raises unless a check holds. */
  raisesUnlessChecked(name: string): boolean {
    this.raisingHelpers ??= this.helperNamesWhere((h) => Boolean(h.post));
    return this.raisingHelpers.has(name);
  }

  /** An element factory: the module-level function `name` of module `ref`, as `fromUri` imports it. */
  elementFactory(fromUri: string, ref: ModuleRef, name: string): ElementFactory | undefined {
    const r = this.resolve(fromUri, ref, name);
    return r?.kind === 'name' ? this.byUri.get(r.uri)?.elementFactories.get(r.name) : undefined;
  }

  /** The names of every file's module-level element factories, sorted. */
  elementFactoryNames(): readonly string[] {
    if (!this.factoryNames) {
      const names = new Set<string>();
      for (const s of this.byUri.values()) for (const name of s.elementFactories.keys()) names.add(name);
      this.factoryNames = [...names].sort();
    }
    return this.factoryNames;
  }

  /** Whether a config class of any file writes XML from an attribute named `attr`. */
  writesXmlConfigAttribute(attr: string): boolean {
    return this.configAttributes().has(attr);
  }

  /** What config classes of any file write from an attribute named `attr` (see WorkspaceFacts). */
  xmlConfigAttributeTargets(attr: string): readonly string[] {
    return this.configAttributes().get(attr) ?? [];
  }

  /**
   * What constructing an object of the class `name` (of `module`, as `fromUri` imports it; no
   * module: defined in `fromUri`) writes, as targets (see WorkspaceFacts); undefined when it is
   * no config class of the workspace.
   */
  xmlConstructionTargets(fromUri: string, module: ModuleRef | undefined, name: string): readonly string[] | undefined {
    const top = this.xmlConfigClass(fromUri, module, name);
    if (!top) return undefined;
    let known = this.constructionTargets.get(top);
    if (known) return known;
    // The lineage, nearest first, as ConfigClassIndex walks it (bases named as their file names them).
    const lineage: XmlConfigClass[] = [];
    const seen = new Set<string>();
    const walk = (cls: LocatedXmlClass, depth: number): void => {
      if (depth > maxLineage || seen.has(`${cls.uri}#${cls.name}`)) return;
      seen.add(`${cls.uri}#${cls.name}`);
      lineage.push(cls);
      for (const b of cls.bases) {
        const base = this.xmlConfigClass(cls.uri, b.module, b.name);
        if (base) walk(base, depth + 1);
      }
    };
    walk(top, 0);
    const rootPath = lineage.find((c) => c.root !== undefined)?.root;
    const roots = rootPath === undefined ? [] : [rootPath.slice(rootPath.lastIndexOf('/') + 1)];
    const defaults = new Map<string, Set<string>>();
    for (const c of lineage)
      for (const [a, v] of Object.entries(c.defaults)) {
        let set = defaults.get(a);
        if (!set) defaults.set(a, (set = new Set()));
        set.add(v);
      }
    const out = new Set<string>();
    for (const c of lineage)
      for (const tpl of c.always) for (const x of templateTargets(tpl, roots, defaults)) out.add(x);
    for (const a of defaults.keys())
      for (const c of lineage)
        for (const tpl of templatesOf(c, a)) for (const x of templateTargets(tpl, roots, defaults)) out.add(x);
    known = [...out].sort();
    this.constructionTargets.set(top, known);
    return known;
  }

  private configAttributes(): Map<string, readonly string[]> {
    if (!this.xmlAttributes) {
      const sets = new Map<string, Set<string>>();
      // A template's root element is the root of the class of the object (a subclass's, maybe):
      // any class's root (none: it writes nothing). A root given as a path ends in the element.
      const roots = new Set<string>();
      /** Attribute → the literal values classes' `__init__` give it. */
      const defaults = new Map<string, Set<string>>();
      for (const s of this.byUri.values())
        for (const c of s.xmlClasses) {
          if (c.root !== undefined) roots.add(c.root.slice(c.root.lastIndexOf('/') + 1));
          for (const [a, v] of Object.entries(c.defaults)) {
            let set = defaults.get(a);
            if (!set) defaults.set(a, (set = new Set()));
            set.add(v);
          }
        }
      const rootList = [...roots];
      for (const s of this.byUri.values())
        for (const c of s.xmlClasses)
          for (const [a, templates] of Object.entries(c.attributes)) {
            let set = sets.get(a);
            if (!set) sets.set(a, (set = new Set()));
            for (const tpl of templates) for (const x of templateTargets(tpl, rootList, defaults)) set.add(x);
          }
      this.xmlAttributes = new Map([...sets].map(([a, set]) => [a, [...set].sort()]));
    }
    return this.xmlAttributes;
  }

  /** A class named by a base reference of a class in `uri`. */
  private baseClass(uri: string, base: NameRef): ClassRef | undefined {
    if (base.module === undefined)
      return this.byUri.get(uri)?.classes.has(base.name) ? { uri, name: base.name } : undefined;
    return this.classOf(uri, base.module, base.name);
  }

  methodCond(cls: ClassRef, method: string, isProperty: boolean, post = false, depth = 0): Cond | undefined {
    if (depth > maxDepth) return undefined;
    const summary = this.byUri.get(cls.uri)?.classes.get(cls.name);
    if (!summary) return undefined;
    const own = summary.helpers.get(method);
    if (own) return own.isProperty === isProperty ? answer(own, post) : undefined;
    for (const base of summary.bases) {
      const baseRef = this.baseClass(cls.uri, base);
      const found = baseRef ? this.methodCond(baseRef, method, isProperty, post, depth + 1) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  helperInModules(
    fromUri: string,
    modules: readonly ModuleRef[],
    name: string,
    isCall: boolean,
    post = false,
  ): Cond | undefined {
    // Most names asked (every method called on a receiver of unknown type) are no helper anywhere.
    if (!this.isHelperName(name)) return undefined;
    const of = (h: HelperSummary | undefined): Cond | undefined =>
      h && h.isProperty === !isCall ? answer(h, post) : undefined;
    const seen = new Set<string>();
    for (const ref of modules) {
      const file = this.moduleFile(fromUri, ref);
      if (!file || seen.has(file.uri) || file.uri === fromUri) continue;
      seen.add(file.uri);
      const h = of(file.moduleHelpers.get(name));
      if (h) return h;
      for (const c of file.classes.values()) {
        const m = of(c.helpers.get(name));
        if (m) return m;
      }
    }
    return undefined;
  }

  /** Files that import each file (by module, by a name it defines, or through a star). */
  importersOf(uri: string): ReadonlySet<string> {
    this.importers ??= this.buildImporters();
    return this.importers.get(uri) ?? new Set();
  }

  private buildImporters(): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    const link = (target: string | undefined, importer: string) => {
      if (target === undefined || target === importer) return;
      const set = out.get(target);
      if (set) set.add(importer);
      else out.set(target, new Set([importer]));
    };
    for (const s of this.byUri.values()) {
      for (const b of s.imports) {
        link(this.moduleFile(s.uri, b.module)?.uri, s.uri);
        if (b.name !== undefined) link(this.resolve(s.uri, b.module, b.name)?.uri, s.uri);
      }
      for (const star of s.stars) link(this.moduleFile(s.uri, star)?.uri, s.uri);
    }
    return out;
  }
}
