// Expressions, by precedence climbing over CPython's levels: lambda and conditional, or, and,
// not, comparisons, binary operators, unary, power, await, primaries and atoms. Node kinds and
// fields are tree-sitter-python's (see nodeKind.ts); where the two grammars read valid code
// differently, this follows CPython (docs/parser.md lists where).
import { Field, NodeKind } from './nodeKind';
import { expressionTooDeepMessage, maxExpressionDepth, startsPrimary, type ParserState } from './parserCore';
import {
  isComprehension,
  parseBackticks,
  parseBraces,
  parseComprehensionClauses,
  parseList,
  parseParenthesized,
} from './parserCollections';
import { parseLambdaParameters } from './parserTargets';
import { Tok } from './tokens';
import type { NodeId } from './tree';

/** Binary operator precedence (CPython order; 0: not a binary operator). */
const binaryPrecedence = new Uint8Array(256);
binaryPrecedence[Tok.Pipe] = 1;
binaryPrecedence[Tok.Caret] = 2;
binaryPrecedence[Tok.Amp] = 3;
binaryPrecedence[Tok.LShift] = 4;
binaryPrecedence[Tok.RShift] = 4;
binaryPrecedence[Tok.Plus] = 5;
binaryPrecedence[Tok.Minus] = 5;
binaryPrecedence[Tok.Star] = 6;
binaryPrecedence[Tok.Slash] = 6;
binaryPrecedence[Tok.DoubleSlash] = 6;
binaryPrecedence[Tok.Percent] = 6;
binaryPrecedence[Tok.At] = 6;

const comparison = new Uint8Array(256);
for (const k of [
  Tok.Less,
  Tok.Greater,
  Tok.EqEqual,
  Tok.GreaterEqual,
  Tok.LessEqual,
  Tok.NotEqual,
  Tok.LessGreater,
  Tok.In,
  Tok.Is,
])
  comparison[k] = 1;

/** Past the depth limit: the rest of the line is one error node (no stack overflow on deep nesting). */
function tooDeep(p: ParserState): NodeId {
  p.problem(p.start, p.end, expressionTooDeepMessage);
  const start = p.start;
  const mark = p.b.mark();
  while (p.tok() !== Tok.Newline && p.tok() !== Tok.EndMarker) p.advance();
  return p.b.finish(NodeKind.Error, start, p.lastEnd, mark);
}

/** `name := value`, or any expression (tree-sitter's `expression` without `as`). */
export function parseNamedExpression(p: ParserState): NodeId {
  if (p.isName() && p.peek() === Tok.Walrus) {
    const start = p.start;
    const mark = p.b.mark();
    p.leaf(NodeKind.Identifier, Field.Name);
    p.advance();
    const value = parseExpression(p);
    p.b.setField(value, Field.Value);
    return p.finish(NodeKind.NamedExpression, start, mark);
  }
  return parseExpression(p);
}

/** lambda, or a conditional expression, or anything below. */
export function parseExpression(p: ParserState): NodeId {
  if (++p.depth > maxExpressionDepth) {
    p.depth--;
    return tooDeep(p);
  }
  if (p.tok() === Tok.Lambda) {
    const lambda = parseLambda(p);
    p.depth--;
    return lambda;
  }
  const start = p.start;
  const mark = p.b.mark();
  let node = parseOr(p);
  if (p.tok() === Tok.If) {
    p.advance();
    parseOr(p);
    if (p.expect(Tok.Else, "'else'")) parseExpression(p);
    node = p.finish(NodeKind.ConditionalExpression, start, mark);
  }
  p.depth--;
  return node;
}

function parseLambda(p: ParserState): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  if (p.tok() !== Tok.Colon) parseLambdaParameters(p);
  p.expect(Tok.Colon, "':'");
  const body = parseExpression(p);
  p.b.setField(body, Field.Body);
  return p.finish(NodeKind.Lambda, start, mark);
}

export function parseOr(p: ParserState): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  let left = parseAnd(p);
  while (p.tok() === Tok.Or) {
    p.b.setField(left, Field.Left);
    p.leaf(NodeKind.Operator, Field.Operator);
    p.b.setField(parseAnd(p), Field.Right);
    left = p.finish(NodeKind.BooleanOperator, start, mark);
  }
  return left;
}

