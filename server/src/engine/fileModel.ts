// What a file declares, read once from its tree: imports, module constants, classes and
// functions. Pure syntax; resolution against the workspace happens in the analysis.
import type { LibvirtModule } from '../data/featureDb';
import { versionFromParts } from '../data/version';
import type { Node, Tree } from './parser';
import { field, namedChildren, parentOf, unparen } from './syntax';
import type { VersionNumber } from './types';

export interface FunctionInfo {
  readonly name: string;
  readonly node: Node;             // function_definition
  readonly className?: string;
  readonly isProperty: boolean;
  /** Statement nodes of the body. */
  readonly body: readonly Node[];
}

export interface FileModel {
  /** Local names bound to a libvirt python module (`libvirt`, `lv`, `libvirt_qemu`). */
  readonly libvirtModules: ReadonlyMap<string, LibvirtModule>;
  /** `from libvirt import VIR_X as Y` → Y ↦ (libvirt, VIR_X). */
  readonly libvirtImports: ReadonlyMap<string, { readonly module: LibvirtModule; readonly name: string }>;
  /** Other imported names (modules and objects that are not libvirt's), with the dotted module they come from. */
  readonly foreignImports: ReadonlyMap<string, { readonly module: string; readonly name?: string }>;
  /** Module-level `NAME = value`. */
  readonly constants: ReadonlyMap<string, Node>;
  readonly classes: ReadonlyMap<string, Node>;
  readonly functions: readonly FunctionInfo[];
  readonly functionsByName: ReadonlyMap<string, readonly FunctionInfo[]>;
  /** Every call node of the file, in source order (one tree traversal, shared by all rules). */
  readonly calls: readonly Node[];
  /** How often each identifier-like word occurs in the text (comments and strings included). */
  wordCount(word: string): number;
}

/**
 * Counts identifier-like words by scanning the text, far cheaper than visiting every node.
 * Comments do not count; strings do (`getattr(self, '_name')` is a real use).
 */
export function countWords(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const re = /[A-Za-z_][A-Za-z0-9_]*|#[^\r\n]*|'''|"""|'|"|\\./g;
  let quote: string | undefined;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const t = m[0];
    if (t[0] === '\\') continue;
    if (t === "'" || t === '"' || t === "'''" || t === '"""') {
      if (!quote) quote = t; else if (quote === t) quote = undefined;
      continue;
    }
    if (t[0] === '#') {
      if (quote) re.lastIndex = m.index + 1; // a '#' inside a string: keep scanning its words
      continue;
    }
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return counts;
}

const libvirtModuleNames: Record<string, LibvirtModule> = { libvirt: 'libvirt', libvirt_qemu: 'libvirt_qemu', libvirt_lxc: 'libvirt_lxc' };

export function libvirtModuleOf(dotted: string): LibvirtModule | undefined {
  return libvirtModuleNames[dotted];
}

function moduleText(node: Node | null): string {
  if (!node) return '';
  return node.text.replace(/\s+/g, '');
}

function readImport(stmt: Node, modules: Map<string, LibvirtModule>, imports: Map<string, { module: LibvirtModule; name: string }>,
  foreign: Map<string, { module: string; name?: string }>): void {
  if (stmt.type === 'import_statement') {
    for (const item of namedChildren(stmt)) {
      const nameNode = item.type === 'aliased_import' ? field(item, 'name') : item;
      const alias = item.type === 'aliased_import' ? field(item, 'alias')?.text : undefined;
      const dotted = moduleText(nameNode);
      const lv = libvirtModuleOf(dotted);
      const local = alias ?? dotted.split('.')[0];
      if (lv && (alias || !dotted.includes('.'))) modules.set(local, lv);
      else foreign.set(local, { module: alias ? dotted : dotted.split('.')[0] });
    }
    return;
  }
  // import_from_statement
  const moduleNode = field(stmt, 'module_name');
  const from = moduleText(moduleNode);
  const lv = libvirtModuleOf(from);
  for (const item of stmt.childrenForFieldName('name')) {
    if (!item) continue;
    const nameNode = item.type === 'aliased_import' ? field(item, 'name') : item;
    const alias = item.type === 'aliased_import' ? field(item, 'alias')?.text : undefined;
    const name = moduleText(nameNode);
    const local = alias ?? name;
    if (lv) imports.set(local, { module: lv, name });
    else if (from === '' && libvirtModuleOf(name)) modules.set(local, libvirtModuleOf(name)!);
    else foreign.set(local, { module: from, name });
  }
}

