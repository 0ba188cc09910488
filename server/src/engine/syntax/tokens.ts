// Token kinds of the hand-written tokenizer, and the token arrays it fills. Kinds are small
// numbers in a Uint8Array (no token objects), so the parser dispatches on integers and the
// tokenizer allocates nothing per token.

export const enum Tok {
  EndMarker,
  Newline,
  Indent,
  Dedent,
  Name,
  /** An integer literal (also `0777`, `0L`, `1j`). */
  Number,
  Float,
  /** A whole string literal without interpolations (any prefix but f/t). */
  String,
  /** Prefix and opening quote of an f-string; its fields and FStringEnd follow. */
  FStringStart,
  FStringEnd,
  /** Literal text of an f-string format specifier (after the field's `:`). */
  FormatText,
  /** `!r` in an f-string field. */
  TypeConversion,
  /** A character Python does not accept here. */
  Error,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Colon,
  Comma,
  Semicolon,
  Dot,
  Ellipsis,
  Arrow,
  At,
  Equal,
  Walrus,
  Backtick,
  Plus,
  Minus,
  Star,
  DoubleStar,
  Slash,
  DoubleSlash,
  Percent,
  Pipe,
  Amp,
  Caret,
  Tilde,
  LShift,
  RShift,
  Less,
  Greater,
  LessEqual,
  GreaterEqual,
  EqEqual,
  NotEqual,
  /** Python 2's `<>`. */
  LessGreater,
  PlusEqual,
  MinusEqual,
  StarEqual,
  SlashEqual,
  DoubleSlashEqual,
  PercentEqual,
  AtEqual,
  AmpEqual,
  PipeEqual,
  CaretEqual,
  LShiftEqual,
  RShiftEqual,
  DoubleStarEqual,
  // Keywords.
  False,
  None,
  True,
  And,
  As,
  Assert,
  Break,
  Class,
  Continue,
  Def,
  Del,
  Elif,
  Else,
  Except,
  Finally,
  For,
  From,
  Global,
  If,
  Import,
  In,
  Is,
  Lambda,
  Nonlocal,
  Not,
  Or,
  Pass,
  Raise,
  Return,
  Try,
  While,
  With,
  Yield,
  // Soft keywords: identifiers unless the parser reads them as keywords where they stand.
  Async,
  Await,
  Print,
  Exec,
  Match,
  Case,
  Type,
}

/** The first and last soft keyword: tokens in this range can be identifiers. */
const firstSoftKeyword = Tok.Async;

export function isNameToken(kind: number): boolean {
  return kind === Tok.Name || kind >= firstSoftKeyword;
}

/** The tokenizer's output: parallel arrays indexed by token number. */
export interface TokenArrays {
  readonly count: number;
  readonly kinds: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** For an opening bracket: the index of its closing bracket, or -1 when it has none. */
  readonly matches: Int32Array;
}
