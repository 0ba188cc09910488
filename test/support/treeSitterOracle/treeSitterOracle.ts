// The tree-sitter oracle of the parser's differential tests (it was the runtime parser before
// the hand-written one): parses with web-tree-sitter and the tree-sitter-python grammar (wasm,
// dev dependencies) and copies the result into an ArrayTree in one cursor pass. Tests, the
// benchmark and the fuzzer use it; nothing at run time imports web-tree-sitter (a test checks).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Parser, Language, type Tree, type Edit } from 'web-tree-sitter';
import { Field, NodeKind, fieldNamed, kindNamed } from '../../../server/src/engine/syntax/nodeKind';
import { TreeBuilder, type SyntaxTree } from '../../../server/src/engine/syntax/tree';
import { markPythonRejects } from './pythonRejects';

let language: Language | undefined;
let initializing: Promise<void> | undefined;
/** tree-sitter symbol id → our kind (-1: not kept), and field id → our field. */
let kindOfSymbol: Int16Array = new Int16Array(0);
let namedSymbol: Uint8Array = new Uint8Array(0);
let fieldOfId: Uint8Array = new Uint8Array(0);

/** Symbols that are text, not nodes: string delimiters and content, escapes, continuations. */
const textOnly = new Set([
  'string_start',
  'string_end',
  'string_content',
  'escape_sequence',
  'escape_interpolation',
  'line_continuation',
]);

/** Where the wasm files are: beside a bundle (the benchmark's) or in node_modules. */
function locateWasm(file: string, extraDirs: readonly string[]): string {
  const candidates = [...extraDirs, __dirname].map((d) => path.join(d, file));
  for (const candidate of candidates) if (fs.existsSync(candidate)) return candidate;
  const pkg =
    file === 'tree-sitter.wasm' ? 'web-tree-sitter/tree-sitter.wasm' : 'tree-sitter-python/tree-sitter-python.wasm';
  return require.resolve(pkg);
}

function buildSymbolTables(lang: Language): void {
  kindOfSymbol = new Int16Array(lang.nodeTypeCount).fill(-1);
  namedSymbol = new Uint8Array(lang.nodeTypeCount);
  for (let id = 0; id < lang.nodeTypeCount; id++) {
    const name = lang.nodeTypeForId(id);
    const named = lang.nodeTypeIsNamed(id);
    namedSymbol[id] = named ? 1 : 0;
    if (!name || !named || textOnly.has(name) || name === 'comment') continue;
    const kind = kindNamed(name);
    if (kind !== undefined) kindOfSymbol[id] = kind;
  }
  fieldOfId = new Uint8Array(lang.fieldCount + 1);
  for (let id = 1; id <= lang.fieldCount; id++) {
    const name = lang.fieldNameForId(id);
    fieldOfId[id] = (name ? fieldNamed(name) : undefined) ?? Field.None;
  }
}

/** Loads the parser once per process. Safe to call many times and concurrently. */
export function initTreeSitter(wasmDirs: readonly string[] = []): Promise<void> {
  if (language) return Promise.resolve();
  initializing ??= (async () => {
    const runtime = locateWasm('tree-sitter.wasm', wasmDirs);
    await Parser.init({ locateFile: () => runtime });
    const lang = await Language.load(fs.readFileSync(locateWasm('tree-sitter-python.wasm', wasmDirs)));
    buildSymbolTables(lang);
    language = lang;
  })();
  return initializing;
}

let sharedParser: Parser | undefined;

function parser(): Parser {
  if (!language) throw new Error('initTreeSitter() must finish before parsing');
  if (!sharedParser) {
    sharedParser = new Parser();
    sharedParser.setLanguage(language);
  }
  return sharedParser;
}

/**
 * Python ends a line at a lone \r; tree-sitter does not (it reads a comment on through it).
 * The same text with \n for each lone \r has the same length, so every offset stays valid.
 */
