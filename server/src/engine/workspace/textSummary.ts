// The index summary of a file that names nothing relevant, read from its tokens alone (no
// tree, no file model, no semantics): the imports, the names it defines, its classes' bases,
// the functions it defines and its words. Only for files where the parts that need the tree are
// provably empty: no version constants, no helpers that return a condition, no config options,
// no config classes but plain subclasses (a capitalized base, no literal attribute default).
// Any doubt and it answers undefined; the file is then parsed and summarized from its tree as
// before. On text Python accepts, both give the same summary (test/unit/textSummary.test.ts
// compares them over every fixture and a sample of the standard library, parser-diff over all).
import type { FeatureDb } from '../../data/featureDb';
import { libvirtModuleOf } from '../semantic/fileModel';
import {
  refOfDotted,
  moduleRefFrom,
  uriPath,
  type ImportBinding,
  type ModuleRef,
  type NameRef,
} from '../semantic/moduleRefs';
import { isDistinctiveMethodName } from '../semantic/receivers';
import { classRefOfName, type ClassRef, type XmlConfigClass } from '../semantic/xml/configClasses';
import { recycleTokenArrays, tokenize } from '../syntax/tokenizer';
import { isNameToken, Tok, type TokenArrays } from '../syntax/tokens';
import { versionFromParts } from '../../data/version';
import type { VersionNumber } from '../types';
import type { ClassSummary, FileSummary } from './summaryTypes';

/** What the token scan fills (the caller adds the words, the config facts and the fingerprint). */
export type TextSummaryParts = Omit<FileSummary, 'identifiers' | 'fingerprint' | 'configOptions' | 'confBinding'>;

/**
 * Words that may make a summary's tree-read parts non-empty: libvirt itself, version-check
 * helpers' inputs (`words`: the configured checks, gates, feature checks and probes, and the
 * runtime version calls), module loading by name, config classes, availability guards and
 * oslo.config options.
 */
function mayNeedTree(text: string, words: readonly string[]): boolean {
  for (const w of ['libvirt', 'format_dom', 'root_name', 'XML_NAME', 'import_module', 'hasattr'])
    if (text.includes(w)) return true;
  if (text.includes('oslo_config') && text.includes('Opt(')) return true;
  // A function that builds an element may be another file's element factory.
  if (text.includes('Element(')) return true;
  for (const w of words) if (w && text.includes(w)) return true;
  return false;
}

class Bail extends Error {}
const bail = (): never => {
  throw new Bail();
};

/** A block a line opens: whether classes defined in it are the file's classes (module level, under compound statements). */
interface Block {
  readonly topLevel: boolean;
  /** A top-level class's body: where it ends is noted when it closes. */
  readonly cls?: ClassSpan;
}

/** The tokens of a top-level class, header to the end of its body. */
interface ClassSpan {
  readonly start: number;
  end: number;
}

/** Blocks nested deeper than this are left to the parser (the model stops at 60 of its levels). */
const MAX_BLOCKS = 20;

/**
 * The summary parts of `text`, or undefined when they cannot be read from its tokens.
 * `words`: as mayNeedTree.
 */
export function summarizeFromTokens(
  uri: string,
  text: string,
  words: readonly string[],
  db: FeatureDb,
): TextSummaryParts | undefined {
  if (mayNeedTree(text, words)) return undefined;
  const { tokens, problems } = tokenize(text);
  try {
    if (problems.length) return undefined;
    return new TokenScan(uri, text, tokens, db).run();
  } catch (e) {
    if (e instanceof Bail) return undefined;
    throw e;
  } finally {
    recycleTokenArrays(tokens);
  }
}

class TokenScan {
  private readonly kinds: Uint8Array;
  private readonly count: number;
  private readonly foreign = new Map<string, ImportBinding>();
  private readonly stars: ModuleRef[] = [];
  private readonly definitions: string[] = [];
  private readonly functions = new Set<string>();
  /** Top-level classes with their bases as written (dotted names), resolved once imports are all read. */
  private readonly classBases = new Map<string, string[]>();
  private readonly classSpans = new Map<string, ClassSpan>();
  /** How often each class name is defined, at any depth. */
  private readonly classCount = new Map<string, number>();
  /** Module-level assignment targets, and the right-hand sides of upper-case ones (token ranges). */
  private readonly assigned = new Set<string>();
  private readonly upperValues: [string, number, number][] = [];
  private claimedImports = 0;

