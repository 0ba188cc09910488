// Answers to questions that may ask themselves again (a name assigned from itself, names that
// hold each other): asked while it is being answered, a question gets a fixed answer and counts
// as cut short. An answer worked out without any cut is kept: it is what the tree says, whoever
// asked first. One that met a cut is not: it depends on what was being worked out around it.

/** Cuts counted across the memos and guards of one owner: a cut in any of them taints what is being worked out. */
export interface CutCount {
  count: number;
}

export class CycleMemo<K, V> {
  private readonly known = new Map<K, V>();
  private readonly busy = new Set<K>();

  constructor(private readonly cuts: CutCount) {}

  get(key: K, onCycle: V, compute: () => V): V {
    if (this.known.has(key)) return this.known.get(key) as V;
    if (this.busy.has(key)) {
      this.cuts.count++;
      return onCycle;
    }
    const before = this.cuts.count;
    this.busy.add(key);
    try {
      const value = compute();
      if (this.cuts.count === before) this.known.set(key, value);
      return value;
    } finally {
      this.busy.delete(key);
    }
  }
}