function parseAnd(p: ParserState): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  let left = parseNot(p);
  while (p.tok() === Tok.And) {
    p.b.setField(left, Field.Left);
    p.leaf(NodeKind.Operator, Field.Operator);
    p.b.setField(parseNot(p), Field.Right);
    left = p.finish(NodeKind.BooleanOperator, start, mark);
  }
  return left;
}

function parseNot(p: ParserState): NodeId {
  if (p.tok() !== Tok.Not) return parseComparison(p);
  if (++p.depth > maxExpressionDepth) {
    p.depth--;
    return tooDeep(p);
  }
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  p.b.setField(parseNot(p), Field.Argument);
  p.depth--;
  return p.finish(NodeKind.NotOperator, start, mark);
}

function isComparisonOperator(p: ParserState): boolean {
  return comparison[p.tok()] === 1 || (p.tok() === Tok.Not && p.peek() === Tok.In);
}

function parseComparison(p: ParserState): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  const first = parseBitwiseOr(p);
  if (!isComparisonOperator(p)) return first;
  while (isComparisonOperator(p)) {
    const opStart = p.start;
    // `not in` and `is not` are one operator token spanning both words.
    if ((p.tok() === Tok.Not && p.peek() === Tok.In) || (p.tok() === Tok.Is && p.peek() === Tok.Not)) p.advance();
    const opEnd = p.end;
    p.advance();
    p.b.setField(p.b.leaf(NodeKind.Operator, opStart, opEnd), Field.Operators);
    parseBitwiseOr(p);
  }
  return p.finish(NodeKind.ComparisonOperator, start, mark);
}

export function parseBitwiseOr(p: ParserState): NodeId {
  return parseBinary(p, 1);
}

/** Left-associative binary operators at or above `minPrecedence`. */
export function parseBinary(p: ParserState, minPrecedence: number): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  let left = parseUnary(p);
  for (;;) {
    const precedence = binaryPrecedence[p.tok()] ?? 0;
    if (precedence === 0 || precedence < minPrecedence) return left;
    p.b.setField(left, Field.Left);
    p.leaf(NodeKind.Operator, Field.Operator);
    p.b.setField(parseBinary(p, precedence + 1), Field.Right);
    left = p.finish(NodeKind.BinaryOperator, start, mark);
  }
}

/** `-x`, `+x`, `~x`, or a power. */
function parseUnary(p: ParserState): NodeId {
  const k = p.tok();
  if (k !== Tok.Minus && k !== Tok.Plus && k !== Tok.Tilde) return parsePower(p);
  if (++p.depth > maxExpressionDepth) {
    p.depth--;
    return tooDeep(p);
  }
  const start = p.start;
  const mark = p.b.mark();
  p.leaf(NodeKind.Operator, Field.Operator);
  p.b.setField(parseUnary(p), Field.Argument);
  p.depth--;
  return p.finish(NodeKind.UnaryOperator, start, mark);
}

/** `await x ** y` (right-associative; the right operand may be unary). */
function parsePower(p: ParserState): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  const left = parseAwait(p);
  if (p.tok() !== Tok.DoubleStar) return left;
  if (++p.depth > maxExpressionDepth) {
    p.depth--;
    return tooDeep(p);
  }
  p.b.setField(left, Field.Left);
  p.leaf(NodeKind.Operator, Field.Operator);
  p.b.setField(parseUnary(p), Field.Right);
  p.depth--;
  return p.finish(NodeKind.BinaryOperator, start, mark);
}

function parseAwait(p: ParserState): NodeId {
  if (p.tok() !== Tok.Await || !startsPrimary(p.peek())) return parsePrimary(p);
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  parsePrimary(p);
  return p.finish(NodeKind.Await, start, mark);
}

/** An atom and its trailers: `.name`, `(arguments)`, `[subscript]`. */
function parsePrimary(p: ParserState): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  let node = parseAtom(p);
  for (;;) {
    const k = p.tok();
    if (k === Tok.Dot) {
      p.advance();
      if (!p.isName()) {
        // `dom.` being typed: keep what is there, marked as an error.
        p.unexpected('a name after the dot');
        node = p.finish(NodeKind.Error, start, mark);
        continue;
      }
      p.b.setField(node, Field.Object);
      p.leaf(NodeKind.Identifier, Field.Attribute);
      node = p.finish(NodeKind.Attribute, start, mark);
    } else if (k === Tok.LParen) {
      p.b.setField(node, Field.Function);
      p.b.setField(parseArguments(p), Field.Arguments);
      node = p.finish(NodeKind.Call, start, mark);
    } else if (k === Tok.LBracket) {
      p.b.setField(node, Field.Value);
      parseSubscripts(p);
      node = p.finish(NodeKind.Subscript, start, mark);
    } else {
      return node;
    }
  }
}

