// Patterns of `case` clauses (PEP 634), in tree-sitter-python's shapes: every pattern is a
// case_pattern around a class, list, tuple, dict, union or literal pattern, a dotted name or
// nothing at all (the wildcard `_`); a literal's minus sign is text, not a node.
import { Field, NodeKind } from './nodeKind';
import { closeBracket, parseStrings } from './parserExpressions';
import { expressionTooDeepMessage, maxExpressionDepth, type ParserState } from './parserCore';
import { Tok } from './tokens';
import type { NodeId } from './tree';

function isWildcard(p: ParserState): boolean {
  return (
    p.tok() === Tok.Name &&
    p.end - p.start === 1 &&
    p.source.charCodeAt(p.start) === 95 &&
    p.peek() !== Tok.Dot &&
    p.peek() !== Tok.LParen
  );
}

/** A case_pattern, with `as name` read as an as_pattern around it. */
export function parseCasePattern(p: ParserState, field: Field = Field.None): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  if (++p.depth > maxExpressionDepth) {
    p.depth--;
    p.problem(p.start, p.end, expressionTooDeepMessage);
    while (p.tok() !== Tok.Newline && p.tok() !== Tok.EndMarker) p.advance();
    return p.finish(NodeKind.Error, start, mark, field);
  }
  if (p.isName() && p.peek() === Tok.Equal) {
    p.leaf(NodeKind.Identifier);
    p.advance();
    parseUnionOrSimple(p);
    p.finish(NodeKind.KeywordPattern, start, mark);
  } else {
    parseUnionOrSimple(p);
  }
  let node = p.finish(NodeKind.CasePattern, start, mark);
  while (p.tok() === Tok.As) {
    p.advance();
    if (p.isName()) p.leaf(NodeKind.Identifier);
    else p.missing('a name');
    p.finish(NodeKind.AsPattern, start, mark);
    node = p.finish(NodeKind.CasePattern, start, mark);
  }
  p.depth--;
  if (field !== Field.None) p.b.setField(node, field);
  return node;
}

function parseUnionOrSimple(p: ParserState): void {
  const start = p.start;
  const mark = p.b.mark();
  parseSimplePattern(p);
  if (p.tok() !== Tok.Pipe) return;
  while (p.eat(Tok.Pipe)) parseSimplePattern(p);
  p.finish(NodeKind.UnionPattern, start, mark);
}

/** Case patterns separated by commas up to `close`. */
function parsePatternSequence(p: ParserState, close: Tok): void {
  while (p.tok() !== close && p.tok() !== Tok.Newline && p.tok() !== Tok.EndMarker) {
    const at = p.i;
    parseCasePattern(p);
    if (!p.eat(Tok.Comma) || p.i === at) break;
  }
}

/** One simple pattern: zero nodes for `_`, one otherwise. */
function parseSimplePattern(p: ParserState): void {
  const start = p.start;
  const mark = p.b.mark();
  switch (p.tok()) {
    case Tok.Star:
    case Tok.DoubleStar:
      p.advance();
      if (isWildcard(p)) p.advance();
      else if (p.isName()) p.leaf(NodeKind.Identifier);
      else p.missing('a name');
      p.finish(NodeKind.SplatPattern, start, mark);
      return;
    case Tok.LBracket:
    case Tok.LParen: {
      const close = p.tok() === Tok.LBracket ? Tok.RBracket : Tok.RParen;
      p.advance();
      p.inBrackets++;
      parsePatternSequence(p, close);
      closeBracket(p, close, close === Tok.RBracket ? "']'" : "')'");
      p.finish(close === Tok.RBracket ? NodeKind.ListPattern : NodeKind.TuplePattern, start, mark);
      return;
    }
    case Tok.LBrace:
      parseDictPattern(p);
      return;
    case Tok.String:
    case Tok.FStringStart:
      parseStrings(p);
      return;
    case Tok.True:
      p.leaf(NodeKind.True);
      return;
    case Tok.False:
      p.leaf(NodeKind.False);
      return;
    case Tok.None:
      p.leaf(NodeKind.None);
      return;
    case Tok.Minus:
    case Tok.Number:
    case Tok.Float:
      parseNumberPattern(p);
      return;
    default:
      if (isWildcard(p)) {
        p.advance();
        return;
      }
      if (!p.isName()) {
        p.missing('a pattern');
        return;
      }
      parseDottedName(p);
      if (p.tok() === Tok.LParen) {
        p.advance();
        p.inBrackets++;
        parsePatternSequence(p, Tok.RParen);
        closeBracket(p, Tok.RParen, "')'");
        p.finish(NodeKind.ClassPattern, start, mark);
      }
  }
}

export function parseDottedName(p: ParserState, field: Field = Field.None): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  if (p.isName()) p.leaf(NodeKind.Identifier);
  else p.missing('a name');
  while (p.tok() === Tok.Dot && p.isNameAt(1)) {
    p.advance();
    p.leaf(NodeKind.Identifier);
  }
  return p.finish(NodeKind.DottedName, start, mark, field);
}

/** `-1`, `2.5`, `1 + 2j`, `-1.5 - 2j`: the signs are text of the pattern around them. */
function parseNumberPattern(p: ParserState): void {
  const start = p.start;
  const mark = p.b.mark();
  p.eat(Tok.Minus);
  if (p.tok() === Tok.Number) p.leaf(NodeKind.Integer);
  else if (p.tok() === Tok.Float) p.leaf(NodeKind.Float);
  else {
    p.missing('a number');
    return;
  }
  if ((p.tok() === Tok.Plus || p.tok() === Tok.Minus) && (p.peek() === Tok.Number || p.peek() === Tok.Float)) {
    p.advance();
    p.leaf(p.tok() === Tok.Float ? NodeKind.Float : NodeKind.Integer);
    p.finish(NodeKind.ComplexPattern, start, mark);
  }
}

function parseDictPattern(p: ParserState): void {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  p.inBrackets++;
  while (p.tok() !== Tok.RBrace && p.tok() !== Tok.Newline && p.tok() !== Tok.EndMarker) {
    const at = p.i;
    if (p.tok() === Tok.DoubleStar || p.tok() === Tok.Star) {
      parseSimplePattern(p);
    } else {
      const keyMark = p.b.mark();
      parseSimplePattern(p);
      for (let k = keyMark; k < p.b.mark(); k++) p.b.setField(p.b.pendingAt(k), Field.Key);
      if (p.expect(Tok.Colon, "':'")) parseCasePattern(p, Field.Value);
    }
    if (!p.eat(Tok.Comma) || p.i === at) break;
  }
  closeBracket(p, Tok.RBrace, "'}'");
  p.finish(NodeKind.DictPattern, start, mark);
}
