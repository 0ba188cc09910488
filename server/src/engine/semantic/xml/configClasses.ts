// Config classes, in the style where driver code sets attributes that a class later writes
// as XML (`disk.driver_discard = 'unmap'`, then `drv.set('discard', self.driver_discard)` in
// `format_dom`). From each class: its root element (`root_name`), its bases, and for each
// attribute the XML its writes emit when the attribute is set. Summaries are plain data: the
// workspace index keeps them per file and answers "which class" by name and module.
import { Field, NodeKind, callArguments, calleeName, unparen, type NodeId } from '../../syntax/index';
import { blockAssignments, type FileModel } from '../fileModel';
import type { FileSemantics } from '../fileSemantics';
import { childRef, type ImportBinding, type ModuleRef } from '../moduleRefs';
import { ElementTracker, type BuilderWrite } from './elementBuilders';
import { assignedValue, selfAttribute, stringValue } from './literals';
import { rootStep, type AttrSource, type XmlStep } from './xmlPaths';

/** A class as code names it: its name and the module it is imported from (none: defined in the file). */
export interface ClassRef {
  readonly name: string;
  readonly module?: ModuleRef;
}

/** What setting one attribute of a config object emits: an element, or an attribute of one. */
export interface XmlTemplate {
  /** From the class's root (`$root`) or the outermost element the class names. */
  readonly chain: readonly XmlStep[];
  readonly attribute?: string;
  /** The value written (`{ k: 'self', attr }`: the value of that attribute of the object). */
  readonly value?: AttrSource;
  /** Emitted only when the attribute is set to this literal (`if self.net_type == 'vhostuser':`). */
  readonly equals?: string;
}

/** How many bases deep a class's lineage is followed. */
export const maxLineage = 6;

/** The templates of one attribute (own properties only: summaries may come through structured clone). */
export function templatesOf(cls: XmlConfigClass, attr: string): readonly XmlTemplate[] {
  return Object.hasOwn(cls.attributes, attr) ? (cls.attributes[attr] ?? []) : [];
}

export interface XmlConfigClass {
  readonly name: string;
  /** The root element its `format_dom` starts from (`root_name='disk'`), if it says. */
  readonly root?: string;
  readonly bases: readonly ClassRef[];
  /** It defines `format_dom`. */
  readonly formatsXml: boolean;
  /** What its `format_dom` writes whatever the attributes: emitted where an object is constructed. */
  readonly always: readonly XmlTemplate[];
  /** Literal values `__init__` gives attributes: a new object emits what setting them emits. */
  readonly defaults: Readonly<Record<string, string>>;
  /** Attribute → what assigning it a non-None value emits. */
  readonly attributes: Readonly<Record<string, readonly XmlTemplate[]>>;
  /**
   * Its root is in another XML namespace (`root_name='port', ns_prefix='nova', ns_uri=NOVA_NS`:
   * Nova's own metadata): it writes no libvirt XML, nor does a subclass. Its templates are empty.
   */
  readonly foreign?: true;
  /**
   * Attributes that hold an object of another config class, written below this one's root
   * (virtinst's `source = XMLChildProperty(_DiskSource, relative_xpath='./backend')`): setting
   * an attribute of it (`disk.source.file = path`) emits what that class writes, there.
   */
  readonly children?: Readonly<Record<string, XmlChild>>;
}

/** A child object's class (as the defining file names it) and the elements between the root and its root. */
interface XmlChild {
  readonly cls: ClassRef;
  readonly steps: readonly string[];
}

/** `from nova.virt.libvirt import config as vconfig` → `vconfig` ↦ the module nova.virt.libvirt.config. */
function importedModule(imports: ReadonlyMap<string, ImportBinding>, local: string): ModuleRef | undefined {
  const imp = imports.get(local);
  if (!imp) return undefined;
  return imp.name === undefined ? imp.module : childRef(imp.module, imp.name);
}

/**
 * The class `name` (capitalized, else none), named alone or on `obj` (`Disk`, `vconfig.Disk`),
 * with the module the file's imports give it. The workspace summary of a file read from its
 * tokens names classes this way too.
 */
