// Simple statements: expression statements and assignments (chained, annotated, augmented),
// return, raise, del, assert, global, imports, PEP 695 type aliases, and Python 2's print and
// exec statements.
import { Field, NodeKind } from './nodeKind';
import type { ParserState } from './parserCore';
import {
  parseBitwiseOr,
  parseExpression,
  parseExpressionListOrSingle,
  parseStarOrNamed,
  parseYield,
} from './parserExpressions';
import { parseDottedName } from './parserPatterns';
import { parseType, toPattern } from './parserTargets';
import { Tok } from './tokens';
import type { NodeId } from './tree';

export const augmentedAssignment = new Uint8Array(256);
for (const k of [
  Tok.PlusEqual,
  Tok.MinusEqual,
  Tok.StarEqual,
  Tok.SlashEqual,
  Tok.DoubleSlashEqual,
  Tok.PercentEqual,
  Tok.AtEqual,
  Tok.AmpEqual,
  Tok.PipeEqual,
  Tok.CaretEqual,
  Tok.LShiftEqual,
  Tok.RShiftEqual,
  Tok.DoubleStarEqual,
])
  augmentedAssignment[k] = 1;

/** After `print`, these make it a Python 2 print statement rather than the name `print` in an expression. */
const printStatementFollowers = new Uint8Array(256);
for (const k of [
  Tok.Name,
  Tok.Number,
  Tok.Float,
  Tok.String,
  Tok.FStringStart,
  Tok.LBrace,
  Tok.Tilde,
  Tok.Lambda,
  Tok.True,
  Tok.False,
  Tok.None,
  Tok.Ellipsis,
  Tok.Backtick,
  Tok.Async,
  Tok.Await,
  Tok.Print,
  Tok.Exec,
  Tok.Match,
  Tok.Case,
  Tok.Type,
  Tok.RShift,
  Tok.Yield,
  Tok.Not,
  Tok.LBracket,
])
  printStatementFollowers[k] = 1;

export function parseSimpleStatement(p: ParserState): void {
  const start = p.start;
  const mark = p.b.mark();
  switch (p.tok()) {
    case Tok.Pass:
      p.leaf(NodeKind.PassStatement);
      return;
    case Tok.Break:
      p.leaf(NodeKind.BreakStatement);
      return;
    case Tok.Continue:
      p.leaf(NodeKind.ContinueStatement);
      return;
    case Tok.Return:
      p.advance();
      if (p.startsExpression()) parseExpressionListOrSingle(p, NodeKind.ExpressionList);
      p.finish(NodeKind.ReturnStatement, start, mark);
      return;
    case Tok.Raise:
      p.advance();
      if (p.startsExpression()) parseExpressionListOrSingle(p, NodeKind.ExpressionList);
      if (p.eat(Tok.From)) p.b.setField(parseExpression(p), Field.Cause);
      p.finish(NodeKind.RaiseStatement, start, mark);
      return;
    case Tok.Del:
      p.advance();
      parseExpressionListOrSingle(p, NodeKind.ExpressionList);
      p.finish(NodeKind.DeleteStatement, start, mark);
      return;
    case Tok.Assert:
      p.advance();
      parseExpression(p);
      while (p.eat(Tok.Comma)) parseExpression(p);
      p.finish(NodeKind.AssertStatement, start, mark);
      return;
    case Tok.Global:
    case Tok.Nonlocal: {
      const kind = p.tok() === Tok.Global ? NodeKind.GlobalStatement : NodeKind.NonlocalStatement;
      p.advance();
      do {
        if (p.isName()) p.leaf(NodeKind.Identifier);
        else {
          p.missing('a name');
          break;
        }
      } while (p.eat(Tok.Comma));
      p.finish(kind, start, mark);
      return;
    }
    case Tok.Import:
      parseImport(p);
      return;
    case Tok.From:
      parseFromImport(p);
      return;
    case Tok.Print:
      if (printStatementFollowers[p.peek()] === 1 && !(p.peek() === Tok.Not && p.peekIs(2, Tok.In))) {
        parsePrint(p);
        return;
      }
      break;
    case Tok.Exec:
      if (p.peek() === Tok.String || p.peek() === Tok.FStringStart || p.isNameAt(1)) {
        parseExec(p);
        return;
      }
      break;
    case Tok.Type:
      if (p.isNameAt(1) && (p.peekIs(2, Tok.Equal) || p.peekIs(2, Tok.LBracket))) {
        parseTypeAlias(p);
        return;
      }
      break;
    default:
  }
  parseExpressionStatement(p);
}