function isPropertyDecorated(def: Node): boolean {
  const parent = parentOf(def);
  if (!parent || parent.type !== 'decorated_definition') return false;
  return namedChildren(parent).some((d) => d.type === 'decorator' && /^@\s*(property|functools\.cached_property|cached_property)\b/.test(d.text));
}

function collectFunctions(block: Node, className: string | undefined, out: FunctionInfo[], classes: Map<string, Node>, topLevel: boolean, depth = 0): void {
  if (depth > 60) return; // definitions nested deeper are analysed as part of their parent, if at all
  for (const raw of namedChildren(block)) {
    const stmt = raw.type === 'decorated_definition' ? field(raw, 'definition') ?? raw : raw;
    if (stmt.type === 'function_definition') {
      const name = field(stmt, 'name')?.text;
      const body = field(stmt, 'body');
      if (name && body) {
        out.push({ name, node: stmt, ...(className ? { className } : {}), isProperty: isPropertyDecorated(stmt), body: namedChildren(body).filter((c) => c.type !== 'comment') });
        collectFunctions(body, undefined, out, classes, false, depth + 1);
      }
    } else if (stmt.type === 'class_definition') {
      const name = field(stmt, 'name')?.text;
      const body = field(stmt, 'body');
      if (name && topLevel) classes.set(name, stmt);
      if (name && body) collectFunctions(body, name, out, classes, false, depth + 1);
    } else if (stmt.type === 'if_statement' || stmt.type === 'try_statement' || stmt.type === 'block' ||
      stmt.type === 'else_clause' || stmt.type === 'except_clause' || stmt.type === 'finally_clause' || stmt.type === 'elif_clause') {
      // Definitions under `if six.PY2:` or `try:` at module level are still module functions.
      for (const child of namedChildren(stmt)) if (child.type === 'block' || child.type.endsWith('_clause')) collectFunctions(child, className, out, classes, topLevel, depth + 1);
    }
  }
}

export function buildFileModel(tree: Tree, text: string): FileModel {
  const root = tree.rootNode;
  const modules = new Map<string, LibvirtModule>(Object.entries(libvirtModuleNames));
  const imports = new Map<string, { module: LibvirtModule; name: string }>();
  const foreign = new Map<string, { module: string; name?: string }>();
  const constants = new Map<string, Node>();
  const classes = new Map<string, Node>();
  // Imports anywhere (drivers import lazily inside functions too), and every call: one traversal.
  const calls: Node[] = [];
  for (const n of root.descendantsOfType(['import_statement', 'import_from_statement', 'call'])) {
    if (!n) continue;
    if (n.type === 'call') calls.push(n);
    else readImport(n, modules, imports, foreign);
  }
  for (const stmt of namedChildren(root)) {
    if (stmt.type !== 'expression_statement') continue;
    const assign = stmt.namedChild(0);
    if (!assign || assign.type !== 'assignment') continue;
    const left = field(assign, 'left');
    const right = field(assign, 'right');
    if (left?.type === 'identifier' && right) constants.set(left.text, right);
  }
  // `libvirt = importutils.import_module('libvirt')` (often after `libvirt = None`): still the module.
  for (const [name, value] of constants) {
    if (value.type === 'none' && /^libvirt/.test(name)) modules.set(name, libvirtModuleOf(name) ?? 'libvirt');
  }
  const functions: FunctionInfo[] = [];
  collectFunctions(root, undefined, functions, classes, true);
  const byName = new Map<string, FunctionInfo[]>();
  for (const f of functions) {
    const list = byName.get(f.name);
    if (list) list.push(f); else byName.set(f.name, [f]);
  }
  let words: Map<string, number> | undefined;
  return {
    libvirtModules: modules, libvirtImports: imports, foreignImports: foreign, constants, classes, functions, functionsByName: byName, calls,
    wordCount: (word) => (words ??= countWords(text)).get(word) ?? 0,
  };
}

/** A version literal: `(1, 2, 8)`, `[1, 2]`, `1002008`. */
export function versionLiteral(node: Node): VersionNumber | undefined {
  const n = unparen(node);
  if (n.type === 'tuple' || n.type === 'list') {
    const parts = namedChildren(n).filter((c) => c.type !== 'comment');
    if (parts.length < 1 || parts.length > 3 || parts.some((p) => p.type !== 'integer')) return undefined;
    const nums = parts.map((p) => Number(p.text));
    return versionFromParts(nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 0);
  }
  if (n.type === 'integer' && /^\d+$/.test(n.text)) {
    const v = Number(n.text);
    return Number.isSafeInteger(v) ? v : undefined;
  }
  return undefined;
}
