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

/** How much text on either side of an edit `isEditResult` compares. */
const editContext = 64;

/** Whether `after` is `old` with [start, end) replaced by `inserted` (checked at the edit: lengths and the text around it). */
function isEditResult(old: string, start: number, end: number, inserted: string, after: string): boolean {
  const insertedEnd = start + inserted.length;
  const from = Math.max(0, start - editContext);
  return (
    after.length === old.length - (end - start) + inserted.length &&
    after.startsWith(inserted, start) &&
    after.slice(from, start) === old.slice(from, start) &&
    after.slice(insertedEnd, insertedEnd + editContext) === old.slice(end, end + editContext)
  );
}

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

  /**
   * Replaces [startOffset, endOffset) (UTF-16 offsets) with newText. `after`, when given, is the
   * whole text after the edit as the caller holds it (the language server's document): it
   * becomes this document's text, one string for both instead of two copies of a large file,
   * when it is this edit's result (its length, newText at the start, the text on either side);
   * otherwise it is taken as a full replacement, whose change is found by comparing.
   */
  applyEdit(startOffset: number, endOffset: number, newText: string, after?: string): void {
    const old = this.currentText;
    const start = Math.max(0, Math.min(startOffset, old.length));
    const end = Math.max(start, Math.min(endOffset, old.length));
    if (after !== undefined && !isEditResult(old, start, end, newText, after)) return this.replaceText(after);
    this.setText(after ?? old.slice(0, start) + newText + old.slice(end));
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