/** An expression statement, an assignment (chained, annotated) or an augmented assignment. */
function parseExpressionStatement(p: ParserState): void {
  const start = p.start;
  const mark = p.b.mark();
  if (p.tok() === Tok.Yield) {
    parseYield(p);
    p.finish(NodeKind.ExpressionStatement, start, mark);
    return;
  }
  const first = parseStarOrNamed(p);
  let count = 1;
  let trailingComma = false;
  while (p.eat(Tok.Comma)) {
    if (!p.startsExpression()) {
      trailingComma = true;
      break;
    }
    parseStarOrNamed(p);
    count++;
  }
  const k = p.tok();
  if (k === Tok.Equal || (k === Tok.Colon && count === 1 && !trailingComma) || augmentedAssignment[k] === 1) {
    const left = count > 1 || trailingComma ? p.finish(NodeKind.PatternList, start, mark) : first;
    toPattern(p, left);
    p.b.setField(left, Field.Left);
    if (k === Tok.Equal) {
      p.advance();
      p.b.setField(parseRightHandSide(p), Field.Right);
      p.finish(NodeKind.Assignment, start, mark);
    } else if (k === Tok.Colon) {
      p.advance();
      parseType(p, Field.Type);
      if (p.eat(Tok.Equal)) p.b.setField(parseRightHandSide(p), Field.Right);
      p.finish(NodeKind.Assignment, start, mark);
    } else {
      p.leaf(NodeKind.Operator, Field.Operator);
      p.b.setField(parseRightHandSide(p), Field.Right);
      p.finish(NodeKind.AugmentedAssignment, start, mark);
    }
  }
  p.finish(NodeKind.ExpressionStatement, start, mark);
}

/**
 * The right of `=`: an expression (list), a yield, or another assignment in a chain. A chain
 * `a = b = c` nests to the right, assignment(a, assignment(b, c)); it is read in a loop and the
 * nodes are finished from the innermost out, so a long chain costs no stack.
 */
function parseRightHandSide(p: ParserState): NodeId {
  const marks: number[] = [];
  const starts: number[] = [];
  const operators: Tok[] = [];
  let value: NodeId;
  for (;;) {
    if (p.tok() === Tok.Yield) {
      value = parseYield(p);
      break;
    }
    const start = p.start;
    const mark = p.b.mark();
    value = parseExpressionListOrSingle(p, NodeKind.ExpressionList);
    const k = p.tok();
    if (k !== Tok.Equal && augmentedAssignment[k] !== 1) break;
    if (p.b.kindOf(value) === NodeKind.ExpressionList) p.b.setKind(value, NodeKind.PatternList);
    toPattern(p, value);
    p.b.setField(value, Field.Left);
    if (k === Tok.Equal) p.advance();
    else p.leaf(NodeKind.Operator, Field.Operator);
    marks.push(mark);
    starts.push(start);
    operators.push(k);
  }
  for (let i = marks.length - 1; i >= 0; i--) {
    p.b.setField(value, Field.Right);
    value = p.finish(
      operators[i] === Tok.Equal ? NodeKind.Assignment : NodeKind.AugmentedAssignment,
      starts[i] ?? 0,
      marks[i] ?? 0,
    );
  }
  return value;
}

