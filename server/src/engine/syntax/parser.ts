// The hand-written parser: Python 2.7 and 3.0–3.13 source → ArrayTree, in the model of
// Pyright's and ruff's recursive-descent parsers. Statements are parsed here; expressions,
// targets and patterns in the parser*.ts files beside it. It never throws on bad input: an
// error is a problem plus an error node local to its statement, and parsing goes on at the
// next statement. Kinds, fields and spans are tree-sitter-python's for valid code (the
// differential tests compare them); docs/parser.md lists where we read code as CPython does.
import { Field, NodeKind } from './nodeKind';
import { ParserState } from './parserCore';
import {
  parseArguments, parseExpression, parseExpressionListOrSingle, parseNamedExpression, parseStarOrNamed, parseString, parseYield,
} from './parserExpressions';
import { parseCasePattern, parseDottedName } from './parserPatterns';
import { parseParameters, parseTargetList, parseType, parseTypeParameter, toPattern } from './parserTargets';
import { recycleTokenArrays, tokenize } from './tokenizer';
import { Tok } from './tokens';
import { TreeBuilder, type ArrayTree, type NodeId } from './tree';

const augmentedAssignment = new Uint8Array(256);
for (const k of [
  Tok.PlusEqual, Tok.MinusEqual, Tok.StarEqual, Tok.SlashEqual, Tok.DoubleSlashEqual, Tok.PercentEqual, Tok.AtEqual,
  Tok.AmpEqual, Tok.PipeEqual, Tok.CaretEqual, Tok.LShiftEqual, Tok.RShiftEqual, Tok.DoubleStarEqual,
]) augmentedAssignment[k] = 1;

/** After `print`, these make it a Python 2 print statement rather than the name `print` in an expression. */
const printStatementFollowers = new Uint8Array(256);
for (const k of [
  Tok.Name, Tok.Number, Tok.Float, Tok.String, Tok.FStringStart, Tok.LBrace, Tok.Tilde, Tok.Lambda, Tok.True,
  Tok.False, Tok.None, Tok.Ellipsis, Tok.Backtick, Tok.Async, Tok.Await, Tok.Print, Tok.Exec, Tok.Match, Tok.Case,
  Tok.Type, Tok.RShift, Tok.Yield, Tok.Not, Tok.LBracket,
]) printStatementFollowers[k] = 1;

/** Parses Python 2 or 3 source: always a tree (problems are listed on it). */
export function parseSource(text: string): ArrayTree {
  const { tokens, comments, problems } = tokenize(text);
  const b = new TreeBuilder(text, tokens.count + (tokens.count >> 1));
  const p = new ParserState(tokens, b, text, problems);
  parseStatements(p, false);
  while (p.tok() !== Tok.EndMarker) {
    // Only a stray dedent ends the statements early; read on.
    p.advance();
    parseStatements(p, false);
  }
  b.setComments(comments);
  for (const problem of problems) b.problem(problem.start, problem.end, problem.message);
  const tree = b.build(NodeKind.Module);
  recycleTokenArrays(tokens);
  return tree;
}

/** Statements up to the dedent that ends the block (or the end of the file). */
function parseStatements(p: ParserState, inBlock: boolean): void {
  let unexpectedIndents = 0;
  for (;;) {
    const k = p.tok();
    if (k === Tok.EndMarker) return;
    if (k === Tok.Dedent) {
      if (unexpectedIndents === 0 && inBlock) return;
      if (unexpectedIndents > 0) unexpectedIndents--;
      p.advance();
      if (!inBlock && unexpectedIndents === 0) return;
      continue;
    }
    if (k === Tok.Indent) {
      // Indented deeper than its block for no reason: CPython says "unexpected indent".
      p.advance();
      p.problem(p.start, p.start, 'unexpected indent');
      unexpectedIndents++;
      continue;
    }
    if (k === Tok.Newline) { p.advance(); continue; }
    parseStatement(p);
  }
}