function parseAtom(p: ParserState): NodeId {
  switch (p.tok()) {
    case Tok.Name:
    case Tok.Async:
    case Tok.Await:
    case Tok.Print:
    case Tok.Exec:
    case Tok.Match:
    case Tok.Case:
    case Tok.Type:
      return p.leaf(NodeKind.Identifier);
    case Tok.Number:
      return p.leaf(NodeKind.Integer);
    case Tok.Float:
      return p.leaf(NodeKind.Float);
    case Tok.String:
    case Tok.FStringStart:
      return parseStrings(p);
    case Tok.True:
      return p.leaf(NodeKind.True);
    case Tok.False:
      return p.leaf(NodeKind.False);
    case Tok.None:
      return p.leaf(NodeKind.None);
    case Tok.Ellipsis:
      return p.leaf(NodeKind.Ellipsis);
    case Tok.LParen:
      return parseParenthesized(p);
    case Tok.LBracket:
      return parseList(p);
    case Tok.LBrace:
      return parseBraces(p);
    case Tok.Backtick:
      return parseBackticks(p);
    case Tok.Star:
      return parseStarred(p);
    case Tok.Error:
      return p.leaf(NodeKind.Error);
    default:
      return p.missing('an expression');
  }
}

/** One string, or adjacent strings as a concatenated_string. */
export function parseStrings(p: ParserState): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  const first = parseString(p);
  if (p.tok() !== Tok.String && p.tok() !== Tok.FStringStart) return first;
  while (p.tok() === Tok.String || p.tok() === Tok.FStringStart) parseString(p);
  return p.finish(NodeKind.ConcatenatedString, start, mark);
}

function parseString(p: ParserState): NodeId {
  if (p.tok() === Tok.String) return p.leaf(NodeKind.String);
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  while (p.tok() !== Tok.FStringEnd && p.tok() !== Tok.EndMarker) {
    if (p.tok() === Tok.LBrace) parseInterpolation(p, NodeKind.Interpolation);
    else {
      p.unexpected("'}'");
      p.advance();
    }
  }
  p.eat(Tok.FStringEnd);
  return p.finish(NodeKind.String, start, mark);
}

/** `{expression=!r:spec}` in an f-string (a format_expression inside a format specifier). */
function parseInterpolation(p: ParserState, kind: NodeKind): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  p.inBrackets++;
  if (p.tok() === Tok.Yield) p.b.setField(parseYield(p), Field.Expression);
  else p.b.setField(parseExpressionListOrSingle(p, NodeKind.ExpressionList), Field.Expression);
  p.eat(Tok.Equal);
  if (p.tok() === Tok.TypeConversion) p.leaf(NodeKind.TypeConversion, Field.TypeConversion);
  if (p.tok() === Tok.Colon) {
    const specStart = p.start;
    const specMark = p.b.mark();
    p.advance();
    for (;;) {
      if (p.tok() === Tok.FormatText) p.advance();
      else if (p.tok() === Tok.LBrace) parseInterpolation(p, NodeKind.FormatExpression);
      else break;
    }
    p.finish(NodeKind.FormatSpecifier, specStart, specMark, Field.FormatSpecifier);
  }
  if (!p.eat(Tok.RBrace)) {
    p.unexpected("'}'");
    // Resynchronise at the field's end or the string's.
    while (p.tok() !== Tok.RBrace && p.tok() !== Tok.FStringEnd && p.tok() !== Tok.EndMarker && p.tok() !== Tok.Newline)
      p.advance();
    p.eat(Tok.RBrace);
  }
  p.inBrackets--;
  return p.finish(kind, start, mark);
}

/** `*x` as an element, argument or target. */
function parseStarred(p: ParserState): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  parseBitwiseOr(p);
  return p.finish(NodeKind.ListSplat, start, mark);
}

/** An element of a collection, a subscript or an expression list: `*x` or a named expression. */
export function parseStarOrNamed(p: ParserState): NodeId {
  return p.tok() === Tok.Star ? parseStarred(p) : parseNamedExpression(p);
}

/**
 * Comma-separated elements: one element alone, or a node of `kind` over all of them (a trailing
 * comma makes a list of one). Used for expression lists, f-string fields and targets.
 */