  constructor(
    private readonly uri: string,
    private readonly text: string,
    private readonly tokens: TokenArrays,
    private readonly db: FeatureDb,
  ) {
    this.kinds = tokens.kinds;
    this.count = tokens.count;
  }

  private tok(i: number): number {
    return i < this.count ? (this.kinds[i] ?? Tok.EndMarker) : Tok.EndMarker;
  }

  private textOf(i: number): string {
    return this.text.slice(this.tokens.starts[i], this.tokens.ends[i]);
  }

  /** The index after a bracketed group opened at `i` (its closing bracket + 1). */
  private after(i: number): number {
    const close = this.tokens.matches[i] ?? -1;
    if (close < 0) bail();
    return close + 1;
  }

  run(): TextSummaryParts {
    let imports = 0;
    const distinctive = new Map<string, boolean>();
    for (let i = 0; i < this.count; i++) {
      const k = this.tok(i);
      if (k === Tok.Import) imports++;
      // One statement per line, as the scan below reads them.
      else if (k === Tok.Semicolon) bail();
      else if (k === Tok.Dot && isNameToken(this.tok(i + 1))) {
        // A libvirt method on a receiver of unknown type could make an inferred probe.
        const name = this.textOf(i + 1);
        let known = distinctive.get(name);
        if (known === undefined) distinctive.set(name, (known = isDistinctiveMethodName(this.db, name)));
        if (known) bail();
      }
    }
    const stack: Block[] = [{ topLevel: true }];
    /** The compound statement last started at each depth (what an else, elif, except or finally continues). */
    const lastCompound: (string | undefined)[] = [];
    let i = 0;
    while (i < this.count) {
      const k = this.tok(i);
      if (k === Tok.EndMarker) break;
      if (k === Tok.Indent || k === Tok.Newline) bail(); // an indent no header opened
      if (k === Tok.Dedent) {
        const closed = stack.pop();
        if (closed?.cls) closed.cls.end = i;
        if (stack.length === 0) bail();
        lastCompound.length = stack.length;
        i++;
        continue;
      }
      const block = stack[stack.length - 1] as Block;
      const depth = stack.length - 1;
      const end = this.lineEnd(i);
      const line = this.statement(i, end, block, depth === 0, lastCompound[depth]);
      lastCompound[depth] = line.compound;
      i = end + 1; // past the Newline
      if (this.tok(i) === Tok.Indent) {
        if (!line.opens || stack.length >= MAX_BLOCKS) return bail();
        stack.push(line.opens);
        i++;
      } else if (line.opens) bail(); // a header without its block
    }
    if (this.claimedImports !== imports) bail();
    // As the model keeps them: by first assignment, with the last value.
    const values = new Map<string, [number, number]>();
    for (const [name, from, to] of this.upperValues) values.set(name, [from, to]);
    const constants = new Map<string, VersionNumber>();
    for (const [name, [from, to]] of values) {
      const version = this.versionOf(from, to);
      if (version !== undefined) constants.set(name, version);
    }
    const classes = new Map<string, ClassSummary>();
    for (const [name, bases] of this.classBases) {
      const refs: NameRef[] = [];
      for (const dotted of bases) {
        const ref = refOfDotted(this.foreign, dotted);
        if (ref) refs.push(ref);
      }
      classes.set(name, { bases: refs, helpers: new Map() });
    }
    const xmlClasses = this.subclasses();
    return {
      uri: this.uri,
      path: uriPath(this.uri),
      imports: [...this.foreign.values()],
      stars: this.stars,
      definitions: this.definitions,
      constants,
      moduleHelpers: new Map(),
      moduleFlags: new Map(),
      classes,
      functions: [...this.functions],
      xmlClasses,
      elementFactories: new Map(),
    };
  }

  /**
   * Top-level classes with a base a class name can resolve to: config classes, as far as the
   * XML summary knows (configClasses.ts, in a file that never names format_dom). Read here only
   * when nothing of theirs is: no XML builder call, no literal an attribute could get in the
   * class (its `__init__` defaults), one class of the name. Their other parts are empty then.
   */
  private subclasses(): XmlConfigClass[] {
    const out: XmlConfigClass[] = [];
    for (const [name, bases] of this.classBases) {
      const refs: ClassRef[] = [];
      for (const dotted of bases) {
        const ref = this.classRefOf(dotted);
        if (ref) refs.push(ref);
      }
      if (!refs.length) continue;
      const span = this.classSpans.get(name);
      if (!span || (this.classCount.get(name) ?? 0) > 1 || this.text.includes('Element')) return bail();
      this.checkNoLiteralSelfAttributes(span);
      out.push({
        name,
        bases: refs,
        formatsXml: false,
        always: [],
        defaults: Object.create(null) as Record<string, string>,
        attributes: {},
      });
    }
    return out;
  }