function parseStatement(p: ParserState): void {
  switch (p.tok()) {
    case Tok.If: parseIf(p); return;
    case Tok.While: parseWhile(p); return;
    case Tok.For: parseFor(p, p.start); return;
    case Tok.Try: parseTry(p); return;
    case Tok.With: parseWith(p, p.start); return;
    case Tok.Def: parseFunction(p, p.start); return;
    case Tok.Class: parseClass(p); return;
    case Tok.At: parseDecorated(p); return;
    case Tok.Async: {
      const next = p.peek();
      if (next === Tok.Def || next === Tok.For || next === Tok.With) {
        const start = p.start;
        p.advance();
        if (next === Tok.Def) parseFunction(p, start);
        else if (next === Tok.For) parseFor(p, start);
        else parseWith(p, start);
        return;
      }
      break;
    }
    case Tok.Match:
      if (isMatchStatement(p)) { parseMatch(p); return; }
      break;
    case Tok.Elif: case Tok.Else: case Tok.Except: case Tok.Finally: case Tok.Case:
      if (p.tok() !== Tok.Case) {
        p.problem(p.start, p.end, `'${p.text()}' without the statement it belongs to`);
        orphanClause(p);
        return;
      }
      break;
    default:
  }
  parseSimpleStatements(p);
}

/** An `else:` or `except:` with nothing to attach to: an error node with its block inside. */
function orphanClause(p: ParserState): void {
  const start = p.start;
  const mark = p.b.mark();
  while (p.tok() !== Tok.Colon && p.tok() !== Tok.Newline && p.tok() !== Tok.EndMarker) p.advance();
  if (p.eat(Tok.Colon)) parseBlock(p, Field.None);
  else p.eat(Tok.Newline);
  p.finish(NodeKind.Error, start, mark);
}

/** Simple statements separated by `;` up to the end of the line. */
function parseSimpleStatements(p: ParserState): void {
  for (;;) {
    const at = p.i;
    parseSimpleStatement(p);
    if (p.tok() === Tok.Semicolon) {
      p.advance();
      if (p.tok() === Tok.Newline || p.tok() === Tok.EndMarker) break;
      continue;
    }
    if (p.tok() === Tok.Newline || p.tok() === Tok.EndMarker) break;
    if (p.i === at || p.tok() === Tok.Indent || p.tok() === Tok.Dedent) {
      p.unexpected('a statement');
    } else {
      p.problem(p.start, p.end, 'invalid syntax');
    }
    p.skipLine();
    break;
  }
  if (p.tok() === Tok.Newline) p.advance();
}

