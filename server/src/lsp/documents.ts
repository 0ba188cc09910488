// Open documents: the text (as a TextDocument, for offset/position conversion) and one
// ParsedDocument per document, fed every content change so its tree is updated incrementally.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import {
  adoptWordCounts,
  DocumentWords,
  FlowCache,
  ParsedDocument,
  type FactQuery,
  type SyntaxTree,
} from '../engine/api';

/** Beyond this size (UTF-16 units) a document is tracked but not parsed or analyzed. */
const maxAnalyzedLength = 8 * 1024 * 1024;

export class OpenDocument {
  private parsed: ParsedDocument | undefined;
  /** Word counts, counted again after an edit only in the chunks it reached (not the whole text). */
  private readonly words = new DocumentWords();
  /** Bumped on every change; part of the diagnostics resultId. */
  private changeCount = 0;
  /**
   * The flow walks of the last analysis, for the next one to reuse where an edit did not
   * reach (see engine/flow/flowCache.ts), and what that analysis read of other files.
   */
  readonly flowCache = new FlowCache();
  flowCacheRead: { readonly facts: readonly FactQuery[]; checkedAt: number } | undefined;

  constructor(private doc: TextDocument) {
    this.parsed = doc.getText().length <= maxAnalyzedLength ? new ParsedDocument(doc.getText()) : undefined;
  }

  get uri(): string {
    return this.doc.uri;
  }
  get version(): number {
    return this.doc.version;
  }
  get text(): string {
    return this.doc.getText();
  }
  get textDocument(): TextDocument {
    return this.doc;
  }
  get changes(): number {
    return this.changeCount;
  }
  /** The up-to-date parse, or undefined when the document is too large to analyze. */
  get parsedDocument(): ParsedDocument | undefined {
    return this.parsed;
  }

  /**
   * The up-to-date tree, its word counts given to it from this document's (the analysis and
   * the index summary read them; counting all of a 15,000-line file took 11 ms an edit).
   */
  get tree(): SyntaxTree | undefined {
    if (!this.parsed) return undefined;
    const tree = this.parsed.tree;
    adoptWordCounts(tree, this.words.update(this.parsed.text));
    return tree;
  }

  /** Applies LSP content changes in order; each range is relative to the text after the previous one. */
  applyChanges(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if ('range' in change) {
        const start = this.doc.offsetAt(change.range.start);
        const end = this.doc.offsetAt(change.range.end);
        this.doc = TextDocument.update(this.doc, [change], version);
        // The document's text itself, not a second copy (checked against the edit there).
        this.parsed?.applyEdit(start, Math.max(start, end), change.text, this.doc.getText());
      } else {
        this.doc = TextDocument.update(this.doc, [change], version);
        this.parsed?.replaceText(change.text);
      }
    }
    this.changeCount++;
    this.reconcileSize();
    // Safety net: a tree that drifted from the text is rebuilt (the same string: a pointer compare).
    if (this.parsed && this.parsed.text !== this.doc.getText()) this.parsed.replaceText(this.doc.getText());
  }

  dispose(): void {
    this.parsed?.dispose();
    this.parsed = undefined;
  }

  /** A document that grows past the limit stops being parsed; one that shrinks back starts again. */
  private reconcileSize(): void {
    const length = this.doc.getText().length;
    if (length > maxAnalyzedLength && this.parsed) {
      this.parsed.dispose();
      this.parsed = undefined;
    } else if (length <= maxAnalyzedLength && !this.parsed) {
      this.parsed = new ParsedDocument(this.doc.getText());
    }
  }
}

export class DocumentStore {
  private readonly docs = new Map<string, OpenDocument>();

  open(uri: string, languageId: string, version: number, text: string): OpenDocument {
    this.docs.get(uri)?.dispose();
    const doc = new OpenDocument(TextDocument.create(uri, languageId, version, text));
    this.docs.set(uri, doc);
    return doc;
  }

  get(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }

  close(uri: string): void {
    this.docs.get(uri)?.dispose();
    this.docs.delete(uri);
  }

  all(): OpenDocument[] {
    return [...this.docs.values()];
  }
}
