// Small readings of Python expressions the XML recognizers share: the value of a plain string
// literal, a literal or module constant written as an attribute value, and the `self.<attr>`
// attributes an expression reads.
import { Field, NodeKind, unparen, type NodeId, type SyntaxTree } from '../../syntax/index';
import type { FileModel } from '../fileModel';
import type { AttrSource } from './xmlPaths';

const unknown: AttrSource = { k: 'unknown' };

/** The value of a string literal without placeholders (`'unmap'`, `"disk"`), else undefined. */
export function stringValue(t: SyntaxTree, node: NodeId): string | undefined {
  const n = unparen(t, node);
  const kind = t.kind(n);
  if (kind === NodeKind.ConcatenatedString) {
    let out = '';
    for (const part of t.children(n)) {
      const v = stringValue(t, part);
      if (v === undefined) return undefined;
      out += v;
    }
    return out;
  }
  if (kind !== NodeKind.String || t.firstChild(n) !== undefined) return undefined; // f-string with fields
  return plainStringBody(t.text(n));
}

/** The body of a string literal's text (prefix and quotes off, escapes read), if it is a plain, closed one. */
function plainStringBody(text: string): string | undefined {
  let i = 0;
  let raw = false;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === 'r' || c === 'R') raw = true;
    else if (c !== 'b' && c !== 'B' && c !== 'u' && c !== 'U') break;
  }
  const q = text[i];
  if (q !== "'" && q !== '"') return undefined; // an f-string, or no string at all
  const quotes = text.startsWith(q + q + q, i) ? q + q + q : q;
  const bodyStart = i + quotes.length;
  const bodyEnd = text.length - quotes.length;
  if (bodyEnd < bodyStart || !text.endsWith(quotes)) return undefined; // unclosed
  const body = text.slice(bodyStart, bodyEnd);
  return raw || !body.includes('\\') ? body : body.replace(/\\(.)/g, '$1');
}

/** A module-level `NAME = 'text'` (followed through one alias), or a literal: the value an expression writes. */
export function literalValue(model: FileModel, node: NodeId, depth = 0): string | undefined {
  const t = model.tree;
  const n = unparen(t, node);
  const kind = t.kind(n);
  if (kind === NodeKind.Integer || kind === NodeKind.Float) return t.text(n);
  if (kind === NodeKind.True || kind === NodeKind.False) return undefined;
  if (kind === NodeKind.Identifier && depth < 3) {
    const bound = model.constants.get(t.text(n));
    return bound === undefined ? undefined : literalValue(model, bound, depth + 1);
  }
  return stringValue(t, n);
}

/** `self.x` → 'x'. */
export function selfAttribute(t: SyntaxTree, node: NodeId): string | undefined {
  const n = unparen(t, node);
  if (t.kind(n) !== NodeKind.Attribute) return undefined;
  const obj = t.field(n, Field.Object);
  const attr = t.field(n, Field.Attribute);
  return obj !== undefined && attr !== undefined && t.kind(obj) === NodeKind.Identifier && t.text(obj) === 'self'
    ? t.text(attr)
    : undefined;
}

/** Every `self.<attr>` an expression reads, in order (`self.a.b` reads a). */
export function selfAttributesIn(t: SyntaxTree, node: NodeId): string[] {
  const out: string[] = [];
  const check = (n: NodeId): void => {
    const a = selfAttribute(t, n);
    if (a !== undefined && !out.includes(a)) out.push(a);
  };
  check(node);
  for (const d of t.descendantsOfKind(node, NodeKind.Attribute)) check(d);
  return out;
}

/** What an attribute value expression writes: a literal, a config object's attribute (`str(self.x)`), or unknown. */
export function valueSource(model: FileModel, node: NodeId): AttrSource {
  const literal = literalValue(model, node);
  if (literal !== undefined) return { k: 'literal', value: literal };
  const attr = selfAttributesIn(model.tree, node)[0];
  return attr === undefined ? unknown : { k: 'self', attr };
}

/**
 * What an assignment gives an attribute: `set` is false for None and other falsy literals
 * (`False`, `0`, `''`, `[]`, `{}`, `()`), which leave a config object's XML unwritten; `literal`
 * is the value when it is written out (`True` for True).
 */
export function assignedValue(sem: { readonly model: FileModel }, node: NodeId): { set: boolean; literal?: string } {
  const t = sem.model.tree;
  const n = unparen(t, node);
  const kind = t.kind(n);
  if (kind === NodeKind.None || kind === NodeKind.False) return { set: false };
  if (kind === NodeKind.True) return { set: true, literal: 'True' };
  if (
    (kind === NodeKind.List || kind === NodeKind.Dictionary || kind === NodeKind.Tuple) &&
    t.firstChild(n) === undefined
  )
    return { set: false };
  const literal = literalValue(sem.model, n);
  if (literal === undefined) return { set: true };
  if (literal === '' || (kind === NodeKind.Integer && Number(literal) === 0)) return { set: false };
  return { set: true, literal };
}
