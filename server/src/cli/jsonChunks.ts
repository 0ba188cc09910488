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
  let out = `${text.slice(0, cut)}[`;
  let any = false;
  // Items are stringified in batches, as an array nested as deep as the one they belong in:
  // JSON.stringify then indents them as they stand in the document. A call and a re-indenting
  // replace per item took 614-686 ms for the bench tree's 27 MB report; batches take 153-202.
  // A batch doubles while its text stays under a chunk, up to 16 items: batches of 128 made
  // strings big enough to wait for a full collection, and the SARIF run's peak RSS grew 18 MB.
  const nest = new NestedArray(indent / 2);
  let batch: unknown[] = [];
  let batchSize = 1;
  const flush = (): string => {
    const body = nest.items(batch);
    const piece = any ? `,${body}` : body;
    any = true;
    if (body.length < chunkSize && batchSize < 16) batchSize *= 2;
    batch = [];
    return piece;
  };
  for (const item of items) {
    batch.push(item);
    if (batch.length < batchSize) continue;
    out += flush();
    if (out.length >= chunkSize) {
      yield out;
      out = '';
    }
  }
  if (batch.length) out += flush();
  out += any ? `\n${' '.repeat(indent)}]` : ']';
  yield `${out}${text.slice(cut + token.length)}\n`;
}

/**
 * Items as they print inside an array at `depth` (its items one level deeper), each line
 * break followed by the indentation, and without the array's brackets: `\n    a,\n    b`.
 */
class NestedArray {
  private readonly open: string;
  private readonly close: string;

  constructor(private readonly depth: number) {
    const pad = (level: number): string => ' '.repeat(2 * level);
    let open = '';
    let close = '';
    for (let level = 0; level < depth; level++) {
      open += `${pad(level)}[\n`;
      close = `\n${pad(level)}]${close}`;
    }
    this.open = `${open}${pad(depth)}[`;
    this.close = `\n${pad(depth)}]${close}`;
  }

  items(batch: readonly unknown[]): string {
    let wrapped: unknown = batch;
    for (let level = 0; level < this.depth; level++) wrapped = [wrapped];
    const text = JSON.stringify(wrapped, null, 2);
    if (!text.startsWith(this.open) || !text.endsWith(this.close)) throw new Error('unexpected JSON layout');
    return text.slice(this.open.length, text.length - this.close.length);
  }
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
