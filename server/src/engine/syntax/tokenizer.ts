// The tokenizer: Python 2 and 3 source text → token arrays (kinds, offsets), comments and the
// problems CPython's tokenizer would report. One pass over char codes; no token objects, no
// regular expressions per token, and only identifiers outside ASCII take a slow path.
// NEWLINE, INDENT and DEDENT follow CPython (tabs to multiples of 8, tab/space consistency
// checked the way CPython does). Positions of NEWLINE and DEDENT (zero-width) follow
// tree-sitter-python, so blocks get the same spans: a NEWLINE sits at the end of the line's last
// token or comment, a DEDENT after the comment lines at least as deep as the block it closes.
// One class, one state machine (indentation, brackets, f-string fields share their state), so
// it stays in one file past the usual length.
import type { Span, SyntaxProblem } from './tree';
import { Tok, type TokenArrays } from './tokens';

export const loneCarriageReturnMessage = 'a line ends with a lone carriage return (\\r)';
const nestedTooDeeplyMessage = 'too many levels of indentation (nested too deeply)';

/** CPython's limits: 100 indentation levels, 200 nested brackets. */
const maxIndentLevels = 100;
const maxBracketDepth = 200;

/** ASCII classes: 1 identifier start, 2 identifier continue (digits), 0 neither. */
const asciiIdent = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) asciiIdent[c] = 1;
  else if (c >= 48 && c <= 57) asciiIdent[c] = 2;
}
const idStart = /\p{ID_Start}/u;
const idContinue = /\p{ID_Continue}/u;

/** Keywords chained by (first letter, length): the first candidate's index, then the next. */
const keywordFirst = new Int16Array(128 * 16).fill(-1);
const keywordNext: number[] = [];
const keywordWords: string[] = [];
const keywordKinds: Tok[] = [];
const keywordList: [string, Tok][] = [
  ['False', Tok.False],
  ['None', Tok.None],
  ['True', Tok.True],
  ['and', Tok.And],
  ['as', Tok.As],
  ['assert', Tok.Assert],
  ['break', Tok.Break],
  ['class', Tok.Class],
  ['continue', Tok.Continue],
  ['def', Tok.Def],
  ['del', Tok.Del],
  ['elif', Tok.Elif],
  ['else', Tok.Else],
  ['except', Tok.Except],
  ['finally', Tok.Finally],
  ['for', Tok.For],
  ['from', Tok.From],
  ['global', Tok.Global],
  ['if', Tok.If],
  ['import', Tok.Import],
  ['in', Tok.In],
  ['is', Tok.Is],
  ['lambda', Tok.Lambda],
  ['nonlocal', Tok.Nonlocal],
  ['not', Tok.Not],
  ['or', Tok.Or],
  ['pass', Tok.Pass],
  ['raise', Tok.Raise],
  ['return', Tok.Return],
  ['try', Tok.Try],
  ['while', Tok.While],
  ['with', Tok.With],
  ['yield', Tok.Yield],
  ['async', Tok.Async],
  ['await', Tok.Await],
  ['print', Tok.Print],
  ['exec', Tok.Exec],
  ['match', Tok.Match],
  ['case', Tok.Case],
  ['type', Tok.Type],
];
for (const [word, kind] of keywordList) {
  const key = word.charCodeAt(0) * 16 + word.length;
  keywordNext.push(keywordFirst[key] ?? -1);
  keywordFirst[key] = keywordWords.length;
  keywordWords.push(word);
  keywordKinds.push(kind);
}

/** Keywords that only start statements: seen first on a line inside brackets, the brackets were left open. */
const statementOnly = new Set<Tok>([
  Tok.Def,
  Tok.Class,
  Tok.Return,
  Tok.Raise,
  Tok.Pass,
  Tok.Break,
  Tok.Continue,
  Tok.Del,
  Tok.Global,
  Tok.Nonlocal,
  Tok.Assert,
  Tok.While,
  Tok.Try,
  Tok.Except,
  Tok.Finally,
  Tok.With,
  Tok.Elif,
  Tok.Import,
]);

/** String prefixes Python 2 or 3 accepts (lower case). */
const validPrefixes = new Set(['r', 'u', 'b', 'f', 't', 'br', 'rb', 'ur', 'fr', 'rf', 'tr', 'rt']);

