// Fixes for `from libvirt import X` of a name older hosts lack (LVG002): look the name up at
// run time (`X = getattr(libvirt, 'X', None)`, importing the module the plain way when the file
// has no binding of it yet), or guard the import (`try: ... except ImportError: X = None`).
// Both rewrite the whole statement; the statement's other names stay in a `from` import.
import type { LibvirtModule } from '../../data/featureDb';
import { Field, indentation, NodeKind, type NodeId, type SyntaxTree } from '../syntax/index';
import type { Fix, Range } from '../types';
import { indentUnitOf, ownsItsLines, type FixEnv } from './fixes';

const scopeKinds = new Set<NodeKind>([NodeKind.FunctionDefinition, NodeKind.ClassDefinition]);

/** The function or class whose body holds the node (undefined: module level). */
function scopeOf(t: SyntaxTree, node: NodeId): NodeId | undefined {
  for (let p = t.parent(node); p !== undefined; p = t.parent(p)) if (scopeKinds.has(t.kind(p))) return p;
  return undefined;
}

/** Nodes of a kind directly in a scope (not in a nested function or class). */
function inScope(t: SyntaxTree, scope: NodeId | undefined, kinds: NodeKind[]): NodeId[] {
  return t.descendantsOfKind(scope ?? t.root, kinds).filter((n) => scopeOf(t, n) === scope);
}

/** Local names `import <module>` / `import <module> as m` bind in a scope, before `limit` when given. */
function moduleImports(t: SyntaxTree, scope: NodeId | undefined, module: string, limit?: number): string[] {
  const out: string[] = [];
  for (const s of inScope(t, scope, [NodeKind.ImportStatement])) {
    if (limit !== undefined && t.start(s) >= limit) continue;
    for (const item of t.children(s)) {
      const aliased = t.kind(item) === NodeKind.AliasedImport;
      const name = aliased ? t.field(item, Field.Name) : item;
      const alias = aliased ? t.field(item, Field.Alias) : undefined;
      if (name !== undefined && t.text(name).replace(/\s+/g, '') === module)
        out.push(alias === undefined ? module : t.text(alias));
    }
  }
  return out;
}

/**
 * Whether the name is bound other than by importing it: assigned in the scope (`libvirt = None`),
 * or, for a module-level name, declared `global` by some function (the lazy-import pattern).
 */
function rebinds(t: SyntaxTree, scope: NodeId | undefined, name: string): boolean {
  for (const n of inScope(t, scope, [NodeKind.Assignment])) {
    const left = t.field(n, Field.Left);
    if (left !== undefined && t.kind(left) === NodeKind.Identifier && t.text(left) === name) return true;
  }
  const globals = t.descendantsOfKind(scope ?? t.root, NodeKind.GlobalStatement);
  return globals.some((g) => t.children(g).some((c) => t.text(c) === name));
}

/**
 * The name the module is bound to where the statement runs; '' when `import <module>` must be
 * added beside it; undefined when no getattr can be written safely there (a class body without
 * a module-level import, a function that names the module itself, a module that rebinds it).
 */
function moduleName(t: SyntaxTree, stmt: NodeId, module: LibvirtModule): string | undefined {
  const scope = scopeOf(t, stmt);
  const isFunction = scope !== undefined && t.kind(scope) === NodeKind.FunctionDefinition;
  if (isFunction) {
    const local = moduleImports(t, scope, module, t.start(stmt))[0];
    if (local !== undefined) return rebinds(t, scope, local) ? undefined : local;
  }
  // Module-level names: bound before the statement runs (a function runs after the module loaded).
  const global = moduleImports(t, undefined, module, isFunction ? undefined : t.start(stmt))[0];
  if (global !== undefined) {
    if (rebinds(t, undefined, global)) return undefined;
    if (isFunction && (rebinds(t, scope, global) || moduleImports(t, scope, module).length)) return undefined;
    return global;
  }
  if (scope === undefined) return rebinds(t, undefined, module) ? undefined : '';
  if (!isFunction) return undefined;
  // A function-local `import libvirt` makes the name local to the whole function.
  const mentions = t
    .descendantsOfKind(scope, NodeKind.Identifier)
    .some((n) => t.text(n) === module && (n < stmt || n >= t.subtreeEnd(stmt)));
  return mentions ? undefined : '';
}

function hasComment(t: SyntaxTree, node: NodeId): boolean {
  const start = t.start(node);
  const end = t.end(node);
  return t.comments.some((c) => c.start >= start && c.start < end);
}

/** The two fixes for the imported name at `nameNode` (the name inside `name` or `name as alias`). */
export function importFixes(env: FixEnv, stmt: NodeId, nameNode: NodeId, module: LibvirtModule): Fix[] {
  const t = env.tree;
  if (t.kind(stmt) !== NodeKind.ImportFromStatement || !ownsItsLines(env, stmt) || hasComment(t, stmt)) return [];
  const items = t.fieldChildren(stmt, Field.Name);
  const item = items.find((i) => i === nameNode || i === t.parent(nameNode));
  const from = t.field(stmt, Field.ModuleName);
  if (item === undefined || from === undefined) return [];
  const aliasNode = t.kind(item) === NodeKind.AliasedImport ? t.field(item, Field.Alias) : undefined;
  const name = t.text(nameNode).replace(/\s+/g, '');
  const local = aliasNode === undefined ? name : t.text(aliasNode);
  const fromText = t.text(from).replace(/\s+/g, '');
  const itemText = t.text(item).replace(/\s+/g, ' ');
  const first = t.lines.lineAt(t.start(stmt));
  const indent = indentation(t.lines.lineText(first));
  const unit = indentUnitOf(env);
  const eol = t.lines.eol;
  const others = items.filter((i) => i !== item).map((i) => t.text(i).replace(/\s+/g, ' '));
  const keep = others.length ? [`${indent}from ${fromText} import ${others.join(', ')}`] : [];
  const range: Range = { start: { line: first, character: 0 }, end: t.range(stmt).end };
  const rewrite = (lines: string[]) => [{ range, newText: lines.join(eol) }];
  const bound = local === module ? undefined : moduleName(t, stmt, module);
  // Preferred: the import stays an import, so the uses of the name stay known libvirt uses.
  const fixes: Fix[] = [
    {
      title: `Guard the import: try: from ${fromText} import ${itemText} / except ImportError: ${local} = None`,
      safe: false,
      preferred: true,
      kind: 'guard-import',
      edits: rewrite([
        ...keep,
        `${indent}try:`,
        `${indent}${unit}from ${fromText} import ${itemText}`,
        `${indent}except ImportError:`,
        `${indent}${unit}${local} = None`,
      ]),
    },
  ];
  if (bound !== undefined) {
    const target = bound || module;
    const lookup = `${local} = getattr(${target}, '${name}', None)`;
    fixes.push({
      title: `Look ${name} up at run time: ${lookup}${bound ? '' : ` (adds import ${module})`}`,
      safe: false,
      preferred: false,
      kind: 'guard-import',
      edits: rewrite([...keep, ...(bound ? [] : [`${indent}import ${module}`]), `${indent}${lookup}`]),
    });
  }
  return fixes;
}
