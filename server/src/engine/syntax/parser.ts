// The hand-written parser: Python 2.7 and 3.0–3.13 source → ArrayTree, in the model of
// Pyright's and ruff's recursive-descent parsers. Blocks and compound statements are parsed
// here; simple statements, expressions, targets and patterns in the parser*.ts files beside
// it. It never throws on bad input: an
// error is a problem plus an error node local to its statement, and parsing goes on at the
// next statement. Kinds, fields and spans are tree-sitter-python's for valid code (the
// differential tests compare them); docs/parser.md lists where we read code as CPython does.
import { Field, NodeKind } from './nodeKind';
import { ParserState } from './parserCore';
import {
  parseArguments,
  parseExpression,
  parseExpressionListOrSingle,
  parseNamedExpression,
} from './parserExpressions';
import { parseCasePattern } from './parserPatterns';
import { augmentedAssignment, parseSimpleStatement } from './parserStatements';
import { parseParameters, parseTargetList, parseType, parseTypeParameter } from './parserTargets';
import { recycleTokenArrays, tokenize } from './tokenizer';
import { Tok } from './tokens';
import { TreeBuilder, type ArrayTree, type NodeId } from './tree';

/** Parses Python 2 or 3 source: always a tree (problems are listed on it). */
export function parseSource(text: string): ArrayTree {
  const { tokens, comments, problems } = tokenize(text);
  const b = new TreeBuilder(text, tokens.count + (tokens.count >> 1));
  const p = new ParserState(tokens, b, text, problems);
  parseStatements(p, false);
  b.setComments(comments);
  for (const problem of problems) b.problem(problem.start, problem.end, problem.message);
  const tree = b.build(NodeKind.Module);
  recycleTokenArrays(tokens);
  return tree;
}

/** Statements up to the dedent that ends the block (at the top level: to the end of the file). */
function parseStatements(p: ParserState, inBlock: boolean): void {
  let unexpectedIndents = 0;
  for (;;) {
    const k = p.tok();
    if (k === Tok.EndMarker) return;
    if (k === Tok.Dedent) {
      // The end of the block, or of lines indented for no reason (or a stray one at the top).
      if (unexpectedIndents === 0 && inBlock) return;
      if (unexpectedIndents > 0) unexpectedIndents--;
      p.advance();
      continue;
    }
    if (k === Tok.Indent) {
      // Indented deeper than its block for no reason: CPython says "unexpected indent".
      p.advance();
      p.problem(p.start, p.start, 'unexpected indent');
      unexpectedIndents++;
      continue;
    }
    if (k === Tok.Newline) {
      p.advance();
      continue;
    }
    parseStatement(p);
  }
}

function parseStatement(p: ParserState): void {
  switch (p.tok()) {
    case Tok.If:
      parseIf(p);
      return;
    case Tok.While:
      parseWhile(p);
      return;
    case Tok.For:
      parseFor(p, p.start);
      return;
    case Tok.Try:
      parseTry(p);
      return;
    case Tok.With:
      parseWith(p, p.start);
      return;
    case Tok.Def:
      parseFunction(p, p.start);
      return;
    case Tok.Class:
      parseClass(p);
      return;
    case Tok.At:
      parseDecorated(p);
      return;
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
      if (isMatchStatement(p)) {
        parseMatch(p);
        return;
      }
      break;
    case Tok.Elif:
    case Tok.Else:
    case Tok.Except:
    case Tok.Finally:
    case Tok.Case:
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
  const close = p.tok() === Tok.LParen ? (p.matches[p.i] ?? -1) : -1;
  const parenthesized = close > 0 && p.kinds[close + 1] === Tok.Colon && hasTopLevelCommaOrAs(p, p.i + 1, close);
  if (parenthesized) {
    p.advance();
    p.inBrackets++;
  }
  do {
    if (parenthesized && p.tok() === Tok.RParen) break;
    parseWithItem(p);
  } while (p.eat(Tok.Comma));
  if (parenthesized) {
    p.expect(Tok.RParen, "')'");
    p.inBrackets--;
  }
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
  if (p.isName()) p.leaf(NodeKind.Identifier, Field.Name);
  else p.missing('a function name', Field.Name);
  if (p.tok() === Tok.LBracket) parseTypeParameter(p, Field.TypeParameters);
  if (p.tok() === Tok.LParen) parseParameters(p);
  else p.missing("'('", Field.Parameters);
  if (p.eat(Tok.Arrow)) parseType(p, Field.ReturnType);
  headerColon(p);
  parseBlock(p, Field.Body);
  p.finish(NodeKind.FunctionDefinition, start, mark);
}

function parseClass(p: ParserState): void {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  if (p.isName()) p.leaf(NodeKind.Identifier, Field.Name);
  else p.missing('a class name', Field.Name);
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
  else if (p.tok() === Tok.Async && p.peek() === Tok.Def) {
    p.advance();
    parseFunction(p, defStart);
  } else {
    p.unexpected("'def' or 'class' after decorators");
    p.finish(NodeKind.DecoratedDefinition, start, mark);
    return;
  }
  p.b.setField(p.b.pendingAt(p.b.mark() - 1), Field.Definition);
  p.finish(NodeKind.DecoratedDefinition, start, mark);
}

/** `match` starts a match statement when its logical line ends with a colon. */
function isMatchStatement(p: ParserState): boolean {
  const next = p.peek();
  if (
    next === Tok.Equal ||
    next === Tok.Dot ||
    next === Tok.Colon ||
    next === Tok.Comma ||
    next === Tok.Newline ||
    next === Tok.Semicolon ||
    augmentedAssignment[next] === 1
  )
    return false;
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
        if (p.tok() === Tok.Indent) p.advance();
        else parseStatement(p);
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