  /** As configClasses.ts's classRefOf, from a base's dotted name: `Disk`, `vconfig.Disk`. */
  private classRefOf(dotted: string): ClassRef | undefined {
    const parts = dotted.split('.');
    if (parts.length > 2) return undefined;
    return classRefOfName(this.foreign, parts.length === 2 ? parts[0] : undefined, parts[parts.length - 1] ?? '');
  }

  /**
   * No `self.x = <value>` in the class whose value could be a literal (a string, a number,
   * True, or a module-level name that could hold one): the class's `__init__` defaults are empty.
   */
  private checkNoLiteralSelfAttributes(span: ClassSpan): void {
    const end = span.end < 0 ? this.count : span.end;
    for (let j = span.start; j < end; j++) {
      if (this.tok(j) !== Tok.Name || this.textOf(j) !== 'self' || this.tok(j + 1) !== Tok.Dot) continue;
      let k = j + 3;
      if (this.tok(k) === Tok.Colon) while (k < end && this.tok(k) !== Tok.Equal && this.tok(k) !== Tok.Newline) k++;
      if (this.tok(k) !== Tok.Equal) continue;
      for (let v = k + 1; v < end && this.tok(v) !== Tok.Newline; v++) {
        const kv = this.tok(v);
        if (kv === Tok.String || kv === Tok.FStringStart || kv === Tok.Number || kv === Tok.Float || kv === Tok.True)
          bail();
        if (isNameToken(kv) && this.tok(v - 1) !== Tok.Dot && this.assigned.has(this.textOf(v))) bail();
      }
    }
  }

  /** The Newline that ends the logical line starting at `i`. */
  private lineEnd(i: number): number {
    let j = i;
    while (j < this.count) {
      const k = this.tok(j);
      if (k === Tok.Newline) return j;
      if (k === Tok.EndMarker || k === Tok.Indent || k === Tok.Dedent) bail();
      j = k === Tok.LParen || k === Tok.LBracket || k === Tok.LBrace ? this.after(j) : j + 1;
    }
    return bail();
  }

  /** The first depth-0 colon of a header line, and whether a statement follows it on the line. */
  private headerColon(from: number, end: number): { inline: boolean } {
    for (let j = from; j < end;) {
      const k = this.tok(j);
      if (k === Tok.Colon) return { inline: j + 1 < end };
      if (k === Tok.Lambda) bail(); // its colon would come first
      j = k === Tok.LParen || k === Tok.LBracket || k === Tok.LBrace ? this.after(j) : j + 1;
    }
    return bail();
  }

  private statement(
    i: number,
    end: number,
    block: Block,
    atModule: boolean,
    previous: string | undefined,
  ): { compound?: string; opens?: Block } {
    const k = this.tok(i);
    // Compound statements pass their block's kind on (the model visits every one's blocks).
    const header = (from: number, kind: string, opens: Block): { compound: string; opens?: Block } =>
      this.headerColon(from, end).inline ? { compound: kind } : { compound: kind, opens };
    switch (k) {
      case Tok.At:
        return {};
      case Tok.Async:
        if (this.tok(i + 1) === Tok.Def) return this.def(i + 1, end, atModule);
        if (this.tok(i + 1) === Tok.For || this.tok(i + 1) === Tok.With) return header(i + 2, 'loop', block);
        return this.simple(i, end, atModule);
      case Tok.Def:
        return this.def(i, end, atModule);
      case Tok.Class:
        return this.classDef(i, end, block, atModule);
      case Tok.If:
        return header(i + 1, 'if', block);
      case Tok.Try:
        return header(i + 1, 'try', block);
      case Tok.For:
      case Tok.While:
      case Tok.With:
        return header(i + 1, 'loop', block);
      case Tok.Elif:
        if (previous !== 'if') bail();
        return header(i + 1, 'if', block);
      case Tok.Except:
      case Tok.Finally:
        if (previous !== 'try' || this.tok(i + 1) === Tok.Star) bail();
        return header(i + 1, 'try', block);
      case Tok.Else:
        if (previous === 'if' || previous === 'try') return header(i + 1, previous, block);
        if (previous === 'loop') return header(i + 1, 'loop', block);
        return bail();
      case Tok.Import:
        this.importNames(i + 1, end);
        return {};
      case Tok.From:
        this.fromImport(i + 1, end);
        return {};
      case Tok.Match:
      case Tok.Case:
      case Tok.Type:
        return bail(); // soft keywords the parser may read as statements: left to it
      default:
        return this.simple(i, end, atModule);
    }
  }

