// A unified diff of two versions of a file, for --diff. Myers' O(ND) algorithm on lines,
// after trimming the common head and tail: fixes are local, so D stays small.
type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string };

function splitLines(text: string): { lines: string[]; finalNewline: boolean } {
  const lines = text.split('\n');
  const finalNewline = lines.at(-1) === '';
  if (finalNewline) lines.pop();
  return { lines, finalNewline };
}

/** Shortest edit script between a and b (Myers 1986, with a saved frontier per step). */
function myers(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk back through the saved frontiers.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const prev = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && prev[offset + k - 1] < prev[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = prev[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', line: a[--x] });
      y--;
    }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: '+', line: b[--y] });
      else ops.push({ kind: '-', line: a[--x] });
    }
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: ' ', line: a[--x] });
    y--;
  }
  return ops.reverse();
}

/**
 * For each line of `newText`, the index of the line of `oldText` it is (an unchanged line),
 * or undefined for a line that is not in `oldText` (inserted or changed). Review mode uses it
 * to carry "new since the base" through --fix's edits.
 */
export function newToOldLines(oldText: string, newText: string): (number | undefined)[] {
  const a = oldText.split('\n');
  const b = newText.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const out: (number | undefined)[] = [];
  for (let i = 0; i < head; i++) out.push(i);
  let x = head;
  for (const op of myers(a.slice(head, a.length - tail), b.slice(head, b.length - tail))) {
    if (op.kind === ' ') out.push(x++);
    else if (op.kind === '+') out.push(undefined);
    else x++;
  }
  for (let i = a.length - tail; i < a.length; i++) out.push(i);
  return out;
}

export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3): string {
  if (oldText === newText) return '';
  const a = splitLines(oldText);
  const b = splitLines(newText);
  // A changed final newline shows as a change of the last line, marked as git does.
  const aLines = a.lines.map((l, i) =>
    i === a.lines.length - 1 && !a.finalNewline ? `${l}\n\\ No newline at end of file` : l,
  );
  const bLines = b.lines.map((l, i) =>
    i === b.lines.length - 1 && !b.finalNewline ? `${l}\n\\ No newline at end of file` : l,
  );
  let head = 0;
  while (head < aLines.length && head < bLines.length && aLines[head] === bLines[head]) head++;
  let tail = 0;
  while (
    tail < aLines.length - head &&
    tail < bLines.length - head &&
    aLines[aLines.length - 1 - tail] === bLines[bLines.length - 1 - tail]
  )
    tail++;
  const ops: Op[] = [
    ...aLines.slice(0, head).map((line) => ({ kind: ' ' as const, line })),
    ...myers(aLines.slice(head, aLines.length - tail), bLines.slice(head, bLines.length - tail)),
    ...aLines.slice(aLines.length - tail).map((line) => ({ kind: ' ' as const, line })),
  ];
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  let i = 0;
  let oldLine = 1;
  let newLine = 1;
  const advance = (op: Op): void => {
    if (op.kind !== '+') oldLine++;
    if (op.kind !== '-') newLine++;
  };
  while (i < ops.length) {
    if (ops[i].kind === ' ') {
      advance(ops[i++]);
      continue;
    }
    // A hunk: up to `context` lines before, changes, and merge gaps of at most 2 * context.
    const start = Math.max(0, i - context);
    for (let j = i - 1; j >= start; j--) {
      oldLine--;
      newLine--;
    }
    let end = i;
    for (;;) {
      while (end < ops.length && ops[end].kind !== ' ') end++;
      let gap = end;
      while (gap < ops.length && ops[gap].kind === ' ') gap++;
      if (gap < ops.length && gap - end <= 2 * context) end = gap;
      else {
        end = Math.min(ops.length, end + context);
        break;
      }
    }
    const hunk = ops.slice(start, end);
    const oldCount = hunk.filter((o) => o.kind !== '+').length;
    const newCount = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${oldCount ? oldLine : oldLine - 1},${oldCount} +${newCount ? newLine : newLine - 1},${newCount} @@`);
    for (const op of hunk) {
      out.push(`${op.kind}${op.line}`);
      advance(op);
    }
    i = end;
  }
  return `${out.join('\n')}\n`;
}