function forTreeSitter(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

function tsParse(text: string, previous?: Tree): Tree {
  const tree = parser().parse(forTreeSitter(text), previous ?? null);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

/** The kept operator tokens: an unnamed child the grammar names by one of these fields. */
const operatorFields = new Set<number>([Field.Operator, Field.Operators]);

/** Copies a tree-sitter tree into an ArrayTree (one cursor pass, no recursion). */
export function convertTree(tsTree: Tree, text: string): SyntaxTree {
  const b = new TreeBuilder(text);
  const cursor = tsTree.walk();
  // Per open node: the builder mark for its children, and how to finish it (kind -1: dropped).
  const marks: number[] = [];
  const kinds: number[] = [];
  const fields: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  // The root (module) is finished by build().
  const descend = cursor.gotoFirstChild();
  if (!descend) return finishTree(b);
  for (;;) {
    const symbol = cursor.nodeTypeId;
    const field = fieldOfId[cursor.currentFieldId] ?? Field.None;
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    let kind = kindOfSymbol[symbol] ?? -1;
    let enter = false;
    if (cursor.nodeIsMissing) {
      b.problem(start, end, `missing ${cursor.nodeType}`);
      if (kind >= 0) b.setField(b.leaf(kind, start, end), field);
    } else if (symbol >= kindOfSymbol.length && cursor.nodeType === 'ERROR') {
      kind = NodeKind.Error;
      enter = true;
      b.problem(start, end, 'invalid syntax');
    } else if (kind >= 0) {
      enter = true;
    } else if (!namedSymbol[symbol]) {
      if (operatorFields.has(field)) b.setField(b.leaf(NodeKind.Operator, start, end), field);
    } else if (cursor.nodeType === 'comment') {
      b.comment(start, end);
    }
    // Anything else named (string delimiters and content) is text of its parent.
    if (enter && cursor.gotoFirstChild()) {
      marks.push(b.mark());
      kinds.push(kind);
      fields.push(field);
      starts.push(start);
      ends.push(end);
      continue;
    }
    if (enter) b.setField(b.leaf(kind, start, end), field);
    // Next sibling, or close parents until one has a next sibling.
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent() || marks.length === 0) {
        cursor.delete();
        return finishTree(b);
      }
      const mark = marks.pop() ?? 0;
      const k = kinds.pop() ?? NodeKind.Error;
      const f = fields.pop() ?? Field.None;
      const s = starts.pop() ?? 0;
      const e = ends.pop() ?? s;
      b.setField(b.finish(k as NodeKind, s, e, mark), f);
    }
  }
}

function finishTree(b: TreeBuilder): SyntaxTree {
  return markPythonRejects(b.build(NodeKind.Module));
}

/** Parses Python 2 or 3 source into an ArrayTree (error tolerant: always a tree). */
export function parseWithTreeSitter(text: string): SyntaxTree {
  const tsTree = tsParse(text);
  try {
    return convertTree(tsTree, text);
  } finally {
    tsTree.delete();
  }
}

/** tree-sitter's parse alone, without copying the tree (for the benchmark). */
export function parseOnlyWithTreeSitter(text: string): void {
  tsParse(text).delete();
}

/** Position in tree-sitter terms (row, UTF-16 column) of a UTF-16 offset; rows count \n only. */
function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/**
 * A document kept parsed across edits: each edit updates tree-sitter's tree (`Tree.edit`) and
 * re-parses incrementally. When the result has syntax errors it is parsed again from scratch:
 * tree-sitter's error recovery depends on the edit history, and findings must not.
 */
export class TreeSitterDocument {
  private tsTree: Tree;
  private current: SyntaxTree | undefined;

  constructor(private currentText: string) {
    this.tsTree = tsParse(currentText);
  }

  get text(): string {
    return this.currentText;
  }

  get tree(): SyntaxTree {
    if (!this.current) {
      if (this.tsTree.rootNode.hasError) {
        this.tsTree.delete();
        this.tsTree = tsParse(this.currentText);
      }
      this.current = convertTree(this.tsTree, this.currentText);
    }
    return this.current;
  }

  /** Replaces [startOffset, endOffset) (UTF-16 offsets) with newText. */
  applyEdit(startOffset: number, endOffset: number, newText: string): void {
    const old = forTreeSitter(this.currentText);
    const next = this.currentText.slice(0, startOffset) + newText + this.currentText.slice(endOffset);
    const nextTs = forTreeSitter(next);
    const edit: Edit = {
      startIndex: startOffset,
      oldEndIndex: endOffset,
      newEndIndex: startOffset + newText.length,
      startPosition: pointAt(old, startOffset),
      oldEndPosition: pointAt(old, endOffset),
      newEndPosition: pointAt(nextTs, startOffset + newText.length),
    };
    this.tsTree.edit(edit);
    const previous = this.tsTree;
    this.tsTree = tsParse(next, previous);
    previous.delete();
    this.currentText = next;
    this.current = undefined;
  }

  /** Replaces the whole text (a full sync), re-parsing from scratch. */
  replaceText(text: string): void {
    this.tsTree.delete();
    this.currentText = text;
    this.tsTree = tsParse(text);
    this.current = undefined;
  }

  dispose(): void {
    this.tsTree.delete();
    this.current = undefined;
  }
}
