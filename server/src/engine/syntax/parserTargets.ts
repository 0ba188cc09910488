// Assignment and loop targets (expressions read again as patterns), parameters of functions
// and lambdas, and type annotations (tree-sitter-python's `type`, `generic_type`, ...).
import { Field, NodeKind } from './nodeKind';
import { closeBracket, parseBitwiseOr, parseBinary, parseExpression } from './parserExpressions';
import { expressionTooDeepMessage, maxExpressionDepth, type ParserState } from './parserCore';
import { Tok } from './tokens';
import type { NodeId } from './tree';

/** What an expression node becomes as an assignment target. */
const patternKind = new Int16Array(256).fill(-1);
patternKind[NodeKind.Identifier] = NodeKind.Identifier;
patternKind[NodeKind.Attribute] = NodeKind.Attribute;
patternKind[NodeKind.Subscript] = NodeKind.Subscript;
patternKind[NodeKind.Error] = NodeKind.Error;
patternKind[NodeKind.Tuple] = NodeKind.TuplePattern;
patternKind[NodeKind.ParenthesizedExpression] = NodeKind.TuplePattern;
patternKind[NodeKind.List] = NodeKind.ListPattern;
patternKind[NodeKind.ListSplat] = NodeKind.ListSplatPattern;
patternKind[NodeKind.ExpressionList] = NodeKind.PatternList;
patternKind[NodeKind.PatternList] = NodeKind.PatternList;

/** Re-kinds an expression parsed before its `=` (or `in`) as the target it is; reports what cannot be assigned. */
export function toPattern(p: ParserState, root: NodeId): void {
  const b = p.b;
  const stack = [root];
  while (stack.length) {
    const id = stack.pop() ?? root;
    const kind = b.kindOf(id);
    const target = patternKind[kind] ?? -1;
    if (target < 0) {
      p.problem(b.startOf(id), b.endOf(id), 'cannot assign to this expression');
      continue;
    }
    b.setKind(id, target as NodeKind);
    // The elements of tuples and lists are targets too; a splat's operand stays as it is.
    if (target === NodeKind.TuplePattern || target === NodeKind.ListPattern || target === NodeKind.PatternList) {
      for (let c = b.firstChildOf(id); c >= 0; c = b.nextSiblingOf(c)) stack.push(c);
    }
  }
}

function parseTarget(p: ParserState): NodeId {
  if (p.tok() !== Tok.Star) return parseBitwiseOr(p);
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  parseBitwiseOr(p);
  return p.finish(NodeKind.ListSplat, start, mark);
}

/** The targets of `for ... in` (a pattern, or a pattern_list when there are commas). */
export function parseTargetList(p: ParserState): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  let node = parseTarget(p);
  if (p.tok() === Tok.Comma) {
    while (p.eat(Tok.Comma) && p.tok() !== Tok.In && p.startsExpression()) parseTarget(p);
    node = p.finish(NodeKind.PatternList, start, mark);
  }
  toPattern(p, node);
  return node;
}

/** `(a, b=1, *args, c: int, **kw)` of a function definition. */
export function parseParameters(p: ParserState): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  p.inBrackets++;
  parseParameterList(p, Tok.RParen, true);
  closeBracket(p, Tok.RParen, "')'");
  return p.finish(NodeKind.Parameters, start, mark, Field.Parameters);
}

/** The parameters of a lambda, up to its colon. */
export function parseLambdaParameters(p: ParserState): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  parseParameterList(p, Tok.Colon, false);
  return p.finish(NodeKind.LambdaParameters, start, mark, Field.Parameters);
}

function parseParameterList(p: ParserState, close: Tok, annotations: boolean): void {
  while (p.tok() !== close && p.tok() !== Tok.Newline && p.tok() !== Tok.EndMarker) {
    const at = p.i;
    parseParameter(p, close, annotations);
    if (!p.eat(Tok.Comma) || p.i === at) break;
  }
}

function parseParameter(p: ParserState, close: Tok, annotations: boolean): void {
  const start = p.start;
  const mark = p.b.mark();
  const k = p.tok();
  if (k === Tok.Star || k === Tok.DoubleStar) {
    if (k === Tok.Star && (p.peek() === Tok.Comma || p.peek() === close)) {
      p.leaf(NodeKind.KeywordSeparator);
      return;
    }
    p.advance();
    if (p.isName()) p.leaf(NodeKind.Identifier);
    else p.missing('a parameter name');
    p.finish(k === Tok.Star ? NodeKind.ListSplatPattern : NodeKind.DictionarySplatPattern, start, mark);
    if (annotations && p.eat(Tok.Colon)) {
      parseType(p, Field.Type);
      p.finish(NodeKind.TypedParameter, start, mark);
    }
    return;
  }
  if (k === Tok.Slash) {
    p.leaf(NodeKind.PositionalSeparator);
    return;
  }
  if (k === Tok.LParen) {
    // Python 2: a parameter unpacked as a tuple, `def f(a, (b, c)):`.
    const tuple = parseTupleParameter(p);
    if (p.eat(Tok.Equal)) {
      p.b.setField(tuple, Field.Name);
      p.b.setField(parseExpression(p), Field.Value);
      p.finish(NodeKind.DefaultParameter, start, mark);
    }
    return;
  }
  if (!p.isName()) {
    p.missing('a parameter');
    return;
  }
  const name = p.leaf(NodeKind.Identifier);
  if (annotations && p.eat(Tok.Colon)) {
    parseType(p, Field.Type);
    if (p.eat(Tok.Equal)) {
      p.b.setField(name, Field.Name);
      p.b.setField(parseExpression(p), Field.Value);
      p.finish(NodeKind.TypedDefaultParameter, start, mark);
    } else {
      p.finish(NodeKind.TypedParameter, start, mark);
    }
  } else if (p.eat(Tok.Equal)) {
    p.b.setField(name, Field.Name);
    p.b.setField(parseExpression(p), Field.Value);
    p.finish(NodeKind.DefaultParameter, start, mark);
  }
}

