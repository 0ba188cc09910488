// The state the recursive-descent parser shares across its modules (statements, expressions,
// targets and patterns): the token arrays, the position, the tree builder and the problems.
// Parse functions are free functions taking this state, so the parser can live in several files.
import { Field, NodeKind } from './nodeKind';
import { isNameToken, Tok, type TokenArrays } from './tokens';
import type { NodeId, SyntaxProblem, TreeBuilder } from './tree';

/** Recursion guard for expressions (each bracket level costs two): past it, the rest of the line is an error. */
export const maxExpressionDepth = 300;
export const expressionTooDeepMessage = 'expression nested too deeply';

export class ParserState {
  readonly kinds: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly matches: Int32Array;
  /** Index of the current token and its kind. */
  i = 0;
  private cur: Tok;
  /** End of the last consumed token: where a node being finished ends. */
  lastEnd = 0;
  /** Expression recursion depth (see maxExpressionDepth). */
  depth = 0;
  /** Open brackets around the current token: a missing closer there was reported by the tokenizer. */
  inBrackets = 0;
  private readonly problemStarts = new Set<number>();

  constructor(
    tokens: TokenArrays,
    readonly b: TreeBuilder,
    readonly source: string,
    readonly problems: SyntaxProblem[],
  ) {
    this.kinds = tokens.kinds;
    this.starts = tokens.starts;
    this.ends = tokens.ends;
    this.matches = tokens.matches;
    this.cur = this.kinds[0] as Tok;
    for (const p of problems) this.problemStarts.add(p.start);
  }

  /** The current token's kind (a method, so checks after advance() are not narrowed away). */
  tok(): Tok {
    return this.cur;
  }

  get start(): number {
    return this.starts[this.i] ?? 0;
  }

  get end(): number {
    return this.ends[this.i] ?? 0;
  }

  peek(ahead = 1): Tok {
    return this.kinds[this.i + ahead] as Tok;
  }

  peekIs(ahead: number, kind: Tok): boolean {
    return this.kinds[this.i + ahead] === kind;
  }

  advance(): void {
    const i = this.i;
    if (this.tok() === Tok.EndMarker) return;
    this.lastEnd = this.ends[i] ?? this.lastEnd;
    this.i = i + 1;
    this.cur = this.kinds[i + 1] as Tok;
  }

  /** Consumes the token if it is of this kind. */
  eat(kind: Tok): boolean {
    if (this.tok() !== kind) return false;
    this.advance();
    return true;
  }

  isName(): boolean {
    return isNameToken(this.tok());
  }

  isNameAt(ahead: number): boolean {
    return isNameToken(this.kinds[this.i + ahead] ?? Tok.EndMarker);
  }

  /** The current token's text, for the few places a name's spelling matters. */
  text(): string {
    return this.source.slice(this.start, this.end);
  }

  /** One problem per start offset: the first error at a place is the one worth reading. */
  problem(start: number, end: number, message: string): void {
    if (this.problemStarts.has(start)) return;
    this.problemStarts.add(start);
    this.problems.push({ start, end, message });
  }

  /**
   * Reports that the current token is not what the grammar wants here, unless it is the end of a
   * line left inside open brackets (the tokenizer already said the bracket was never closed).
   */
  unexpected(what: string): void {
    if ((this.tok() === Tok.Newline || this.tok() === Tok.EndMarker) && this.inBrackets > 0) return;
    const found =
      this.tok() === Tok.Newline
        ? 'end of line'
        : this.tok() === Tok.EndMarker
          ? 'end of file'
          : this.tok() === Tok.Indent
            ? 'indent'
            : this.tok() === Tok.Dedent
              ? 'dedent'
              : `'${this.text()}'`;
    this.problem(this.start, Math.max(this.end, this.start), `expected ${what}, found ${found}`);
  }

  /** Consumes a token of this kind, or reports it missing. */
  expect(kind: Tok, what: string): boolean {
    if (this.eat(kind)) return true;
    this.unexpected(what);
    return false;
  }

  /** A leaf for the current token (consumed). */
  leaf(kind: NodeKind, field: Field = Field.None): NodeId {
    const id = this.b.leaf(kind, this.start, this.end);
    if (field !== Field.None) this.b.setField(id, field);
    this.advance();
    return id;
  }

  /** A node over the nodes finished since `mark`, from `start` to the last consumed token. */
  finish(kind: NodeKind, start: number, mark: number, field: Field = Field.None): NodeId {
    const id = this.b.finish(kind, start, this.lastEnd, mark);
    if (field !== Field.None) this.b.setField(id, field);
    return id;
  }

  /** A zero-width error node where something is missing, so the parent keeps its shape. */
  missing(what: string, field: Field = Field.None): NodeId {
    this.unexpected(what);
    const at = this.tok() === Tok.Newline || this.tok() === Tok.EndMarker ? this.lastEnd : this.start;
    const id = this.b.leaf(NodeKind.Error, at, at);
    if (field !== Field.None) this.b.setField(id, field);
    return id;
  }

  /** Skips to the end of the logical line: the skipped tokens become one error node. */
  skipLine(): void {
    if (
      this.tok() === Tok.Newline ||
      this.tok() === Tok.EndMarker ||
      this.tok() === Tok.Dedent ||
      this.tok() === Tok.Indent
    )
      return;
    const start = this.start;
    const mark = this.b.mark();
    while (
      this.tok() !== Tok.Newline &&
      this.tok() !== Tok.EndMarker &&
      this.tok() !== Tok.Dedent &&
      this.tok() !== Tok.Indent
    )
      this.advance();
    this.b.finish(NodeKind.Error, start, this.lastEnd, mark);
  }

  /** Whether the current token can start an expression. */
  startsExpression(): boolean {
    return startsExpression(this.tok());
  }
}

const expressionStart = new Uint8Array(256);
for (const k of [
  Tok.Name,
  Tok.Number,
  Tok.Float,
  Tok.String,
  Tok.FStringStart,
  Tok.LParen,
  Tok.LBracket,
  Tok.LBrace,
  Tok.Minus,
  Tok.Plus,
  Tok.Tilde,
  Tok.Not,
  Tok.Lambda,
  Tok.True,
  Tok.False,
  Tok.None,
  Tok.Ellipsis,
  Tok.Star,
  Tok.Backtick,
  Tok.Async,
  Tok.Await,
  Tok.Print,
  Tok.Exec,
  Tok.Match,
  Tok.Case,
  Tok.Type,
  Tok.Error,
])
  expressionStart[k] = 1;

function startsExpression(kind: Tok): boolean {
  return expressionStart[kind] === 1;
}

/** Tokens that can start a primary expression (what `await` and Python 2 `print` are followed by). */
const primaryStart = new Uint8Array(256);
for (const k of [
  Tok.Name,
  Tok.Number,
  Tok.Float,
  Tok.String,
  Tok.FStringStart,
  Tok.LParen,
  Tok.LBracket,
  Tok.LBrace,
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
])
  primaryStart[k] = 1;

export function startsPrimary(kind: Tok): boolean {
  return primaryStart[kind] === 1;
}