interface Field {
  /** Bracket depth just inside the field's `{`. */
  readonly depth: number;
  inSpec: boolean;
}

interface FString {
  readonly quote: number;
  readonly triple: boolean;
  readonly raw: boolean;
  readonly fields: Field[];
}

interface IndentLevel {
  /** CPython's column (tabs to multiples of 8), the column with tabs as 1, tree-sitter's (tabs as 8). */
  readonly col: number;
  readonly alt: number;
  readonly ts: number;
}

export interface TokenizerOutput {
  readonly tokens: TokenArrays;
  readonly comments: Span[];
  readonly problems: SyntaxProblem[];
}

class Tokenizer implements TokenArrays {
  count = 0;
  kinds: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  matches: Int32Array;
  readonly comments: Span[] = [];
  readonly problems: SyntaxProblem[] = [];

  private pos = 0;
  private readonly n: number;
  /** Open brackets (token indices), f-string fields included. */
  private readonly brackets: number[] = [];
  private readonly fstrings: FString[] = [];
  private readonly indents: IndentLevel[] = [{ col: 0, alt: 0, ts: 0 }];
  /** Whether the logical line has a token yet, and where its last token or comment ends. */
  private lineHasTokens = false;
  private lastEnd = 0;
  /** Whether the next token is the first on its physical line. */
  private atPhysicalLineStart = true;
  /** Comment lines since the last NEWLINE: where each ends and its tree-sitter indentation. */
  private readonly pendingCommentEnds: number[] = [];
  private readonly pendingCommentIndents: number[] = [];
  private pendingComments = 0;
  private lastNewline = 0;
  private reportedIndentLimit = false;
  private reportedBracketLimit = false;

  constructor(private readonly text: string) {
    this.n = text.length;
    const estimate = Math.max(256, (text.length >> 2) + 16);
    // Arrays handed back by the last parse need no clearing: every slot is written before it is read.
    const arrays = spareTokenArrays && spareTokenArrays.kinds.length >= estimate ? spareTokenArrays : undefined;
    if (arrays) spareTokenArrays = undefined;
    this.kinds = arrays?.kinds ?? new Uint8Array(estimate);
    this.starts = arrays?.starts ?? new Int32Array(estimate);
    this.ends = arrays?.ends ?? new Int32Array(estimate);
    this.matches = arrays?.matches ?? new Int32Array(estimate);
  }

  run(): TokenizerOutput {
    this.checkWholeText();
    const text = this.text;
    if (this.n > 0 && text.charCodeAt(0) === 0xfeff) this.pos = 1;
    this.startLogicalLine(this.pos);
    while (this.pos < this.n) {
      if (this.fstrings.length !== 0) {
        const fs = this.fstrings[this.fstrings.length - 1]!;
        const field = fs.fields.length ? fs.fields[fs.fields.length - 1]! : undefined;
        if (!field) {
          this.scanFStringText(fs);
          continue;
        }
        if (field.inSpec && this.brackets.length === field.depth) {
          this.scanFormatSpec(fs);
          continue;
        }
      }
      this.next();
    }
    this.finish();
    return { tokens: this, comments: this.comments, problems: this.problems };
  }

  private problem(start: number, end: number, message: string): void {
    this.problems.push({ start, end, message });
  }

  /** Characters CPython rejects anywhere: reported once each, like the first error CPython stops at. */
  private checkWholeText(): void {
    const text = this.text;
    const nul = text.indexOf('\0');
    if (nul >= 0) this.problem(nul, nul + 1, 'a NUL byte in source code');
    const bom = text.indexOf('\uFEFF', 1);
    if (bom >= 0) this.problem(bom, bom + 1, 'a byte-order mark past the start of the file');
    for (let cr = text.indexOf('\r'); cr >= 0; cr = text.indexOf('\r', cr + 1)) {
      if (text.charCodeAt(cr + 1) !== 10) {
        this.problem(cr, cr + 1, loneCarriageReturnMessage);
        break;
      }
    }
  }

  private grow(): void {
    const size = this.kinds.length * 2;
    const k = new Uint8Array(size);
    k.set(this.kinds);
    this.kinds = k;
    const s = new Int32Array(size);
    s.set(this.starts);
    this.starts = s;
    const e = new Int32Array(size);
    e.set(this.ends);
    this.ends = e;
    const m = new Int32Array(size);
    m.set(this.matches);
    this.matches = m;
  }