function parseTupleParameter(p: ParserState): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  if (++p.depth > maxExpressionDepth) {
    p.depth--;
    p.problem(p.start, p.end, expressionTooDeepMessage);
    while (p.tok() !== Tok.Newline && p.tok() !== Tok.EndMarker) p.advance();
    return p.finish(NodeKind.Error, start, mark);
  }
  p.advance();
  p.inBrackets++;
  while (p.tok() !== Tok.RParen && p.tok() !== Tok.Newline && p.tok() !== Tok.EndMarker) {
    const at = p.i;
    if (p.tok() === Tok.LParen) parseTupleParameter(p);
    else if (p.isName()) p.leaf(NodeKind.Identifier);
    else p.missing('a parameter name');
    if (!p.eat(Tok.Comma) || p.i === at) break;
  }
  closeBracket(p, Tok.RParen, "')'");
  p.depth--;
  return p.finish(NodeKind.TuplePattern, start, mark);
}

/** Whether `name[` starts a generic_type: its `]` ends the annotation or continues it as a type. */
function isGeneric(p: ParserState): boolean {
  if (!p.isName() || p.peek() !== Tok.LBracket) return false;
  const close = p.matches[p.i + 1] ?? -1;
  if (close < 0) return true;
  switch (p.kinds[close + 1] as Tok) {
    case Tok.Pipe:
    case Tok.Dot:
    case Tok.Equal:
    case Tok.Comma:
    case Tok.RParen:
    case Tok.RBracket:
    case Tok.Colon:
    case Tok.Newline:
    case Tok.Semicolon:
    case Tok.EndMarker:
    case Tok.RBrace:
      return true;
    default:
      return false;
  }
}

/** A type-only form (`*Ts`, `List[int]`), or undefined when the type is a plain expression. */
function parseTypeForm(p: ParserState): NodeId | undefined {
  const start = p.start;
  const mark = p.b.mark();
  if ((p.tok() === Tok.Star || p.tok() === Tok.DoubleStar) && p.peek() !== Tok.EndMarker) {
    p.advance();
    if (p.isName()) p.leaf(NodeKind.Identifier);
    else p.missing('a name');
    return p.finish(NodeKind.SplatType, start, mark);
  }
  if (isGeneric(p)) {
    p.leaf(NodeKind.Identifier);
    parseTypeParameter(p);
    return p.finish(NodeKind.GenericType, start, mark);
  }
  return undefined;
}

/** A `type` node: an annotation, a type alias side, an element of a type parameter list. */
export function parseType(p: ParserState, field: Field = Field.None): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  const form = parseTypeForm(p);
  if (form === undefined) {
    parseExpression(p);
    return p.finish(NodeKind.Type, start, mark, field);
  }
  // After a type-only form, `|` and `.name` continue as union_type and member_type.
  for (;;) {
    if (p.tok() === Tok.Pipe) {
      p.finish(NodeKind.Type, start, mark);
      p.advance();
      const rightStart = p.start;
      const rightMark = p.b.mark();
      if (parseTypeForm(p) === undefined) parseBinary(p, 2);
      p.finish(NodeKind.Type, rightStart, rightMark);
      p.finish(NodeKind.UnionType, start, mark);
    } else if (p.tok() === Tok.Dot && p.peek() !== Tok.EndMarker && p.isNameAt(1)) {
      p.finish(NodeKind.Type, start, mark);
      p.advance();
      p.leaf(NodeKind.Identifier);
      p.finish(NodeKind.MemberType, start, mark);
    } else {
      return p.finish(NodeKind.Type, start, mark, field);
    }
  }
}

/** `[T, *Ts, **P, U: int]`: generic parameters or arguments, each a type. */
export function parseTypeParameter(p: ParserState, field: Field = Field.None): NodeId {
  const start = p.start;
  const mark = p.b.mark();
  p.advance();
  p.inBrackets++;
  while (p.tok() !== Tok.RBracket && p.tok() !== Tok.Newline && p.tok() !== Tok.EndMarker) {
    const at = p.i;
    const elementStart = p.start;
    const elementMark = p.b.mark();
    parseType(p);
    if (p.eat(Tok.Colon)) {
      parseType(p);
      p.finish(NodeKind.ConstrainedType, elementStart, elementMark);
      p.finish(NodeKind.Type, elementStart, elementMark);
    }
    // PEP 696 default (`T = int`): the default follows as another type.
    if (p.eat(Tok.Equal)) parseType(p);
    if (!p.eat(Tok.Comma) || p.i === at) break;
  }
  closeBracket(p, Tok.RBracket, "']'");
  return p.finish(NodeKind.TypeParameter, start, mark, field);
}
