// The parsing entry of the syntax layer: text in, SyntaxTree out, whichever parser fills it.
// Everything above the syntax layer parses through here.
import { initTreeSitter, parseWithTreeSitter, TreeSitterDocument } from './treeSitter';
import type { SyntaxTree } from './tree';

/** Loads the parser once per process (a no-op once loaded). */
export function initParser(wasmDirs: readonly string[] = []): Promise<void> {
  return initTreeSitter(wasmDirs);
}

/** Parses Python 2 or 3 source; always a tree (errors are listed in `tree.problems`). */
export function parsePython(text: string): SyntaxTree {
  return parseWithTreeSitter(text);
}

/** A document kept parsed across edits (the language server keeps one per open file). */
export class ParsedDocument {
  private readonly doc: TreeSitterDocument;

  constructor(text: string) {
    this.doc = new TreeSitterDocument(text);
  }

  get text(): string {
    return this.doc.text;
  }

  get tree(): SyntaxTree {
    return this.doc.tree;
  }

  /** Replaces [startOffset, endOffset) (UTF-16 offsets) with newText. */
  applyEdit(startOffset: number, endOffset: number, newText: string): void {
    this.doc.applyEdit(startOffset, endOffset, newText);
  }

  /** Replaces the whole text (a full sync). */
  replaceText(text: string): void {
    this.doc.replaceText(text);
  }

  dispose(): void {
    this.doc.dispose();
  }
}