function parseSimpleStatement(p: ParserState): void {
  const start = p.start;
  const mark = p.b.mark();
  switch (p.tok()) {
    case Tok.Pass: p.leaf(NodeKind.PassStatement); return;
    case Tok.Break: p.leaf(NodeKind.BreakStatement); return;
    case Tok.Continue: p.leaf(NodeKind.ContinueStatement); return;
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
    case Tok.Global: case Tok.Nonlocal: {
      const kind = p.tok() === Tok.Global ? NodeKind.GlobalStatement : NodeKind.NonlocalStatement;
      p.advance();
      do {
        if (p.isName()) p.leaf(NodeKind.Identifier); else { p.missing('a name'); break; }
      } while (p.eat(Tok.Comma));
      p.finish(kind, start, mark);
      return;
    }
    case Tok.Import: parseImport(p); return;
    case Tok.From: parseFromImport(p); return;
    case Tok.Print:
      if (printStatementFollowers[p.peek()] === 1 && !(p.peek() === Tok.Not && p.peekIs(2, Tok.In))) { parsePrint(p); return; }
      break;
    case Tok.Exec:
      if (p.peek() === Tok.String || p.peek() === Tok.FStringStart || p.isNameAt(1)) { parseExec(p); return; }
      break;
    case Tok.Type:
      if (p.isNameAt(1) && (p.peekIs(2, Tok.Equal) || p.peekIs(2, Tok.LBracket))) { parseTypeAlias(p); return; }
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
    if (!p.startsExpression()) { trailingComma = true; break; }
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
    if (p.tok() === Tok.Yield) { value = parseYield(p); break; }
    const start = p.start;
    const mark = p.b.mark();
    value = parseExpressionListOrSingle(p, NodeKind.ExpressionList);
    const k = p.tok();
    if (k !== Tok.Equal && augmentedAssignment[k] !== 1) break;
    if (p.b.kindOf(value) === NodeKind.ExpressionList) p.b.setKind(value, NodeKind.PatternList);
    toPattern(p, value);
    p.b.setField(value, Field.Left);
    if (k === Tok.Equal) p.advance(); else p.leaf(NodeKind.Operator, Field.Operator);
    marks.push(mark);
    starts.push(start);
    operators.push(k);
  }
  for (let i = marks.length - 1; i >= 0; i--) {
    p.b.setField(value, Field.Right);
    value = p.finish(operators[i] === Tok.Equal ? NodeKind.Assignment : NodeKind.AugmentedAssignment, starts[i] ?? 0, marks[i] ?? 0);
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
  if (p.tok() === Tok.String || p.tok() === Tok.FStringStart) p.b.setField(parseString(p), Field.Code);
  else p.leaf(NodeKind.Identifier, Field.Code);
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
    if (!p.isName()) { p.missing('a module name'); break; }
    const start = p.start;
    const mark = p.b.mark();
    const name = parseDottedName(p);
    if (p.eat(Tok.As)) {
      p.b.setField(name, Field.Name);
      if (p.isName()) p.leaf(NodeKind.Identifier, Field.Alias); else p.missing('a name');
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

/** The block after a compound statement's colon: indented lines, or simple statements on the same line. */
function parseBlock(p: ParserState, field: Field): NodeId {
  if (p.tok() === Tok.Newline) {
    const at = p.start;
    p.advance();
    if (p.tok() === Tok.Indent) {
      p.advance();
      const mark = p.b.mark();
      parseStatements(p, true);
      const start = p.b.mark() > mark ? p.b.startOf(p.b.pendingAt(mark)) : at;
      p.eat(Tok.Dedent);
      return p.finish(NodeKind.Block, start, mark, field);
    }
    p.problem(at, at, 'expected an indented block');
    const id = p.b.leaf(NodeKind.Block, at, at);
    if (field !== Field.None) p.b.setField(id, field);
    return id;
  }
  const start = p.start;
  const mark = p.b.mark();
  if (p.tok() === Tok.EndMarker || p.tok() === Tok.Indent || p.tok() === Tok.Dedent) {
    p.problem(p.lastEnd, p.lastEnd, 'expected an indented block');
    const id = p.b.leaf(NodeKind.Block, p.lastEnd, p.lastEnd);
    if (field !== Field.None) p.b.setField(id, field);
    return id;
  }
  parseSimpleStatements(p);
  return p.finish(NodeKind.Block, start, mark, field);
}

/** The `:` ending a clause header; junk before it is an error node, and the block follows anyway. */
function headerColon(p: ParserState): void {
  if (p.eat(Tok.Colon)) return;
  p.unexpected("':'");
  if (p.tok() !== Tok.Newline && p.tok() !== Tok.EndMarker) {
    const start = p.start;
    const mark = p.b.mark();
    while (p.tok() !== Tok.Colon && p.tok() !== Tok.Newline && p.tok() !== Tok.EndMarker) p.advance();
    p.b.finish(NodeKind.Error, start, p.lastEnd, mark);
    p.eat(Tok.Colon);
  }
}

function parseIf(p: ParserState): void {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  p.b.setField(parseNamedExpression(p), Field.Condition);
  headerColon(p);
  parseBlock(p, Field.Consequence);
  while (p.tok() === Tok.Elif) {
    const clauseStart = p.start;
    const clauseMark = p.b.mark();
    p.advance();
    p.b.setField(parseNamedExpression(p), Field.Condition);
    headerColon(p);
    parseBlock(p, Field.Consequence);
    p.finish(NodeKind.ElifClause, clauseStart, clauseMark, Field.Alternative);
  }
  if (p.tok() === Tok.Else) parseElse(p, Field.Alternative);
  p.finish(NodeKind.IfStatement, start, mark);
}

function parseElse(p: ParserState, field: Field): void {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  headerColon(p);
  parseBlock(p, Field.Body);
  p.finish(NodeKind.ElseClause, start, mark, field);
}

function parseWhile(p: ParserState): void {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  p.b.setField(parseNamedExpression(p), Field.Condition);
  headerColon(p);
  parseBlock(p, Field.Body);
  if (p.tok() === Tok.Else) parseElse(p, Field.Alternative);
  p.finish(NodeKind.WhileStatement, start, mark);
}

function parseFor(p: ParserState, start: number): void {
  const mark = p.b.mark();
  p.advance();
  p.b.setField(parseTargetList(p), Field.Left);
  if (p.expect(Tok.In, "'in'")) p.b.setField(parseExpressionListOrSingle(p, NodeKind.ExpressionList), Field.Right);
  headerColon(p);
  parseBlock(p, Field.Body);
  if (p.tok() === Tok.Else) parseElse(p, Field.Alternative);
  p.finish(NodeKind.ForStatement, start, mark);
}

function parseTry(p: ParserState): void {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  headerColon(p);
  parseBlock(p, Field.Body);
  while (p.tok() === Tok.Except) {
    const clauseStart = p.start;
    const clauseMark = p.b.mark();
    p.advance();
    p.eat(Tok.Star);
    if (p.tok() !== Tok.Colon) {
      const valueStart = p.start;
      const valueMark = p.b.mark();
      const value = parseExpression(p);
      if (p.eat(Tok.As)) {
        const aliasStart = p.start;
        const aliasMark = p.b.mark();
        parseExpression(p);
        p.finish(NodeKind.AsPatternTarget, aliasStart, aliasMark, Field.Alias);
        p.finish(NodeKind.AsPattern, valueStart, valueMark, Field.Value);
      } else {
        p.b.setField(value, Field.Value);
        // Python 2: `except (A, B), e:`.
        while (p.eat(Tok.Comma) && p.startsExpression()) p.b.setField(parseExpression(p), Field.Value);
      }
    }
    headerColon(p);
    parseBlock(p, Field.None);
    p.finish(NodeKind.ExceptClause, clauseStart, clauseMark);
  }
  if (p.tok() === Tok.Else) parseElse(p, Field.None);
  if (p.tok() === Tok.Finally) {
    const clauseStart = p.start;
    const clauseMark = p.b.mark();
    p.advance();
    headerColon(p);
    parseBlock(p, Field.None);
    p.finish(NodeKind.FinallyClause, clauseStart, clauseMark);
  }
  p.finish(NodeKind.TryStatement, start, mark);
}

function parseWith(p: ParserState, start: number): void {
  const mark = p.b.mark();
  p.advance();
  const clauseStart = p.start;
  const clauseMark = p.b.mark();
  // `with (a, b as c):` puts the items in parentheses; `with (a):` is one parenthesized item.
  const close = p.tok() === Tok.LParen ? p.matches[p.i] ?? -1 : -1;
  const parenthesized = close > 0 && p.kinds[close + 1] === Tok.Colon && hasTopLevelCommaOrAs(p, p.i + 1, close);
  if (parenthesized) { p.advance(); p.inBrackets++; }
  do {
    if (parenthesized && p.tok() === Tok.RParen) break;
    parseWithItem(p);
  } while (p.eat(Tok.Comma));
  if (parenthesized) { p.expect(Tok.RParen, "')'"); p.inBrackets--; }
  p.finish(NodeKind.WithClause, clauseStart, clauseMark);
  headerColon(p);
  parseBlock(p, Field.Body);
  p.finish(NodeKind.WithStatement, start, mark);
}

function hasTopLevelCommaOrAs(p: ParserState, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const k = p.kinds[i] as Tok;
    if (k === Tok.Comma || k === Tok.As) return true;
    if ((k === Tok.LParen || k === Tok.LBracket || k === Tok.LBrace) && (p.matches[i] ?? -1) > i) i = p.matches[i] ?? i;
  }
  return false;
}

function parseWithItem(p: ParserState): void {
  const start = p.start;
  const mark = p.b.mark();
  const value = parseExpression(p);
  if (p.eat(Tok.As)) {
    const aliasStart = p.start;
    const aliasMark = p.b.mark();
    parseExpression(p);
    p.finish(NodeKind.AsPatternTarget, aliasStart, aliasMark, Field.Alias);
    p.finish(NodeKind.AsPattern, start, mark, Field.Value);
  } else {
    p.b.setField(value, Field.Value);
  }
  p.finish(NodeKind.WithItem, start, mark);
}

function parseFunction(p: ParserState, start: number): void {
  const mark = p.b.mark();
  p.advance();
  if (p.isName()) p.leaf(NodeKind.Identifier, Field.Name); else p.missing('a function name', Field.Name);
  if (p.tok() === Tok.LBracket) parseTypeParameter(p, Field.TypeParameters);
  if (p.tok() === Tok.LParen) parseParameters(p); else p.missing("'('", Field.Parameters);
  if (p.eat(Tok.Arrow)) parseType(p, Field.ReturnType);
  headerColon(p);
  parseBlock(p, Field.Body);
  p.finish(NodeKind.FunctionDefinition, start, mark);
}

function parseClass(p: ParserState): void {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  if (p.isName()) p.leaf(NodeKind.Identifier, Field.Name); else p.missing('a class name', Field.Name);
  if (p.tok() === Tok.LBracket) parseTypeParameter(p, Field.TypeParameters);
  if (p.tok() === Tok.LParen) p.b.setField(parseArguments(p), Field.Superclasses);
  headerColon(p);
  parseBlock(p, Field.Body);
  p.finish(NodeKind.ClassDefinition, start, mark);
}

function parseDecorated(p: ParserState): void {
  const start = p.start;
  const mark = p.b.mark();
  while (p.tok() === Tok.At) {
    const decoratorStart = p.start;
    const decoratorMark = p.b.mark();
    p.advance();
    parseNamedExpression(p);
    if (p.tok() !== Tok.Newline) {
      p.unexpected('the end of the line');
      p.skipLine();
    }
    p.eat(Tok.Newline);
    p.finish(NodeKind.Decorator, decoratorStart, decoratorMark);
  }
  const defStart = p.start;
  if (p.tok() === Tok.Def) parseFunction(p, defStart);
  else if (p.tok() === Tok.Class) parseClass(p);
  else if (p.tok() === Tok.Async && p.peek() === Tok.Def) { p.advance(); parseFunction(p, defStart); }
  else { p.unexpected("'def' or 'class' after decorators"); p.finish(NodeKind.DecoratedDefinition, start, mark); return; }
  p.b.setField(p.b.pendingAt(p.b.mark() - 1), Field.Definition);
  p.finish(NodeKind.DecoratedDefinition, start, mark);
}

/** `match` starts a match statement when its logical line ends with a colon. */
function isMatchStatement(p: ParserState): boolean {
  const next = p.peek();
  if (next === Tok.Equal || next === Tok.Dot || next === Tok.Colon || next === Tok.Comma || next === Tok.Newline ||
    next === Tok.Semicolon || augmentedAssignment[next] === 1) return false;
  let i = p.i + 1;
  let last = Tok.EndMarker;
  for (;;) {
    const k = p.kinds[i] as Tok;
    if (k === Tok.Newline || k === Tok.EndMarker) break;
    last = k;
    const close = p.matches[i] ?? -1;
    i = (k === Tok.LParen || k === Tok.LBracket || k === Tok.LBrace) && close > i ? close : i + 1;
    if (close > 0 && i === close) last = p.kinds[close] as Tok;
  }
  return last === Tok.Colon;
}

function parseMatch(p: ParserState): void {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  do {
    if (p.tok() === Tok.Colon) break;
    p.b.setField(parseNamedExpression(p), Field.Subject);
  } while (p.eat(Tok.Comma));
  headerColon(p);
  // The match block starts at the line break (tree-sitter's indent token), and holds case clauses.
  const blockStart = p.start;
  const blockMark = p.b.mark();
  if (p.eat(Tok.Newline) && p.tok() === Tok.Indent) {
    p.advance();
    while (p.tok() !== Tok.Dedent && p.tok() !== Tok.EndMarker) {
      if (p.tok() === Tok.Case) parseCase(p);
      else if (p.tok() === Tok.Newline) p.advance();
      else {
        p.unexpected("'case'");
        if (p.tok() === Tok.Indent) p.advance(); else parseStatement(p);
      }
    }
    p.eat(Tok.Dedent);
  } else {
    p.problem(blockStart, blockStart, 'expected an indented block of case clauses');
  }
  p.finish(NodeKind.Block, blockStart, blockMark, Field.Body);
  p.finish(NodeKind.MatchStatement, start, mark);
}

function parseCase(p: ParserState): void {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  do {
    if (p.tok() === Tok.Colon || p.tok() === Tok.If) break;
    parseCasePattern(p);
  } while (p.eat(Tok.Comma));
  if (p.tok() === Tok.If) {
    const guardStart = p.start;
    const guardMark = p.b.mark();
    p.advance();
    parseNamedExpression(p);
    p.finish(NodeKind.IfClause, guardStart, guardMark, Field.Guard);
  }
  headerColon(p);
  parseBlock(p, Field.Consequence);
  p.finish(NodeKind.CaseClause, start, mark, Field.Alternative);
}
