// A pretty-printed JSON document written a piece at a time: `JSON.stringify(doc, null, 2)`
// and a final newline, byte for byte, except that one array of it (the findings, the SARIF
// results) is written an item at a time from an iterable. A whole-tree report is tens of MB of
// text: built in one string, with every item's object alive at once, it was the peak of a
// check's memory.

const placeholder = '\u0000libvirt-gate:items\u0000';

/**
 * The text of `doc` with `items` as the array at `at` (a path of keys; the array in `doc`
 * itself is ignored), in chunks of about `chunkSize` characters.
 */
export function* prettyJsonChunks(
  doc: object,
  at: readonly (string | number)[],
  items: Iterable<unknown>,
  chunkSize = 1 << 16,
): Generator<string> {
  const text = JSON.stringify(withPlaceholder(doc, at), null, 2);
  const token = JSON.stringify(placeholder);
  const cut = text.indexOf(token);
  if (cut < 0 || text.indexOf(token, cut + 1) >= 0) throw new Error(`no single array at ${at.join('.')}`);
  const indent = lineIndent(text, cut);
  const inner = ' '.repeat(indent + 2);
  let out = `${text.slice(0, cut)}[`;
  let any = false;
  for (const item of items) {
    // As in an array, an item JSON cannot hold (undefined, a function) is null.
    const json = JSON.stringify(item, null, 2) ?? 'null';
    out += `${any ? ',' : ''}\n${inner}${json.replace(/\n/g, `\n${inner}`)}`;
    any = true;
    if (out.length >= chunkSize) {
      yield out;
      out = '';
    }
  }
  out += any ? `\n${' '.repeat(indent)}]` : ']';
  yield `${out}${text.slice(cut + token.length)}\n`;
}

/** The indentation of the line that holds `offset`. */
function lineIndent(text: string, offset: number): number {
  const start = text.lastIndexOf('\n', offset) + 1;
  let i = start;
  while (text.charCodeAt(i) === 32) i++;
  return i - start;
}

/** A copy of `doc` along `at`, with the placeholder where the array is. */
function withPlaceholder(doc: unknown, at: readonly (string | number)[]): unknown {
  if (!at.length) return placeholder;
  const [key, ...rest] = at;
  if (Array.isArray(doc)) return doc.map((v, i) => (i === key ? withPlaceholder(v, rest) : v));
  if (doc === null || typeof doc !== 'object' || key === undefined || !(key in doc))
    throw new Error(`no array at ${at.join('.')}`);
  const copy: Record<string, unknown> = { ...(doc as Record<string, unknown>) };
  copy[String(key)] = withPlaceholder(copy[String(key)], rest);
  return copy;
}

/** `list.map(f)`, an item at a time. */
export function* lazyMap<T, U>(list: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of list) yield f(item);
}