  private emit(kind: Tok, start: number, end: number): number {
    const i = this.count;
    if (i >= this.kinds.length) this.grow();
    this.kinds[i] = kind;
    this.starts[i] = start;
    this.ends[i] = end;
    this.matches[i] = -1;
    this.count = i + 1;
    return i;
  }

  /** A token of the logical line (not NEWLINE/INDENT/DEDENT). */
  private token(kind: Tok, start: number, end: number): number {
    this.lineHasTokens = true;
    this.atPhysicalLineStart = false;
    this.lastEnd = end;
    return this.emit(kind, start, end);
  }

  /** Reads the indentation of lines until one holds a token, then emits INDENT or DEDENTs. */
  private startLogicalLine(from: number): void {
    const text = this.text;
    let p = from;
    for (;;) {
      const lineStart = p;
      let col = 0;
      let alt = 0;
      let ts = 0;
      let c = text.charCodeAt(p);
      for (; ; c = text.charCodeAt(++p)) {
        if (c === 32) {
          col++;
          alt++;
          ts++;
        } else if (c === 9) {
          col = (col >> 3) * 8 + 8;
          alt++;
          ts += 8;
        } else if (c === 12) {
          col = 0;
          alt = 0;
          ts = 0;
        } else if (c === 0 || c === 0xfeff || c === 0x200b || c === 0x2060) {
          /* rejected above; read as blank */
        } else break;
      }
      if (p >= this.n) {
        this.pos = p;
        return;
      }
      if (c === 35) {
        const end = this.commentEnd(p);
        this.comments.push({ start: p, end });
        this.pendingCommentEnds[this.pendingComments] = end;
        this.pendingCommentIndents[this.pendingComments++] = ts;
        p = end;
        c = text.charCodeAt(p);
      }
      if (c === 10 || c === 13) {
        p += c === 13 && text.charCodeAt(p + 1) === 10 ? 2 : 1;
        continue;
      }
      if (c === 92 && this.isLineContinuation(p)) {
        // A backslash-continued blank line: CPython joins it to the next line, indentation and all.
        p = this.skipLineContinuation(p);
        continue;
      }
      this.pos = p;
      this.setIndent(lineStart, p, col, alt, ts);
      this.atPhysicalLineStart = true;
      return;
    }
  }

  private setIndent(lineStart: number, first: number, col: number, alt: number, ts: number): void {
    const indents = this.indents;
    let top = indents[indents.length - 1]!;
    if (col === top.col) {
      if (alt !== top.alt) this.problem(lineStart, first, 'inconsistent use of tabs and spaces in indentation');
    } else if (col > top.col) {
      if (alt <= top.alt) this.problem(lineStart, first, 'inconsistent use of tabs and spaces in indentation');
      if (indents.length > maxIndentLevels) {
        if (!this.reportedIndentLimit) this.problem(lineStart, first, nestedTooDeeplyMessage);
        this.reportedIndentLimit = true;
      } else {
        indents.push({ col, alt, ts });
        // At the line break, like tree-sitter's (a match block starts there).
        this.emit(Tok.Indent, this.lastNewline, this.lastNewline);
      }
    } else {
      let at = this.lastNewline;
      let comment = 0;
      const ends = this.pendingCommentEnds;
      const commentIndents = this.pendingCommentIndents;
      while (indents.length > 1 && col < top.col) {
        // tree-sitter keeps comment lines at least as deep as the block inside it.
        while (comment < this.pendingComments && (commentIndents[comment] ?? 0) >= top.ts) at = ends[comment++] ?? at;
        this.emit(Tok.Dedent, at, at);
        indents.pop();
        top = indents[indents.length - 1]!;
      }
      if (col !== top.col) this.problem(lineStart, first, 'unindent does not match any outer indentation level');
      else if (alt !== top.alt) this.problem(lineStart, first, 'inconsistent use of tabs and spaces in indentation');
    }
    this.pendingComments = 0;
  }

  private commentEnd(p: number): number {
    const text = this.text;
    let e = p;
    for (let c = text.charCodeAt(e); e < this.n && c !== 10 && c !== 13; c = text.charCodeAt(++e)) {
      /* to line end */
    }
    return e;
  }

