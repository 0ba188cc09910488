// Which kinds are simple statements, and whether a statement's line breaks are ones Python
// allows (the fixes use it before they re-indent or wrap a statement).
import { NodeKind } from './nodeKind';

export const simpleStatementKinds: ReadonlySet<NodeKind> = new Set<NodeKind>([
  NodeKind.ExpressionStatement,
  NodeKind.ReturnStatement,
  NodeKind.RaiseStatement,
  NodeKind.AssertStatement,
  NodeKind.DeleteStatement,
  NodeKind.PrintStatement,
  NodeKind.ExecStatement,
  NodeKind.PassStatement,
  NodeKind.GlobalStatement,
  NodeKind.NonlocalStatement,
  NodeKind.ImportStatement,
  NodeKind.ImportFromStatement,
  NodeKind.BreakStatement,
  NodeKind.ContinueStatement,
  NodeKind.TypeAliasStatement,
  NodeKind.FutureImportStatement,
]);

export function isSimpleStatementKind(kind: NodeKind): boolean {
  return simpleStatementKinds.has(kind);
}

/**
 * Whether every line break inside a simple statement is one Python allows: inside brackets
 * or a string, or after a backslash. tree-sitter also accepts `dom.` + newline + `name()`.
 */
export function linesJoinedLegally(text: string): boolean {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (text.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = '';
      }
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
      i--;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      i += quote.length - 1;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === '\\') i++;
    else if ((c === '\n' || c === '\r') && depth === 0) return false;
  }
  return true;
}
