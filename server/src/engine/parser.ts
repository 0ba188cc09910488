// Python parsing with web-tree-sitter and the tree-sitter-python grammar (wasm, from npm).
// Error-tolerant (half-typed code still yields a tree) and able to parse Python 2.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Parser, Language, type Tree, type Node, type Edit } from 'web-tree-sitter';

export type { Tree, Node };

let language: Language | undefined;
let initializing: Promise<void> | undefined;

/** Where the wasm files are: beside the bundle (dist/) or in node_modules (tests, tsx). */
function locateWasm(file: string, extraDirs: readonly string[]): string {
  const candidates = [...extraDirs, __dirname, path.join(__dirname, '..', '..', '..', 'dist')].map((d) => path.join(d, file));
  for (const candidate of candidates) if (fs.existsSync(candidate)) return candidate;
  const pkg = file === 'tree-sitter.wasm' ? 'web-tree-sitter/tree-sitter.wasm' : 'tree-sitter-python/tree-sitter-python.wasm';
  return require.resolve(pkg);
}

/** Loads the parser once per process. Safe to call many times and concurrently. */
export function initParser(wasmDirs: readonly string[] = []): Promise<void> {
  if (language) return Promise.resolve();
  initializing ??= (async () => {
    const runtime = locateWasm('tree-sitter.wasm', wasmDirs);
    await Parser.init({ locateFile: () => runtime });
    language = await Language.load(fs.readFileSync(locateWasm('tree-sitter-python.wasm', wasmDirs)));
  })();
  return initializing;
}

let sharedParser: Parser | undefined;

function parser(): Parser {
  if (!language) throw new Error('initParser() must finish before parsing');
  if (!sharedParser) {
    sharedParser = new Parser();
    sharedParser.setLanguage(language);
  }
  return sharedParser;
}

/** Parses text; with `previous` (already edited with `tree.edit`) re-parses incrementally. */
export function parsePython(text: string, previous?: Tree): Tree {
  const tree = parser().parse(text, previous ?? null);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

/** Position in tree-sitter terms (row, UTF-16 column) of a UTF-16 offset. */
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
 * A document kept parsed across edits: each edit updates the old tree (`Tree.edit`) and
 * re-parses incrementally, so only the changed region is parsed again.
 */
export class ParsedDocument {
  private currentTree: Tree;
  constructor(private currentText: string) {
    this.currentTree = parsePython(currentText);
  }
  get text(): string { return this.currentText; }
  get tree(): Tree { return this.currentTree; }

  /** Replaces [startOffset, endOffset) (UTF-16 offsets) with newText. */
  applyEdit(startOffset: number, endOffset: number, newText: string): void {
    const old = this.currentText;
    const next = old.slice(0, startOffset) + newText + old.slice(endOffset);
    const edit: Edit = {
      startIndex: startOffset,
      oldEndIndex: endOffset,
      newEndIndex: startOffset + newText.length,
      startPosition: pointAt(old, startOffset),
      oldEndPosition: pointAt(old, endOffset),
      newEndPosition: pointAt(next, startOffset + newText.length),
    };
    this.currentTree.edit(edit);
    const previous = this.currentTree;
    this.currentTree = parsePython(next, previous);
    previous.delete();
    this.currentText = next;
  }

  /** Replaces the whole text (a full sync), re-parsing from scratch. */
  replaceText(text: string): void {
    this.currentTree.delete();
    this.currentText = text;
    this.currentTree = parsePython(text);
  }

  dispose(): void { this.currentTree.delete(); }
}