  private isLineContinuation(p: number): boolean {
    const c = this.text.charCodeAt(p + 1);
    return c === 10 || c === 13;
  }

  private skipLineContinuation(p: number): number {
    const text = this.text;
    return text.charCodeAt(p + 1) === 13 && text.charCodeAt(p + 2) === 10 ? p + 3 : p + 2;
  }

  /** The end of a logical line at a line break outside brackets. */
  private endLogicalLine(): void {
    if (this.lineHasTokens) {
      this.emit(Tok.Newline, this.lastEnd, this.lastEnd);
      this.lastNewline = this.lastEnd;
      this.lineHasTokens = false;
      this.pendingComments = 0;
    }
  }

  private finish(): void {
    const at = this.n;
    this.closeFStrings(at, true);
    this.closeBrackets();
    this.endLogicalLine();
    // Dedent to the margin, keeping trailing comment lines in the blocks as tree-sitter does.
    this.setIndent(at, at, 0, 0, 0);
    this.emit(Tok.EndMarker, at, at);
  }

  /** Brackets left open at the end of a logical line: reported once, at the outermost. */
  private closeBrackets(): void {
    const brackets = this.brackets;
    if (brackets.length === 0) return;
    const outer = brackets[0] ?? 0;
    const start = this.starts[outer] ?? 0;
    this.problem(start, start + 1, `'${this.text[start]}' was never closed`);
    brackets.length = 0;
  }

  private closeFStrings(at: number, all: boolean): void {
    const fstrings = this.fstrings;
    while (fstrings.length) {
      const fs = fstrings[fstrings.length - 1]!;
      if (!all && fs.triple) return;
      this.problem(at, at, 'unterminated f-string');
      if (fs.fields.length) this.brackets.length = Math.max(0, (fs.fields[0]?.depth ?? 1) - 1);
      this.token(Tok.FStringEnd, at, at);
      fstrings.pop();
    }
  }

  /** One token (or whitespace, a comment, a line break) at this.pos. */
  private next(): void {
    const text = this.text;
    const p = this.pos;
    const c = text.charCodeAt(p);
    // NUL was reported once for the whole text; read it as a blank like tree-sitter does.
    if (c === 32 || c === 9 || c === 12 || c === 0) {
      this.pos = p + 1;
      return;
    }
    if (c === 10 || c === 13) {
      const after = p + (c === 13 && text.charCodeAt(p + 1) === 10 ? 2 : 1);
      if (this.fstrings.length) this.closeFStrings(p, false);
      if (this.brackets.length === 0) {
        this.endLogicalLine();
        this.startLogicalLine(after);
      } else {
        this.pos = after;
        this.atPhysicalLineStart = true;
      }
      return;
    }
    if (c < 128) {
      const cls = asciiIdent[c];
      if (cls === 1) {
        this.nameOrString(p);
        return;
      }
      if (cls === 2) {
        this.number(p);
        return;
      }
    } else if (c === 0xfeff || c === 0x200b || c === 0x2060) {
      this.pos = p + 1; // zero-width characters tree-sitter reads as blanks (a problem if past the start)
      if (c !== 0xfeff) this.problem(p, p + 1, 'an invalid non-printable character');
      return;
    } else if (this.isIdentifierStart(p)) {
      this.nameOrString(p);
      return;
    }
    this.operator(p, c);
  }

  private isIdentifierStart(p: number): boolean {
    const cp = this.text.codePointAt(p) ?? 0;
    return idStart.test(String.fromCodePoint(cp));
  }

  private nameOrString(start: number): void {
    const text = this.text;
    let p = start;
    for (;;) {
      const c = text.charCodeAt(p);
      if (c < 128) {
        if (asciiIdent[c] !== 0) {
          p++;
          continue;
        }
        break;
      }
      if (p >= this.n) break;
      const cp = text.codePointAt(p) ?? 0;
      if (!idContinue.test(String.fromCodePoint(cp))) break;
      p += cp > 0xffff ? 2 : 1;
    }
    const len = p - start;
    const next = text.charCodeAt(p);
    if ((next === 39 || next === 34) && len <= 3 && this.isPrefix(start, p)) {
      this.string(start, p);
      return;
    }
    let kind = Tok.Name;
    const first = text.charCodeAt(start);
    if (len >= 2 && len <= 8 && first < 128) {
      for (let k = keywordFirst[first * 16 + len] ?? -1; k >= 0; k = keywordNext[k] ?? -1) {
        if (text.startsWith(keywordWords[k] ?? '', start)) {
          kind = keywordKinds[k] ?? Tok.Name;
          break;
        }
      }
    }
    if (this.atPhysicalLineStart && this.brackets.length && statementOnly.has(kind)) this.recoverOpenBrackets(start);
    this.pos = p;
    this.token(kind, start, p);
  }

