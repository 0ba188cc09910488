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
