// Bracketed atoms: parenthesized expressions and tuples, lists, dictionaries and sets, their
// comprehensions and generator expressions, and Python 2 backticks.
import { Field, NodeKind } from './nodeKind';
import type { ParserState } from './parserCore';
import {
  closeBracket,
  parseBitwiseOr,
  parseExpression,
  parseOr,
  parseStarOrNamed,
  parseYield,
} from './parserExpressions';
import { parseTargetList } from './parserTargets';
import { Tok } from './tokens';
import type { NodeId } from './tree';

/** Elements up to the closing bracket (the first is parsed already); trailing comma allowed. */
function parseElements(p: ParserState, close: Tok): void {
  while (p.eat(Tok.Comma)) {
    if (p.tok() === close || !p.startsExpression()) break;
    if (p.tok() === Tok.Yield) parseYield(p);
    else parseStarOrNamed(p);
  }
}

export function parseParenthesized(p: ParserState): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  p.inBrackets++;
  if (p.tok() === Tok.RParen) {
    closeBracket(p, Tok.RParen, "')'");
    return p.finish(NodeKind.Tuple, start, mark);
  }
  if (p.tok() === Tok.Yield) {
    parseYield(p);
    closeBracket(p, Tok.RParen, "')'");
    return p.finish(NodeKind.ParenthesizedExpression, start, mark);
  }
  parseStarOrNamed(p);
  let kind = NodeKind.ParenthesizedExpression;
  if (isComprehension(p)) {
    p.b.setField(p.b.pendingAt(mark), Field.Body);
    parseComprehensionClauses(p);
    kind = NodeKind.GeneratorExpression;
  } else if (p.tok() === Tok.Comma) {
    parseElements(p, Tok.RParen);
    kind = NodeKind.Tuple;
  }
  closeBracket(p, Tok.RParen, "')'");
  return p.finish(kind, start, mark);
}

export function parseList(p: ParserState): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  p.inBrackets++;
  let kind = NodeKind.List;
  if (p.tok() !== Tok.RBracket) {
    if (p.tok() === Tok.Yield) parseYield(p);
    else parseStarOrNamed(p);
    if (isComprehension(p)) {
      p.b.setField(p.b.pendingAt(mark), Field.Body);
      parseComprehensionClauses(p);
      kind = NodeKind.ListComprehension;
    } else {
      parseElements(p, Tok.RBracket);
    }
  }
  closeBracket(p, Tok.RBracket, "']'");
  return p.finish(kind, start, mark);
}

export function parseBraces(p: ParserState): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  p.inBrackets++;
  let kind = NodeKind.Dictionary;
  if (p.tok() !== Tok.RBrace) {
    if (p.tok() === Tok.DoubleStar || parseSetElementOrPair(p)) {
      if (p.tok() === Tok.DoubleStar) parseDictionarySplat(p);
      if (isComprehension(p)) {
        p.b.setField(p.b.pendingAt(mark), Field.Body);
        parseComprehensionClauses(p);
        kind = NodeKind.DictionaryComprehension;
      } else {
        while (p.eat(Tok.Comma) && p.tok() !== Tok.RBrace) {
          if (p.tok() === Tok.DoubleStar) parseDictionarySplat(p);
          else if (p.startsExpression()) parseSetElementOrPair(p);
          else break;
        }
      }
    } else if (isComprehension(p)) {
      p.b.setField(p.b.pendingAt(mark), Field.Body);
      parseComprehensionClauses(p);
      kind = NodeKind.SetComprehension;
    } else {
      kind = NodeKind.Set;
      parseElements(p, Tok.RBrace);
    }
  }
  closeBracket(p, Tok.RBrace, "'}'");
  return p.finish(kind, start, mark);
}

/** `key: value` (a pair: returns true) or a set element (false). */
function parseSetElementOrPair(p: ParserState): boolean {
  const start = p.start;
  const mark = p.b.mark();
  const key = parseStarOrNamed(p);
  if (p.tok() !== Tok.Colon) return false;
  p.b.setField(key, Field.Key);
  p.advance();
  p.b.setField(parseExpression(p), Field.Value);
  p.finish(NodeKind.Pair, start, mark);
  return true;
}

function parseDictionarySplat(p: ParserState): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  parseBitwiseOr(p);
  return p.finish(NodeKind.DictionarySplat, start, mark);
}

/** Python 2 backticks, `repr` by another spelling: read as the parenthesized expression inside. */
export function parseBackticks(p: ParserState): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  p.inBrackets++;
  parseExpression(p);
  let kind = NodeKind.ParenthesizedExpression;
  if (p.tok() === Tok.Comma) {
    kind = NodeKind.Tuple;
    while (p.eat(Tok.Comma) && p.startsExpression() && p.tok() !== Tok.Backtick) parseExpression(p);
  }
  closeBracket(p, Tok.Backtick, "'`'");
  return p.finish(kind, start, mark);
}

export function isComprehension(p: ParserState): boolean {
  return p.tok() === Tok.For || (p.tok() === Tok.Async && p.peek() === Tok.For);
}

/** `for x in y if z ...` after a comprehension's body. */
export function parseComprehensionClauses(p: ParserState): void {
  for (;;) {
    const start = p.start;
    const mark = p.b.mark();
    if (isComprehension(p)) {
      if (p.tok() === Tok.Async) p.advance();
      p.advance();
      p.b.setField(parseTargetList(p), Field.Left);
      if (p.expect(Tok.In, "'in'")) {
        p.b.setField(parseOr(p), Field.Right);
        // Python 2 allows `for x in a, b` here.
        while (
          p.tok() === Tok.Comma &&
          p.peek() !== Tok.RParen &&
          p.peek() !== Tok.RBracket &&
          p.peek() !== Tok.RBrace
        ) {
          p.advance();
          if (!p.startsExpression()) break;
          p.b.setField(parseOr(p), Field.Right);
        }
      }
      p.finish(NodeKind.ForInClause, start, mark);
    } else if (p.tok() === Tok.If) {
      p.advance();
      parseOr(p);
      p.finish(NodeKind.IfClause, start, mark);
    } else {
      return;
    }
  }
}