  /**
   * A statement keyword first on a line inside brackets: the brackets were left open (half-typed
   * code). Close them here and start a new logical line, so the error stays in its statement.
   */
  private recoverOpenBrackets(at: number): void {
    this.closeFStrings(at, true);
    this.closeBrackets();
    this.endLogicalLine();
    let lineStart = at;
    while (lineStart > 0 && this.text.charCodeAt(lineStart - 1) !== 10 && this.text.charCodeAt(lineStart - 1) !== 13)
      lineStart--;
    let col = 0;
    let alt = 0;
    let ts = 0;
    for (let q = lineStart; q < at; q++) {
      const c = this.text.charCodeAt(q);
      if (c === 32) {
        col++;
        alt++;
        ts++;
      } else if (c === 9) {
        col = (col >> 3) * 8 + 8;
        alt++;
        ts += 8;
      } else if (c === 12) {
        col = 0;
        alt = 0;
        ts = 0;
      }
    }
    this.setIndent(lineStart, at, col, alt, ts);
  }

  private isPrefix(start: number, end: number): boolean {
    for (let q = start; q < end; q++) {
      switch (this.text.charCodeAt(q) | 0x20) {
        case 114:
        case 117:
        case 98:
        case 102:
        case 116:
          break; // r u b f t
        default:
          return false;
      }
    }
    return true;
  }

  /** A string literal whose prefix is [start, quoteAt). */
  private string(start: number, quoteAt: number): void {
    const text = this.text;
    let format = false;
    let raw = false;
    if (quoteAt > start) {
      const prefix = text.slice(start, quoteAt).toLowerCase();
      if (!validPrefixes.has(prefix))
        this.problem(start, quoteAt, `invalid string prefix '${text.slice(start, quoteAt)}'`);
      format = prefix.includes('f') || prefix.includes('t');
      raw = prefix.includes('r');
    }
    const quote = text.charCodeAt(quoteAt);
    const triple = text.charCodeAt(quoteAt + 1) === quote && text.charCodeAt(quoteAt + 2) === quote;
    const bodyStart = quoteAt + (triple ? 3 : 1);
    if (format) {
      this.pos = bodyStart;
      this.token(Tok.FStringStart, start, bodyStart);
      this.fstrings.push({ quote, triple, raw, fields: [] });
      return;
    }
    let p = bodyStart;
    for (;;) {
      if (p >= this.n) {
        this.problem(start, this.n, triple ? 'unterminated triple-quoted string' : 'unterminated string');
        p = this.n;
        break;
      }
      const c = text.charCodeAt(p);
      if (c === quote) {
        if (!triple) {
          p++;
          break;
        }
        if (text.charCodeAt(p + 1) === quote && text.charCodeAt(p + 2) === quote) {
          p += 3;
          break;
        }
        p++;
      } else if (c === 92) {
        p += text.charCodeAt(p + 1) === 13 && text.charCodeAt(p + 2) === 10 ? 3 : 2;
      } else if ((c === 10 || c === 13) && !triple) {
        this.problem(start, p, 'unterminated string');
        break;
      } else {
        p++;
      }
    }
    this.pos = Math.min(p, this.n);
    this.token(Tok.String, start, this.pos);
  }

