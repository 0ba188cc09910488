// The parsing entry of the syntax layer: text in, SyntaxTree out. Everything above the syntax
// layer parses through here. The parser is the hand-written one (parser.ts): plain TypeScript,
// nothing to load; after an edit, a document's tree is mended where the edit can reach.
import { parseSource } from './parser';
import { reparse, withEdit, type TextChange } from './reparse';
import type { ArrayTree, SyntaxTree } from './tree';

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

/**
 * `LIBVIRT_GATE_INCREMENTAL=off` parses a document in full after every edit (the language
 * server's benchmark measures both).
 */
const reparseEnabled = (): boolean => process.env.LIBVIRT_GATE_INCREMENTAL !== 'off';

/**
 * A document kept parsed across edits (the language server keeps one per open file). After an
 * edit only the top-level statements it can reach are parsed again (reparse.ts).
 */
export class ParsedDocument {
  private current: ArrayTree | undefined;
  /** The last tree parsed, while the text has changed since, and where it changed. */
  private previous: ArrayTree | undefined;
  /** 'unknown' after a full sync: found by comparing the texts. */
  private change: TextChange | 'unknown' | undefined;

  constructor(private currentText: string) {}

  get text(): string {
    return this.currentText;
  }

  /** The tree of the current text, parsed when first asked for after a change. */
  get tree(): SyntaxTree {
    if (!this.current) {
      const { previous, change } = this;
      this.previous = undefined;
      this.change = undefined;
      this.current =
        previous && reparseEnabled()
          ? reparse(previous, this.currentText, change === 'unknown' ? undefined : change)
          : parseSource(this.currentText);
    }
    return this.current;
  }

  /** Replaces [startOffset, endOffset) (UTF-16 offsets) with newText. */
  applyEdit(startOffset: number, endOffset: number, newText: string): void {
    const start = Math.max(0, Math.min(startOffset, this.currentText.length));
    const end = Math.max(start, Math.min(endOffset, this.currentText.length));
    this.setText(this.currentText.slice(0, start) + newText + this.currentText.slice(end));
    if (this.previous && this.change !== 'unknown') this.change = withEdit(this.change, start, end, newText.length);
  }

  /** Replaces the whole text (a full sync): the change is found by comparing the texts. */
  replaceText(text: string): void {
    this.setText(text);
    if (this.previous) this.change = 'unknown';
  }

  private setText(text: string): void {
    this.currentText = text;
    if (this.current) {
      this.previous = this.current;
      this.change = undefined;
    }
    this.current = undefined;
  }

  dispose(): void {
    this.current = undefined;
    this.previous = undefined;
    this.change = undefined;
  }
}
