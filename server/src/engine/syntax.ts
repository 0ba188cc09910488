// Small, named helpers over tree-sitter-python nodes.
import type { Node } from './parser';
import type { Range } from './types';

export function rangeOf(node: Node): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

// web-tree-sitter finds a node's parent by descending from the root, which costs as much as
// the siblings on the way (thousands in a large class). Parents seen while descending are
// remembered here instead; one analysis at a time (it is synchronous), cleared after it.
const parents = new Map<number, Node>();

export function clearParents(): void { parents.clear(); }

export function parentOf(node: Node): Node | null {
  return parents.get(node.id) ?? node.parent;
}

export function field(node: Node, name: string): Node | null {
  const c = node.childForFieldName(name);
  if (c) parents.set(c.id, node);
  return c;
}

export function namedChildren(node: Node): Node[] {
  // One call for all of them: namedChild(i) walks the siblings before i every time.
  const out: Node[] = [];
  for (const c of node.namedChildren) if (c) { out.push(c); parents.set(c.id, node); }
  return out;
}

export function fieldChildren(node: Node, name: string): Node[] {
  const out: Node[] = [];
  for (const c of node.childrenForFieldName(name)) if (c) { out.push(c); parents.set(c.id, node); }
  return out;
}

/** Strips parentheses: `((x))` → `x`. */
export function unparen(node: Node): Node {
  let n = node;
  while (n.type === 'parenthesized_expression' && n.namedChildCount === 1) {
    const inner = n.namedChild(0);
    if (!inner) break;
    n = inner;
  }
  return n;
}

/** Source text without whitespace, comments and line continuations: for matching gate expressions. */
export function compactText(node: Node): string {
  return node.text.replace(/#[^\n]*/g, '').replace(/[\s\\]+/g, '');
}

/** `a.b.c` for identifiers and attribute chains, undefined for anything else. */
export function dottedName(node: Node): string | undefined {
  const n = unparen(node);
  if (n.type === 'identifier') return n.text;
  if (n.type === 'attribute') {
    const obj = field(n, 'object');
    const attr = field(n, 'attribute');
    if (!obj || !attr) return undefined;
    const left = dottedName(obj);
    return left === undefined ? undefined : `${left}.${attr.text}`;
  }
  return undefined;
}

/** The called name of a call: `has_min_version` for `self._host.has_min_version(...)`. */
export function calleeName(call: Node): string | undefined {
  const fn = field(call, 'function');
  if (!fn) return undefined;
  if (fn.type === 'identifier') return fn.text;
  if (fn.type === 'attribute') return field(fn, 'attribute')?.text;
  return undefined;
}

export interface CallArguments {
  readonly positional: Node[];
  readonly keyword: Map<string, Node>;
}

export function callArguments(call: Node): CallArguments {
  const positional: Node[] = [];
  const keyword = new Map<string, Node>();
  const args = field(call, 'arguments');
  if (args && args.type === 'argument_list') {
    for (const a of namedChildren(args)) {
      if (a.type === 'keyword_argument') {
        const name = field(a, 'name');
        const value = field(a, 'value');
        if (name && value) keyword.set(name.text, value);
      } else if (a.type !== 'comment') {
        positional.push(a);
      }
    }
  }
  return { positional, keyword };
}

const simpleStatements = new Set([
  'expression_statement', 'return_statement', 'raise_statement', 'assert_statement', 'delete_statement',
  'print_statement', 'exec_statement', 'pass_statement', 'global_statement', 'nonlocal_statement',
  'import_statement', 'import_from_statement', 'break_statement', 'continue_statement', 'type_alias_statement',
]);
export const compoundStatements = new Set([
  'if_statement', 'for_statement', 'while_statement', 'try_statement', 'with_statement',
  'function_definition', 'class_definition', 'decorated_definition', 'match_statement',
]);

export function isStatement(node: Node): boolean {
  return simpleStatements.has(node.type) || compoundStatements.has(node.type);
}

/** The innermost statement that contains the node. */
export function enclosingStatement(node: Node): Node | null {
  for (let n: Node | null = node; n; n = parentOf(n)) if (isStatement(n)) return n;
  return null;
}

/** Leading whitespace of a line. */
export function indentOf(line: string): string {
  const m = /^[ \t]*/.exec(line);
  return m ? m[0] : '';
}