  /** Literal text of an f-string up to a field, the closing quote, or (single-quoted) a line end. */
  private scanFStringText(fs: FString): void {
    const text = this.text;
    let p = this.pos;
    for (;;) {
      if (p >= this.n) {
        this.pos = p;
        this.closeFStrings(p, true);
        return;
      }
      const c = text.charCodeAt(p);
      if (c === fs.quote && (!fs.triple || (text.charCodeAt(p + 1) === c && text.charCodeAt(p + 2) === c))) {
        const end = p + (fs.triple ? 3 : 1);
        this.pos = end;
        this.fstrings.pop();
        this.token(Tok.FStringEnd, p, end);
        return;
      }
      if (c === 92) {
        const escaped = text.charCodeAt(p + 1);
        if (escaped === 123 || escaped === 125) {
          // A backslash does not escape a brace: `{` still opens a field (raw or not).
          p++;
        } else if (!fs.raw && escaped === 78 && text.charCodeAt(p + 2) === 123) {
          // \N{NAME}: the braces belong to the escape.
          const close = text.indexOf('}', p + 3);
          p = close < 0 ? this.n : close + 1;
        } else {
          p += text.charCodeAt(p + 1) === 13 && text.charCodeAt(p + 2) === 10 ? 3 : 2;
        }
        continue;
      }
      if (c === 123) {
        if (text.charCodeAt(p + 1) === 123) {
          p += 2;
          continue;
        }
        this.pos = p + 1;
        this.openBracket(Tok.LBrace, p);
        fs.fields.push({ depth: this.brackets.length, inSpec: false });
        return;
      }
      if (c === 125) {
        if (text.charCodeAt(p + 1) === 125) {
          p += 2;
          continue;
        }
        this.problem(p, p + 1, "f-string: single '}' is not allowed");
        p++;
        continue;
      }
      if ((c === 10 || c === 13) && !fs.triple) {
        this.pos = p;
        this.closeFStrings(p, false);
        return;
      }
      p++;
    }
  }

  /** Format specifier text after a field's `:`, up to a nested field or the field's `}`. */
  private scanFormatSpec(fs: FString): void {
    const text = this.text;
    const start = this.pos;
    let p = start;
    for (;;) {
      const c = text.charCodeAt(p);
      if (
        p >= this.n ||
        c === 123 ||
        c === 125 ||
        ((c === 10 || c === 13) && !fs.triple) ||
        (c === fs.quote && (!fs.triple || (text.charCodeAt(p + 1) === c && text.charCodeAt(p + 2) === c)))
      )
        break;
      p++;
    }
    if (p > start) this.token(Tok.FormatText, start, p);
    this.pos = p;
    const c = text.charCodeAt(p);
    if (c === 123) {
      this.pos = p + 1;
      this.openBracket(Tok.LBrace, p);
      fs.fields.push({ depth: this.brackets.length, inSpec: false });
    } else if (c === 125) {
      this.pos = p + 1;
      this.closeBracket(Tok.RBrace, p);
    } else if (p < this.n && c !== 10 && c !== 13) {
      // The closing quote inside a field: the field was never closed.
      this.problem(p, p, "f-string: expecting '}'");
      this.brackets.length = Math.max(0, (fs.fields[0]?.depth ?? 1) - 1);
      fs.fields.length = 0;
    } else {
      this.closeFStrings(p, p >= this.n);
    }
  }

  private number(start: number): void {
    const text = this.text;
    let p = start;
    let kind = Tok.Number;
    const c0 = text.charCodeAt(p);
    const c1 = text.charCodeAt(p + 1) | 0x20;
    if (c0 === 48 && (c1 === 120 || c1 === 111 || c1 === 98)) {
      p += 2;
      for (
        let c = text.charCodeAt(p);
        c === 95 || (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 102);
        c = text.charCodeAt(++p)
      ) {
        /* digits */
      }
      if ((text.charCodeAt(p) | 0x20) === 108) p++;
    } else {
      p = this.digits(p);
      if (text.charCodeAt(p) === 46) {
        kind = Tok.Float;
        p = this.digits(p + 1);
      }
      const e = text.charCodeAt(p) | 0x20;
      if (e === 101) {
        let q = p + 1;
        const sign = text.charCodeAt(q);
        if (sign === 43 || sign === 45) q++;
        const d = text.charCodeAt(q);
        if (d >= 48 && d <= 57) {
          kind = Tok.Float;
          p = this.digits(q);
        }
      }
      const suffix = text.charCodeAt(p) | 0x20;
      if (suffix === 106 || (suffix === 108 && kind === Tok.Number)) p++;
    }
    this.pos = p;
    this.token(kind, start, p);
  }

  private digits(from: number): number {
    const text = this.text;
    let p = from;
    for (let c = text.charCodeAt(p); (c >= 48 && c <= 57) || c === 95; c = text.charCodeAt(++p)) {
      /* digits */
    }
    return p;
  }

