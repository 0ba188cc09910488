// Parsing again after an edit: only the top-level statements the change can reach are parsed,
// and spliced into the previous tree; a full parse whenever that could differ from one.
//
// A top-level statement that starts at the beginning of a line starts with the tokenizer at
// rest (no open bracket or string, indentation 0), so the statements from one such start to
// another parse alike alone and in the whole file. The region is widened to the statement
// before the change (text typed right after a block may join it) and stops at the first such
// statement after the change. Anything that could carry state across the region's ends falls
// back to the full parse: a problem in the previous tree or in the region (an unclosed bracket
// or string, an unexpected indent), or a backslash before the region's last line break.
// An edit inside a top-level class's body is first tried the same way one level down, on the
// class's statements (reparseInClass): a driver that is one class is otherwise one region.
import { Field, NodeKind } from './nodeKind';
import { parseSource } from './parser';
import { spliceTopLevel, type ArrayTree, type NodeId } from './tree';

/** Regions larger than this share of the file are parsed in full (nothing to gain). */
const maxRegionShare = 0.5;

const atLineStart = (text: string, offset: number): boolean => {
  const c = text.charCodeAt(offset - 1);
  return offset === 0 || c === 10 || c === 13;
};

/**
 * Where the text changed since the old tree: [start, oldEnd) of the old text became
 * [start, newEnd) of the new one (the document tracks it over its edits).
 */
export interface TextChange {
  readonly start: number;
  readonly oldEnd: number;
  readonly newEnd: number;
}

/** The change after one more edit, [start, end) of the current text replaced by `length` characters. */
export function withEdit(change: TextChange | undefined, start: number, end: number, length: number): TextChange {
  if (!change) return { start, oldEnd: end, newEnd: start + length };
  const unionEnd = Math.max(change.newEnd, end);
  return {
    start: Math.min(change.start, start),
    oldEnd: unionEnd - (change.newEnd - change.oldEnd),
    newEnd: unionEnd + length - (end - start),
  };
}

/** Characters compared at once by string equality (a memory compare) before going char by char. */
const compareBlock = 512;

/**
 * The change from `before` to `text`: their common prefix and suffix left out. Blocks are
 * compared as strings first: a char-by-char loop took 4 ms on a 477 KB document, and hover
 * while typing asks this of the last analyzed text and the current one.
 */
