// The parsing entry of the syntax layer: text in, SyntaxTree out. Everything above the syntax
// layer parses through here. The parser is the hand-written one (parser.ts): plain TypeScript,
// nothing to load, fast enough that a document is parsed again in full on every edit.
import { parseSource } from './parser';
import type { SyntaxTree } from './tree';

/**
 * Kept for API compatibility: the parser needs no loading (tree-sitter's wasm did). Resolves at
 * once; the argument (directories of wasm files) is ignored.
 */
export function initParser(_wasmDirs: readonly string[] = []): Promise<void> {
  return Promise.resolve();
}

/** Parses Python 2 or 3 source; always a tree (errors are listed in `tree.problems`). */
export function parsePython(text: string): SyntaxTree {
  return parseSource(text);
}

/** A document kept parsed across edits (the language server keeps one per open file). */
export class ParsedDocument {
  private current: SyntaxTree | undefined;

  constructor(private currentText: string) {}

  get text(): string {
    return this.currentText;
  }

  /** The tree of the current text, parsed when first asked for after a change. */
  get tree(): SyntaxTree {
    this.current ??= parseSource(this.currentText);
    return this.current;
  }

  /** Replaces [startOffset, endOffset) (UTF-16 offsets) with newText. */
  applyEdit(startOffset: number, endOffset: number, newText: string): void {
    const start = Math.max(0, Math.min(startOffset, this.currentText.length));
    const end = Math.max(start, Math.min(endOffset, this.currentText.length));
    this.currentText = this.currentText.slice(0, start) + newText + this.currentText.slice(end);
    this.current = undefined;
  }

  /** Replaces the whole text (a full sync). */
  replaceText(text: string): void {
    this.currentText = text;
    this.current = undefined;
  }

  dispose(): void {
    this.current = undefined;
  }
}