export function classRefOfName(
  imports: ReadonlyMap<string, ImportBinding>,
  obj: string | undefined,
  name: string,
): ClassRef | undefined {
  if (!/^[A-Z]/.test(name)) return undefined;
  if (obj === undefined) {
    const module = imports.get(name)?.module;
    return module === undefined ? { name } : { name, module };
  }
  return { name, module: importedModule(imports, obj) ?? obj };
}

/** A class named by an expression: `Disk`, `vconfig.Disk` (with the module it comes from). */
export function classRefOf(sem: FileSemantics, expr: NodeId): ClassRef | undefined {
  const t = sem.tree;
  const n = unparen(t, expr);
  const kind = t.kind(n);
  const imports = sem.model.foreignImports;
  if (kind === NodeKind.Identifier) return classRefOfName(imports, undefined, t.text(n));
  if (kind === NodeKind.Attribute) {
    const obj = t.field(n, Field.Object);
    const attr = t.field(n, Field.Attribute);
    if (obj === undefined || attr === undefined || t.kind(obj) !== NodeKind.Identifier) return undefined;
    return classRefOfName(imports, t.text(obj), t.text(attr));
  }
  return undefined;
}

/** Keyword arguments that put a config object's root in an XML namespace (Nova's LibvirtConfigObject). */
const namespaceKeywords = ['ns_uri', 'ns_prefix'];

/**
 * `root_name = 'x'` in the class body, or `root_name='x'` / `self.root_name = 'x'` in `__init__`;
 * `foreign` when the `__init__` call that names the root also gives it a namespace.
 */
function rootNameOf(
  sem: FileSemantics,
  classNode: NodeId,
  className: string,
): { root?: string; foreign?: true } | undefined {
  const t = sem.tree;
  const body = t.field(classNode, Field.Body);
  const named = (root: string | undefined) => (root === undefined ? undefined : { root });
  for (const { name, value } of body === undefined ? [] : blockAssignments(t, body))
    if (name === 'root_name' || name === declaredRootName) return named(stringValue(t, value));
  const init = sem.model.functionsByName.get('__init__')?.find((f) => f.className === className);
  if (!init) return undefined;
  for (const node of t.descendantsOfKind(init.node, [NodeKind.Call, NodeKind.Assignment])) {
    if (t.kind(node) === NodeKind.Call) {
      const keywords = callArguments(t, node).keyword;
      const arg = keywords.get('root_name');
      const v = arg === undefined ? undefined : stringValue(t, arg);
      if (v === undefined || calleeName(t, node) !== '__init__') continue;
      const namespaced = namespaceKeywords.some((k) => {
        const given = keywords.get(k);
        return given !== undefined && t.text(unparen(t, given)) !== 'None';
      });
      return namespaced ? { root: v, foreign: true } : { root: v };
    } else {
      const left = t.field(node, Field.Left);
      const right = t.field(node, Field.Right);
      if (left !== undefined && right !== undefined && t.text(left).replace(/\s+/g, '') === 'self.root_name')
        return named(stringValue(t, right));
    }
  }
  return undefined;
}

/** The class attribute that names a class's root element in the declared style (virt-manager's virtinst: `XML_NAME = 'disk'`). */
const declaredRootName = 'XML_NAME';