  private def(i: number, end: number, atModule: boolean): { opens?: Block } {
    const nameAt = i + 1;
    if (!isNameToken(this.tok(nameAt))) bail();
    const name = this.textOf(nameAt);
    let j = nameAt + 1;
    if (this.tok(j) === Tok.LBracket) j = this.after(j); // PEP 695 type parameters
    if (this.tok(j) !== Tok.LParen) bail();
    this.functions.add(name);
    if (atModule) this.definitions.push(name);
    const { inline } = this.headerColon(this.after(j), end);
    return inline ? {} : { opens: { topLevel: false } };
  }

  private classDef(i: number, end: number, block: Block, atModule: boolean): { opens?: Block } {
    const nameAt = i + 1;
    if (!isNameToken(this.tok(nameAt))) bail();
    const name = this.textOf(nameAt);
    let j = nameAt + 1;
    if (this.tok(j) === Tok.LBracket) j = this.after(j);
    const bases: string[] = [];
    if (this.tok(j) === Tok.LParen) {
      const close = this.after(j) - 1;
      let item = j + 1;
      for (let p = j + 1; p <= close;) {
        const kp = this.tok(p);
        if (kp === Tok.Comma || p === close) {
          if (item < p) {
            const dotted = this.dotted(item, p);
            if (dotted !== undefined) bases.push(dotted);
            else if (this.tok(item) === Tok.LParen) bail(); // `(Base)`: a name the XML summary reads
          }
          item = p + 1;
          p++;
          continue;
        }
        p = kp === Tok.LParen || kp === Tok.LBracket || kp === Tok.LBrace ? this.after(p) : p + 1;
      }
      j = close + 1;
    }
    this.classCount.set(name, (this.classCount.get(name) ?? 0) + 1);
    const span: ClassSpan = { start: i, end: -1 };
    if (block.topLevel) {
      this.classBases.set(name, bases);
      this.classSpans.set(name, span);
    }
    if (atModule) this.definitions.push(name);
    const { inline } = this.headerColon(j, end);
    if (inline) span.end = end;
    return inline ? {} : { opens: { topLevel: false, cls: span } };
  }

  /** `a.b.c` spelled by tokens from..to (exclusive), or undefined when they are anything else. */
  private dotted(from: number, to: number): string | undefined {
    if (!isNameToken(this.tok(from))) return undefined;
    let s = this.textOf(from);
    for (let p = from + 1; p < to; p += 2) {
      if (this.tok(p) !== Tok.Dot || !isNameToken(this.tok(p + 1)) || p + 1 >= to) return undefined;
      s += `.${this.textOf(p + 1)}`;
    }
    return s;
  }

  /** A simple statement: a module-level `name = ...` or `name: T = ...` defines the name. */
  private simple(i: number, end: number, atModule: boolean): Record<string, never> {
    if (!atModule) return {};
    const k = this.tok(i);
    const next = this.tok(i + 1);
    if (k !== Tok.Name) {
      if (k >= Tok.Async && (next === Tok.Equal || next === Tok.Colon)) bail(); // a soft keyword as a name
      return {};
    }
    if (next !== Tok.Equal && next !== Tok.Colon) return {};
    const name = this.textOf(i);
    this.definitions.push(name);
    this.assigned.add(name);
    // The value: after the first depth-0 `=` (an annotation comes before it).
    let eq = -1;
    let equals = 0;
    for (let j = i + 1; j < end;) {
      const kj = this.tok(j);
      if (kj === Tok.Equal) {
        if (eq < 0) eq = j;
        equals++;
      }
      j = kj === Tok.LParen || kj === Tok.LBracket || kj === Tok.LBrace ? this.after(j) : j + 1;
    }
    if (eq >= 0 && /^[A-Z][A-Z0-9_]*$/.test(name)) {
      if (equals > 1) bail(); // `A = b = ...`: left to the parser
      this.upperValues.push([name, eq + 1, end]);
    }
    return {};
  }

