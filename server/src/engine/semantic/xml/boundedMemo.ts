// Answers remembered across files and edits (the same chain, literal or template comes back
// in many files): a map that starts again when full, so a long editor session does not grow
// without end. Only for pure questions: an answer must depend on the key alone.
export class BoundedMemo<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly limit: number) {}

  /** The remembered answer for `key`, else `compute()`'s, remembered. */
  get(key: K, compute: () => V): V {
    const known = this.map.get(key);
    if (known !== undefined || this.map.has(key)) return known as V;
    if (this.map.size >= this.limit) this.map.clear();
    const value = compute();
    this.map.set(key, value);
    return value;
  }
}

type Key = string | number | undefined;

/**
 * A BoundedMemo keyed by several parts, held as nested maps: a lookup hashes each part (names
 * sliced from the source, numbers) instead of a string joined from them, which V8 must build
 * and hash anew on every call (measured: joined keys were a fifth of the config-object pass).
 * No key of one memo may be a prefix of another (give them the same number of parts, or lead
 * with their length).
 */
export class BoundedKeyMemo<V> {
  private root = new Map<Key, unknown>();
  private entries = 0;

  constructor(private readonly limit: number) {}

  get(key: readonly Key[], compute: () => V): V {
    let map = this.root;
    const last = key.length - 1;
    for (let i = 0; i < last; i++) {
      let next = map.get(key[i]) as Map<Key, unknown> | undefined;
      if (!next) map.set(key[i], (next = new Map()));
      map = next;
    }
    const known = map.get(key[last]);
    if (known !== undefined || map.has(key[last])) return known as V;
    const value = compute();
    if (this.entries >= this.limit) {
      this.root = new Map();
      this.entries = 0;
      return this.get(key, () => value);
    }
    this.entries++;
    map.set(key[last], value);
    return value;
  }
}