  private openBracket(kind: Tok, at: number): void {
    const i = this.token(kind, at, at + 1);
    this.brackets.push(i);
    if (this.brackets.length > maxBracketDepth && !this.reportedBracketLimit) {
      this.problem(at, at + 1, 'too many nested parentheses (nested too deeply)');
      this.reportedBracketLimit = true;
    }
  }

  private closeBracket(kind: Tok, at: number): void {
    const i = this.token(kind, at, at + 1);
    const open = kind === Tok.RParen ? Tok.LParen : kind === Tok.RBracket ? Tok.LBracket : Tok.LBrace;
    const brackets = this.brackets;
    const fs = this.fstrings.length ? this.fstrings[this.fstrings.length - 1] : undefined;
    const field = fs && fs.fields.length ? fs.fields[fs.fields.length - 1] : undefined;
    if (brackets.length === 0 || (field && brackets.length < field.depth)) {
      this.problem(at, at + 1, `unmatched '${this.text[at]}'`);
      return;
    }
    const top = brackets[brackets.length - 1] ?? 0;
    if (this.kinds[top] === open) {
      brackets.pop();
      this.matches[top] = i;
      if (field && kind === Tok.RBrace && brackets.length === field.depth - 1) fs?.fields.pop();
      return;
    }
    this.problem(
      at,
      at + 1,
      `closing parenthesis '${this.text[at]}' does not match opening parenthesis '${this.text[this.starts[top] ?? 0]}'`,
    );
    // Close up to a matching opener if there is one (inside the current f-string field), else
    // the innermost bracket: `(1, 2]` was meant to close, and the next line stays a new line.
    const floor = field ? field.depth : 0;
    let k = brackets.length - 1;
    while (k > floor && this.kinds[brackets[k] ?? 0] !== open) k--;
    if (this.kinds[brackets[k] ?? 0] !== open) k = brackets.length - 1;
    this.matches[brackets[k] ?? 0] = i;
    brackets.length = k;
    if (field && brackets.length === field.depth - 1) fs?.fields.pop();
  }