  /**
   * The version an upper-case module constant's value is, as the semantics resolve it with no
   * workspace: a plain integer, or a tuple or list of one to three (`versionLiteral`). No number
   * in it: none. A bare name of another module-level assignment (which could hold a version),
   * or a number in any other shape (arithmetic, a call): left to the parser.
   */
  private versionOf(from: number, to: number): VersionNumber | undefined {
    let numbers = 0;
    for (let j = from; j < to; j++) {
      const k = this.tok(j);
      if (k === Tok.Number || k === Tok.Float) numbers++;
      if (isNameToken(k) && this.tok(j - 1) !== Tok.Dot && this.assigned.has(this.textOf(j))) bail();
    }
    if (numbers === 0) return undefined;
    if (to - from === 1) return this.integerAt(from);
    const open = this.tok(from);
    if ((open !== Tok.LParen && open !== Tok.LBracket) || (this.tokens.matches[from] ?? -1) !== to - 1) return bail();
    // `(1)` is the integer 1; `(1,)` and `[1]` are the version 1.0.0.
    if (open === Tok.LParen && to - from === 3) return this.integerAt(from + 1);
    const parts: number[] = [];
    for (let j = from + 1; j < to - 1; j += 2) {
      parts.push(this.integerAt(j));
      const sep = this.tok(j + 1);
      if (j + 1 < to - 1 && sep !== Tok.Comma) bail();
    }
    if (parts.length > 3) return undefined;
    return versionFromParts(parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0);
  }

  /** A plain decimal integer token's value (any other number: left to the parser). */
  private integerAt(j: number): number {
    const text = this.textOf(j);
    if (this.tok(j) !== Tok.Number || !/^\d{1,15}$/.test(text)) bail();
    return Number(text);
  }

  /** `import a.b, c as d`: as the file model reads it (readImport). */
  private importNames(from: number, end: number): void {
    this.claimedImports++;
    let p = from;
    for (;;) {
      let q = p;
      while (q < end && this.tok(q) !== Tok.Comma && this.tok(q) !== Tok.As) q++;
      const dotted = this.dotted(p, q);
      if (dotted === undefined) bail();
      let alias: string | undefined;
      if (this.tok(q) === Tok.As) {
        if (!isNameToken(this.tok(q + 1))) bail();
        alias = this.textOf(q + 1);
        q += 2;
      }
      const name = dotted as string;
      const lv = libvirtModuleOf(name);
      if (lv) bail();
      const first = name.split('.')[0] ?? name;
      if (alias !== undefined) this.foreign.set(alias, { local: alias, module: name });
      else this.foreign.set(first, { local: first, module: first });
      if (q >= end) return;
      if (this.tok(q) !== Tok.Comma || q + 1 >= end) bail();
      p = q + 1;
    }
  }

  /** `from .a import b as c, d` / `(...)` / `*`: as readImport; `from __future__` is not an import there. */
  private fromImport(from: number, end: number): void {
    this.claimedImports++;
    let p = from;
    let module = '';
    while (this.tok(p) === Tok.Dot || this.tok(p) === Tok.Ellipsis) module += this.textOf(p++);
    if (isNameToken(this.tok(p))) {
      let q = p;
      while (q < end && this.tok(q) !== Tok.Import) q++;
      const dotted = this.dotted(p, q);
      if (dotted === undefined) bail();
      module += dotted as string;
      p = q;
    }
    if (this.tok(p) !== Tok.Import || module === '') bail();
    if (module === '__future__') return;
    if (libvirtModuleOf(module)) bail();
    const ref = moduleRefFrom(this.uri, module);
    p++;
    if (this.tok(p) === Tok.Star) {
      if (p + 1 !== end) bail();
      if (ref !== undefined) this.stars.push(ref);
      return;
    }
    let stop = end;
    if (this.tok(p) === Tok.LParen) {
      stop = this.after(p) - 1;
      if (stop + 1 !== end) bail();
      p++;
    }
    while (p < stop) {
      if (!isNameToken(this.tok(p))) bail();
      const name = this.textOf(p);
      if (libvirtModuleOf(name)) bail();
      let local = name;
      p++;
      if (this.tok(p) === Tok.As) {
        if (!isNameToken(this.tok(p + 1))) bail();
        local = this.textOf(p + 1);
        p += 2;
      }
      if (ref !== undefined) this.foreign.set(local, { local, module: ref, name });
      if (p < stop) {
        if (this.tok(p) !== Tok.Comma) bail();
        p++;
      }
    }
  }
}