export function changeBetween(before: string, text: string): TextChange {
  const max = Math.min(before.length, text.length);
  let prefix = 0;
  while (
    prefix + compareBlock <= max &&
    before.slice(prefix, prefix + compareBlock) === text.slice(prefix, prefix + compareBlock)
  )
    prefix += compareBlock;
  while (prefix < max && before.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  const room = max - prefix;
  let suffix = 0;
  while (
    suffix + compareBlock <= room &&
    before.slice(before.length - suffix - compareBlock, before.length - suffix) ===
      text.slice(text.length - suffix - compareBlock, text.length - suffix)
  )
    suffix += compareBlock;
  while (suffix < room && before.charCodeAt(before.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix))
    suffix++;
  return { start: prefix, oldEnd: before.length - suffix, newEnd: text.length - suffix };
}

/**
 * The tree of `text`, from `old` (the tree of the text before the edits) when it can be;
 * `change` says where the texts differ (found by comparing them when not given).
 */
export function reparse(old: ArrayTree, text: string, change?: TextChange): ArrayTree {
  if (old.source === text) return old;
  const inClass = reparseInClass(old, text, change);
  if (inClass) return inClass;
  const r = reparseRegion(old, text, change);
  if (!r) return parseSource(text);
  const region = parseSource(text.slice(r.start, r.newEnd));
  if (region.problems.length) return parseSource(text);
  return spliceTopLevel(old, text, r.start, r.oldEnd, region);
}

/**
 * The text to parse again after the edits that made `text` of `old.source`: [start, newEnd) of
 * the new text, [start, oldEnd) of the old; undefined when only a full parse will do.
 */
export function reparseRegion(old: ArrayTree, text: string, given?: TextChange): TextChange | undefined {
  const before = old.source;
  if (old.problems.length) return undefined;
  const change = given ?? changeBetween(before, text);
  if (change.newEnd - change.oldEnd !== text.length - before.length) return undefined;
  const prefix = change.start;
  const changeEnd = change.oldEnd;
  let start = 0;
  let oldEnd = before.length;
  for (let c = old.firstChild(old.root); c !== undefined; c = old.nextSibling(c)) {
    const s = old.start(c);
    if (!atLineStart(before, s)) continue;
    if (s < prefix) start = s;
    else if (s > changeEnd) {
      oldEnd = s;
      break;
    }
  }
  const newEnd = oldEnd + text.length - before.length;
  if (newEnd - start > text.length * maxRegionShare) return undefined;
  if (newEnd < text.length && joinsNextLine(text, newEnd)) return undefined;
  return { start, oldEnd, newEnd };
}

/** What a region inside a class body is parsed under: a header whose block the region's lines form. */
const standIn = 'if 1:\n';

/**
 * An edit inside a top-level class's body (a method of a driver class that is most of its
 * file): only the class's statements the change can reach are parsed, under a stand-in header
 * at column 0, and put in place of the old ones. As at the top level, the region runs from the
 * class statement before the change to the first one after it; that one must exist (so the
 * class ends after the change), and the region must parse alone without a problem, with no
 * tab or form feed in its lines' indentation and no comment after its last statement (a comment there may
 * belong to a block that a stand-in parse would end sooner). Undefined: not such an edit.
 */
export function reparseInClass(old: ArrayTree, text: string, given?: TextChange): ArrayTree | undefined {
  const before = old.source;
  if (old.problems.length) return undefined;
  const change = given ?? changeBetween(before, text);
  const shift = text.length - before.length;
  if (change.newEnd - change.oldEnd !== shift) return undefined;
  // The top-level statement holding the change: a class at a line start, its body a block.
  let top: NodeId | undefined;
  for (let c = old.firstChild(old.root); c !== undefined; c = old.nextSibling(c)) {
    if (old.start(c) <= change.start && change.oldEnd <= old.end(c)) top = c;
    if (old.start(c) > change.start) break;
  }
  if (top === undefined || !atLineStart(before, old.start(top))) return undefined;
  const cls = old.kind(top) === NodeKind.DecoratedDefinition ? old.field(top, Field.Definition) : top;
  if (cls === undefined || old.kind(cls) !== NodeKind.ClassDefinition) return undefined;
  const block = old.field(cls, Field.Body);
  if (block === undefined || old.kind(block) !== NodeKind.Block) return undefined;
  let start = -1;
  let oldEnd = -1;
  let column = -1;
  for (let c = old.firstChild(block); c !== undefined; c = old.nextSibling(c)) {
    const s = old.start(c);
    const indent = indentBefore(before, s);
    if (!atLineStart(before, s - indent) || (column >= 0 && indent !== column)) return undefined;
    column = indent;
    if (s < change.start) start = s;
    // The next statement's whole line, its indentation and the line break before it, unchanged.
    else if (s - indent > change.oldEnd) {
      oldEnd = s;
      break;
    }
  }
  if (start < 0 || oldEnd < 0 || column <= 0) return undefined;
  const lineStart = start - column;
  const newEnd = oldEnd + shift;
  const regionText = text.slice(lineStart, newEnd - column);
  if (/(^|\n)[ ]*[\t\f]/.test(regionText) || /[^ ]/.test(before.slice(lineStart, start))) return undefined;
  if (joinsNextLine(text, newEnd - column)) return undefined;
  const region = parseSource(standIn + regionText);
  if (region.problems.length) return undefined;
  const header = region.firstChild(region.root);
  if (header === undefined || region.nextSibling(header) !== undefined) return undefined;
  const regionBlock = region.field(header, Field.Consequence);
  if (regionBlock === undefined || region.kind(regionBlock) !== NodeKind.Block) return undefined;
  // Nothing but white space after the region's last statement (see above).
  const last = region.children(regionBlock).at(-1);
  if (last === undefined || /\S/.test((standIn + regionText).slice(region.end(last)))) return undefined;
  return old.splicedChildren(text, block, start, oldEnd, region, regionBlock, standIn.length + column);
}

/**
 * Whether a backslash ends the line before `lineStart`: it would join the next statement's
 * line to the region that ends there.
 */
function joinsNextLine(text: string, lineStart: number): boolean {
  let k = lineStart - 1;
  if (text.charCodeAt(k) === 10 && text.charCodeAt(k - 1) === 13) k--;
  return text.charCodeAt(k - 1) === 92;
}

/** How many spaces come right before `offset` on its line. */
function indentBefore(text: string, offset: number): number {
  let n = 0;
  while (offset - n > 0 && text.charCodeAt(offset - n - 1) === 32) n++;
  return n;
}