/** Python 2: `print x, y`, `print >>f, x`, `print x,`. */
function parsePrint(p: ParserState): void {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  if (p.tok() === Tok.RShift) {
    const chevronStart = p.start;
    const chevronMark = p.b.mark();
    p.advance();
    parseExpression(p);
    p.finish(NodeKind.Chevron, chevronStart, chevronMark);
    while (p.eat(Tok.Comma) && p.startsExpression()) p.b.setField(parseExpression(p), Field.Argument);
  } else {
    do {
      if (!p.startsExpression()) break;
      p.b.setField(parseExpression(p), Field.Argument);
    } while (p.eat(Tok.Comma));
  }
  p.finish(NodeKind.PrintStatement, start, mark);
}

/** Python 2: `exec code`, `exec "code" in globals, locals`. */
function parseExec(p: ParserState): void {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  // Any expression below a comparison, as CPython 2 reads it (`exec compile(src, f, 'exec') in
  // ns`); tree-sitter takes only a string or a name (docs/parser.md, known differences).
  p.b.setField(parseBitwiseOr(p), Field.Code);
  if (p.eat(Tok.In)) {
    parseExpression(p);
    while (p.eat(Tok.Comma)) parseExpression(p);
  }
  p.finish(NodeKind.ExecStatement, start, mark);
}

/** PEP 695: `type X[T] = ...`. */
function parseTypeAlias(p: ParserState): void {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  parseType(p, Field.Left);
  p.expect(Tok.Equal, "'='");
  parseType(p, Field.Right);
  p.finish(NodeKind.TypeAliasStatement, start, mark);
}

function parseImport(p: ParserState): void {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  parseImportList(p, false);
  p.finish(NodeKind.ImportStatement, start, mark);
}

/** `a.b as c, d` (each a `name` field), optionally in parentheses. */
function parseImportList(p: ParserState, parenthesized: boolean): void {
  do {
    if (parenthesized && p.tok() === Tok.RParen) break;
    if (!p.isName()) {
      p.missing('a module name');
      break;
    }
    const start = p.start;
    const mark = p.b.mark();
    const name = parseDottedName(p);
    if (p.eat(Tok.As)) {
      p.b.setField(name, Field.Name);
      if (p.isName()) p.leaf(NodeKind.Identifier, Field.Alias);
      else p.missing('a name');
      p.finish(NodeKind.AliasedImport, start, mark, Field.Name);
    } else {
      p.b.setField(name, Field.Name);
    }
  } while (p.eat(Tok.Comma) && (p.isName() || parenthesized));
}

function parseFromImport(p: ParserState): void {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  let kind = NodeKind.ImportFromStatement;
  if (p.tok() === Tok.Dot || p.tok() === Tok.Ellipsis) {
    const relStart = p.start;
    const relMark = p.b.mark();
    const prefixStart = p.start;
    while (p.tok() === Tok.Dot || p.tok() === Tok.Ellipsis) p.advance();
    p.b.leaf(NodeKind.ImportPrefix, prefixStart, p.lastEnd);
    if (p.isName()) parseDottedName(p);
    p.finish(NodeKind.RelativeImport, relStart, relMark, Field.ModuleName);
  } else if (p.isName()) {
    if (p.text() === '__future__' && p.peek() === Tok.Import) {
      kind = NodeKind.FutureImportStatement;
      p.advance();
    } else {
      parseDottedName(p, Field.ModuleName);
    }
  } else {
    p.missing('a module name');
  }
  if (p.expect(Tok.Import, "'import'")) {
    if (p.tok() === Tok.Star) p.leaf(NodeKind.WildcardImport);
    else if (p.eat(Tok.LParen)) {
      p.inBrackets++;
      parseImportList(p, true);
      p.expect(Tok.RParen, "')'");
      p.inBrackets--;
    } else parseImportList(p, false);
  }
  p.finish(kind, start, mark);
}