/** One step of a declared property's XPath: `driver`, `entry[@name='date']`. */
const xpathStep = /^([A-Za-z_][\w.-]*)((?:\[@[A-Za-z_][\w.-]*=(?:'[^']*'|"[^"]*")\])*)$/;
const xpathPredicate = /\[@([A-Za-z_][\w.-]*)=(?:'([^']*)'|"([^"]*)")\]/g;

/**
 * What a declared property's XPath writes below the class's root: `./driver/@discard` (the
 * `driver` element's `discard` attribute), `./serial` (an element), `./@type`,
 * `./bios/entry[@name='date']`. Undefined for any other form (`.`, `..`, a prefixed name, a
 * function): no guess.
 */
export function declaredXPath(xpath: string): { steps: XmlStep[]; attribute?: string } | undefined {
  if (!xpath.startsWith('./')) return undefined;
  const parts = xpath.slice(2).split('/');
  const last = parts[parts.length - 1] ?? '';
  const attribute = last.startsWith('@') ? last.slice(1) : undefined;
  if (attribute !== undefined && !/^[A-Za-z_][\w.-]*$/.test(attribute)) return undefined;
  const elements = attribute === undefined ? parts : parts.slice(0, -1);
  if (!elements.length && attribute === undefined) return undefined;
  const steps: XmlStep[] = [];
  for (const part of elements) {
    const m = xpathStep.exec(part);
    if (!m) return undefined;
    const attrs = Object.create(null) as Record<string, AttrSource>;
    for (const p of (m[2] ?? '').matchAll(xpathPredicate))
      attrs[p[1] ?? ''] = { k: 'literal', value: p[2] ?? p[3] ?? '' };
    steps.push({ name: m[1] ?? '', attrs });
  }
  return attribute === undefined ? { steps } : { steps, attribute };
}

/** Class-body assignments of a call of a name ending in `Property` (`x = XMLProperty(...)`), with that name. */
function* propertyDeclarations(
  sem: FileSemantics,
  classNode: NodeId,
): Generator<{ name: string; call: NodeId; callee: string }> {
  const t = sem.tree;
  const body = t.field(classNode, Field.Body);
  for (const { name, value } of body === undefined ? [] : blockAssignments(t, body)) {
    const call = unparen(t, value);
    const callee = t.kind(call) === NodeKind.Call ? calleeName(t, call) : undefined;
    if (callee?.endsWith('Property') && name !== '__proto__') yield { name, call, callee };
  }
}

/**
 * Child objects a class declares (`source = XMLChildProperty(_DiskSource, is_single=True,
 * relative_xpath='./backend')`): a class-body call of a name ending in `ChildProperty` whose
 * first argument names a class; `relative_xpath`, when given, must be `.` or plain element steps.
 */
function declaredChildren(sem: FileSemantics, classNode: NodeId): Record<string, XmlChild> {
  const t = sem.tree;
  const out = Object.create(null) as Record<string, XmlChild>;
  for (const { name, call, callee } of propertyDeclarations(sem, classNode)) {
    if (!callee.endsWith('ChildProperty')) continue;
    const args = callArguments(t, call);
    const first = args.positional[0];
    // A class of this file may be private (`_DiskSource`): named alone, it is that one.
    const own = first !== undefined && t.kind(first) === NodeKind.Identifier ? t.text(first) : undefined;
    const cls =
      own !== undefined && sem.model.classes.has(own)
        ? { name: own }
        : first === undefined
          ? undefined
          : classRefOf(sem, first);
    const relative = args.keyword.get('relative_xpath') ?? args.positional[1];
    const xpath = relative === undefined ? '.' : stringValue(t, relative);
    const path = xpath === '.' ? { steps: [] } : xpath === undefined ? undefined : declaredXPath(xpath);
    if (!cls || !path || path.attribute !== undefined || path.steps.some((s) => Object.keys(s.attrs).length)) continue;
    out[name] = { cls, steps: path.steps.map((s) => s.name) };
  }
  return out;
}

/**
 * Attributes a class declares with the XPath they write (virtinst's `driver_discard =
 * XMLProperty('./driver/@discard')`): a class-body assignment of a call of a name ending in
 * `Property` whose first argument is a relative XPath. Setting the attribute to a value writes
 * that value there (an element's text, when the path ends in an element).
 */
function declaredProperties(sem: FileSemantics, classNode: NodeId): Record<string, XmlTemplate[]> {
  const t = sem.tree;
  const declared: { name: string; steps: XmlStep[]; attribute?: string }[] = [];
  for (const { name, call } of propertyDeclarations(sem, classNode)) {
    const first = callArguments(t, call).positional[0];
    const xpath = first === undefined ? undefined : stringValue(t, first);
    const path = xpath === undefined ? undefined : declaredXPath(xpath);
    if (path) declared.push({ name, ...path });
  }
  // The attributes the class declares on each of its elements (by path below the root): an
  // element of a template carries them, as format_dom's `set` calls do, for the table's
  // context-dependent rows (`./driver/@queues` on an interface whose `./@type` is 'vhostuser').
  const byElement = new Map<string, Record<string, AttrSource>>();
  const elementKey = (steps: readonly XmlStep[], n: number): string =>
    steps
      .slice(0, n)
      .map((s) => s.name)
      .join('/');
  for (const d of declared) {
    if (d.attribute === undefined) continue;
    const key = elementKey(d.steps, d.steps.length);
    let attrs = byElement.get(key);
    if (!attrs) byElement.set(key, (attrs = Object.create(null) as Record<string, AttrSource>));
    attrs[d.attribute] ??= { k: 'self', attr: d.name };
  }
  /** The attributes of the element `n` steps down `steps`: those declared on it, then its own predicates. */
  const withContext = (steps: readonly XmlStep[], n: number): Record<string, AttrSource> => {
    const attrs = Object.assign(Object.create(null) as Record<string, AttrSource>, byElement.get(elementKey(steps, n)));
    return Object.assign(attrs, n > 0 ? steps[n - 1]?.attrs : undefined);
  };
  const out = Object.create(null) as Record<string, XmlTemplate[]>;
  for (const d of declared) {
    const chain: XmlStep[] = [{ name: rootStep, attrs: withContext(d.steps, 0) }];
    d.steps.forEach((step, i) => chain.push({ name: step.name, attrs: withContext(d.steps, i + 1) }));
    const template: XmlTemplate =
      d.attribute === undefined ? { chain } : { chain, attribute: d.attribute, value: { k: 'self', attr: d.name } };
    (out[d.name] ??= []).push(template);
  }
  return out;
}

/** The literal values `__init__` gives attributes (`self.source_type = 'file'`); falsy ones are left out. */
function initDefaults(sem: FileSemantics, className: string): Record<string, string> {
  const t = sem.tree;
  const out = Object.create(null) as Record<string, string>;
  const init = sem.model.functionsByName.get('__init__')?.find((f) => f.className === className);
  for (const a of init === undefined ? [] : t.descendantsOfKind(init.node, NodeKind.Assignment)) {
    const left = t.field(a, Field.Left);
    const right = t.field(a, Field.Right);
    const attr = left === undefined ? undefined : selfAttribute(t, left);
    const value = right === undefined ? undefined : assignedValue(sem, right);
    if (attr !== undefined && attr !== 'root_name' && value?.set && value.literal !== undefined)
      out[attr] = value.literal;
  }
  return out;
}

/**
 * The config classes a file defines: classes with a `format_dom`, a root name, XML writes, or
 * bases. In a file that never names `format_dom` (`subclassesOnly`), only classes with bases:
 * a subclass of another file's config class (`class UnmapDisk(vconfig.LibvirtConfigGuestDisk)`
 * that only changes `__init__` defaults) is one, and the others cannot be.
 */
function configClassesOf(
  sem: FileSemantics,
  writes: readonly BuilderWrite[],
  subclassesOnly = false,
  /** The file declares roots (`XML_NAME`): its classes' declared properties are read. */
  declares = false,
): Map<string, XmlConfigClass> {
  const t = sem.tree;
  const out = new Map<string, XmlConfigClass>();
  const byClass = new Map<string, Record<string, XmlTemplate[]>>();
  const always = new Map<string, XmlTemplate[]>();
  for (const w of writes) {
    if (w.className === undefined) continue;
    const base: XmlTemplate = {
      chain: w.chain,
      ...(w.attribute !== undefined ? { attribute: w.attribute } : {}),
      ...(w.value ? { value: w.value } : {}),
    };
    if (!w.deps.length) {
      const list = always.get(w.className);
      if (list) list.push(base);
      else always.set(w.className, [base]);
      continue;
    }
    let attrs = byClass.get(w.className);
    // No prototype: an attribute may be called `constructor`.
    if (!attrs) byClass.set(w.className, (attrs = Object.create(null) as Record<string, XmlTemplate[]>));
    for (const d of w.deps) {
      const template: XmlTemplate = d.equals !== undefined ? { ...base, equals: d.equals } : base;
      const list = attrs[d.attr];
      if (list) list.push(template);
      else attrs[d.attr] = [template];
    }
  }
  for (const [name, node] of sem.model.classes) {
    const supers = t.field(node, Field.Superclasses);
    const bases = (supers === undefined ? [] : t.children(supers))
      .map((b) => classRefOf(sem, b))
      .filter((b): b is ClassRef => b !== undefined);
    if (subclassesOnly && !bases.length) continue;
    const { root, foreign } = rootNameOf(sem, node, name) ?? {};
    let attributes: Record<string, XmlTemplate[]> = byClass.get(name) ?? {};
    const declared = declares ? Object.entries(declaredProperties(sem, node)) : [];
    if (declared.length) {
      // No prototype: an attribute may be called `constructor`.
      attributes = Object.assign(Object.create(null) as Record<string, XmlTemplate[]>, attributes);
      for (const [attr, templates] of declared) attributes[attr] = [...(attributes[attr] ?? []), ...templates];
    }
    const hasFormatDom = sem.model.functionsByName.get('format_dom')?.some((f) => f.className === name) ?? false;
    const children = declares ? declaredChildren(sem, node) : undefined;
    if (!hasFormatDom && root === undefined && !Object.keys(attributes).length && !bases.length) continue;
    out.set(name, {
      name,
      ...(root !== undefined ? { root } : {}),
      bases,
      formatsXml: hasFormatDom,
      // A namespaced root writes no libvirt XML: nothing to emit where its objects are used.
      always: foreign ? [] : (always.get(name) ?? []),
      defaults: foreign ? {} : initDefaults(sem, name),
      attributes: foreign ? {} : attributes,
      ...(foreign ? { foreign } : {}),
      ...(!foreign && children && Object.keys(children).length ? { children } : {}),
    });
  }
  return out;
}

/**
 * Whether a file names `format_dom` (a config class defines it, a subclass calls it): without
 * the word, only its subclasses can be config classes. Asked of the file's word counts, which
 * are counted only when its text contains the word.
 */
function namesFormatDom(model: FileModel): boolean {
  return model.mentions('format_dom');
}

/** Whether a file names a declared root (`XML_NAME`): then its classes may declare XML properties. */
function namesDeclaredRoot(model: FileModel): boolean {
  return model.mentions(declaredRootName);
}

/** Whether the file defines a class with a base a class name can resolve (`Foo`, `mod.Foo`). */
function definesSubclass(sem: FileSemantics): boolean {
  const t = sem.tree;
  for (const node of sem.model.classes.values()) {
    const supers = t.field(node, Field.Superclasses);
    for (const b of supers === undefined ? [] : t.children(supers)) if (classRefOf(sem, b)) return true;
  }
  return false;
}

/**
 * A file's XML builder writes, and the config classes it defines: all of them in a file that
 * names `format_dom`, else its subclasses (see configClassesOf). The workspace summary and the
 * file's own analysis read them alike. Without an Element or SubElement call, a call of a name
 * another file's element factory has (and no `format_dom`), nothing can create an element: no
 * writes.
 */
export function fileConfigClasses(sem: FileSemantics): {
  writes: readonly BuilderWrite[];
  classes: Map<string, XmlConfigClass>;
} {
  const formats = namesFormatDom(sem.model);
  const declares = namesDeclaredRoot(sem.model);
  const model = sem.model;
  const builds =
    formats ||
    model.callsNamed('Element').length > 0 ||
    model.callsNamed('SubElement').length > 0 ||
    sem.workspace.elementFactoryNames().some((name) => model.callsNamed(name).length > 0);
  const writes = builds ? new ElementTracker(sem).writes() : [];
  const classes = definesConfigClasses(sem)
    ? configClassesOf(sem, writes, !formats && !declares, declares)
    : new Map<string, XmlConfigClass>();
  return { writes, classes };
}

/**
 * Whether a file may define config classes: it names `format_dom` or a declared root, or
 * defines a subclass (see configClassesOf); else it defines none.
 */
export function definesConfigClasses(sem: FileSemantics): boolean {
  return namesFormatDom(sem.model) || namesDeclaredRoot(sem.model) || definesSubclass(sem);
}

/** The config classes a file defines, as its workspace summary keeps them (see fileConfigClasses). */
export function summarizeConfigClasses(sem: FileSemantics): XmlConfigClass[] {
  if (!definesConfigClasses(sem)) return [];
  return [...fileConfigClasses(sem).classes.values()];
}