export function parseExpressionListOrSingle(p: ParserState, kind: NodeKind): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  const first = parseStarOrNamed(p);
  if (p.tok() !== Tok.Comma) return first;
  while (p.eat(Tok.Comma) && p.startsExpression()) parseStarOrNamed(p);
  return p.finish(kind, start, mark);
}

/** `yield`, `yield x, y`, `yield from x`. */
export function parseYield(p: ParserState): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  if (p.eat(Tok.From)) parseExpression(p);
  else if (p.startsExpression()) parseExpressionListOrSingle(p, NodeKind.ExpressionList);
  return p.finish(NodeKind.Yield, start, mark);
}

export function closeBracket(p: ParserState, close: Tok, what: string): void {
  if (p.eat(close)) {
    p.inBrackets--;
    return;
  }
  // Still inside the bracket here: a line end means the tokenizer reported it never closed.
  p.unexpected(what);
  p.inBrackets--;
  // Skip what cannot be read up to the closer (brackets are balanced by the tokenizer).
  if (p.tok() !== Tok.Newline && p.tok() !== Tok.EndMarker) {
    const start = p.start;
    const mark = p.b.mark();
    let depth = 0;
    while (p.tok() !== Tok.Newline && p.tok() !== Tok.EndMarker) {
      const k = p.tok();
      if (depth === 0 && k === close) break;
      if (k === Tok.LParen || k === Tok.LBracket || k === Tok.LBrace) depth++;
      else if ((k === Tok.RParen || k === Tok.RBracket || k === Tok.RBrace) && --depth < 0) break;
      p.advance();
    }
    if (p.b.mark() > mark || p.lastEnd > start) p.b.finish(NodeKind.Error, start, p.lastEnd, mark);
    p.eat(close);
  }
}

/** `(arguments)` of a call, or the generator expression that is its only argument. */
export function parseArguments(p: ParserState): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  p.inBrackets++;
  let kind = NodeKind.ArgumentList;
  let first = true;
  while (p.tok() !== Tok.RParen && p.tok() !== Tok.Newline && p.tok() !== Tok.EndMarker) {
    const at = p.i;
    parseArgument(p);
    if (first && isComprehension(p)) {
      p.b.setField(p.b.pendingAt(mark), Field.Body);
      parseComprehensionClauses(p);
      kind = NodeKind.GeneratorExpression;
    }
    first = false;
    if (!p.eat(Tok.Comma) || p.i === at) break;
  }
  closeBracket(p, Tok.RParen, "')'");
  return p.finish(kind, start, mark);
}

function parseArgument(p: ParserState): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  if (p.tok() === Tok.Star) {
    p.advance();
    parseExpression(p);
    return p.finish(NodeKind.ListSplat, start, mark);
  }
  if (p.tok() === Tok.DoubleStar) {
    p.advance();
    parseExpression(p);
    return p.finish(NodeKind.DictionarySplat, start, mark);
  }
  if (p.isName() && p.peek() === Tok.Equal) {
    p.leaf(NodeKind.Identifier, Field.Name);
    p.advance();
    p.b.setField(parseExpression(p), Field.Value);
    return p.finish(NodeKind.KeywordArgument, start, mark);
  }
  return parseNamedExpression(p);
}

/** `[a, b:c, ::d]`: each element a `subscript` field (no tuple), slices as slice nodes. */
function parseSubscripts(p: ParserState): void {
  p.advance();
  p.inBrackets++;
  for (;;) {
    const at = p.i;
    p.b.setField(parseSubscriptElement(p), Field.Subscript);
    if (!p.eat(Tok.Comma) || p.tok() === Tok.RBracket || p.i === at) break;
  }
  closeBracket(p, Tok.RBracket, "']'");
}

function parseSubscriptElement(p: ParserState): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  if (p.tok() !== Tok.Colon) {
    const lower = parseStarOrNamed(p);
    if (p.tok() !== Tok.Colon) return lower;
  }
  p.advance();
  if (p.tok() !== Tok.Colon && p.tok() !== Tok.Comma && p.tok() !== Tok.RBracket && p.startsExpression())
    parseExpression(p);
  if (p.eat(Tok.Colon) && p.tok() !== Tok.Comma && p.tok() !== Tok.RBracket && p.startsExpression()) parseExpression(p);
  return p.finish(NodeKind.Slice, start, mark);
}