  private operator(p: number, c: number): void {
    const text = this.text;
    const c1 = text.charCodeAt(p + 1);
    const c2 = text.charCodeAt(p + 2);
    const fs = this.fstrings.length ? this.fstrings[this.fstrings.length - 1] : undefined;
    const field = fs && fs.fields.length ? fs.fields[fs.fields.length - 1] : undefined;
    const atFieldLevel = field !== undefined && this.brackets.length === field.depth;
    let kind: Tok;
    let len = 1;
    switch (c) {
      case 40:
        this.pos = p + 1;
        this.openBracket(Tok.LParen, p);
        return;
      case 91:
        this.pos = p + 1;
        this.openBracket(Tok.LBracket, p);
        return;
      case 123:
        this.pos = p + 1;
        this.openBracket(Tok.LBrace, p);
        return;
      case 41:
        this.pos = p + 1;
        this.closeBracket(Tok.RParen, p);
        return;
      case 93:
        this.pos = p + 1;
        this.closeBracket(Tok.RBracket, p);
        return;
      case 125:
        this.pos = p + 1;
        this.closeBracket(Tok.RBrace, p);
        return;
      case 35: {
        const end = this.commentEnd(p);
        this.comments.push({ start: p, end });
        if (this.lineHasTokens) this.lastEnd = end;
        this.pos = end;
        return;
      }
      case 34:
      case 39:
        this.string(p, p);
        return;
      case 92:
        if (this.isLineContinuation(p)) {
          this.pos = this.skipLineContinuation(p);
          return;
        }
        if (p + 1 >= this.n) {
          this.problem(p, p + 1, 'unexpected end of file after a line continuation');
          this.pos = p + 1;
          return;
        }
        this.problem(p, p + 1, 'unexpected character after line continuation character');
        kind = Tok.Error;
        break;
      case 58:
        if (atFieldLevel && field) {
          field.inSpec = true;
          kind = Tok.Colon;
        } else if (c1 === 61) {
          kind = Tok.Walrus;
          len = 2;
        } else kind = Tok.Colon;
        break;
      case 44:
        kind = Tok.Comma;
        break;
      case 59:
        kind = Tok.Semicolon;
        break;
      case 46:
        if (c1 >= 48 && c1 <= 57) {
          this.number(p);
          return;
        }
        if (c1 === 46 && c2 === 46) {
          kind = Tok.Ellipsis;
          len = 3;
        } else kind = Tok.Dot;
        break;
      case 64:
        if (c1 === 61) {
          kind = Tok.AtEqual;
          len = 2;
        } else kind = Tok.At;
        break;
      case 61:
        if (c1 === 61) {
          kind = Tok.EqEqual;
          len = 2;
        } else kind = Tok.Equal;
        break;
      case 96:
        kind = Tok.Backtick;
        break;
      case 43:
        if (c1 === 61) {
          kind = Tok.PlusEqual;
          len = 2;
        } else kind = Tok.Plus;
        break;
      case 45:
        if (c1 === 61) {
          kind = Tok.MinusEqual;
          len = 2;
        } else if (c1 === 62) {
          kind = Tok.Arrow;
          len = 2;
        } else kind = Tok.Minus;
        break;
      case 42:
        if (c1 === 42) {
          if (c2 === 61) {
            kind = Tok.DoubleStarEqual;
            len = 3;
          } else {
            kind = Tok.DoubleStar;
            len = 2;
          }
        } else if (c1 === 61) {
          kind = Tok.StarEqual;
          len = 2;
        } else kind = Tok.Star;
        break;
      case 47:
        if (c1 === 47) {
          if (c2 === 61) {
            kind = Tok.DoubleSlashEqual;
            len = 3;
          } else {
            kind = Tok.DoubleSlash;
            len = 2;
          }
        } else if (c1 === 61) {
          kind = Tok.SlashEqual;
          len = 2;
        } else kind = Tok.Slash;
        break;
      case 37:
        if (c1 === 61) {
          kind = Tok.PercentEqual;
          len = 2;
        } else kind = Tok.Percent;
        break;
      case 124:
        if (c1 === 61) {
          kind = Tok.PipeEqual;
          len = 2;
        } else kind = Tok.Pipe;
        break;
      case 38:
        if (c1 === 61) {
          kind = Tok.AmpEqual;
          len = 2;
        } else kind = Tok.Amp;
        break;
      case 94:
        if (c1 === 61) {
          kind = Tok.CaretEqual;
          len = 2;
        } else kind = Tok.Caret;
        break;
      case 126:
        kind = Tok.Tilde;
        break;
      case 60:
        if (c1 === 60) {
          if (c2 === 61) {
            kind = Tok.LShiftEqual;
            len = 3;
          } else {
            kind = Tok.LShift;
            len = 2;
          }
        } else if (c1 === 61) {
          kind = Tok.LessEqual;
          len = 2;
        } else if (c1 === 62) {
          kind = Tok.LessGreater;
          len = 2;
        } else kind = Tok.Less;
        break;
      case 62:
        if (c1 === 62) {
          if (c2 === 61) {
            kind = Tok.RShiftEqual;
            len = 3;
          } else {
            kind = Tok.RShift;
            len = 2;
          }
        } else if (c1 === 61) {
          kind = Tok.GreaterEqual;
          len = 2;
        } else kind = Tok.Greater;
        break;
      case 33:
        if (c1 === 61) {
          kind = Tok.NotEqual;
          len = 2;
          break;
        }
        if (atFieldLevel && ((c1 >= 97 && c1 <= 122) || (c1 >= 65 && c1 <= 90))) {
          kind = Tok.TypeConversion;
          len = 2;
          break;
        }
        this.problem(p, p + 1, "invalid character '!'");
        kind = Tok.Error;
        break;
      default: {
        // A character no token starts with ($, ?, a non-ASCII symbol): one error token.
        const cp = text.codePointAt(p) ?? c;
        len = cp > 0xffff ? 2 : 1;
        this.problem(p, p + len, `invalid character '${String.fromCodePoint(cp)}'`);
        kind = Tok.Error;
      }
    }
    this.pos = p + len;
    this.token(kind, p, p + len);
  }
}

/** Token arrays kept between parses (one parse at a time per thread), up to a size worth keeping. */
let spareTokenArrays: TokenArrays | undefined;

/** Hands token arrays back once the tree is built, for the next file. */
export function recycleTokenArrays(tokens: TokenArrays): void {
  if (tokens.kinds.length <= 1 << 20) spareTokenArrays = tokens;
}

export function tokenize(text: string): TokenizerOutput {
  return new Tokenizer(text).run();
}
