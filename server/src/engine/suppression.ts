// `# libvirt-gate: ignore[CODE,...]` on a finding's line or alone on the line before it,
// `# libvirt-gate: ignore` (every code) and `# libvirt-gate: ignore-file[...]`.
import type { Tree } from './parser';
import type { SourceText } from './sourceText';
import type { Finding } from './types';

const directive = /#\s*libvirt-gate:\s*(ignore-file|ignore)\b(?:\[([^\]]*)\])?/;

interface Suppressions {
  readonly file: ReadonlySet<string> | 'all' | undefined;
  readonly lines: ReadonlyMap<number, ReadonlySet<string> | 'all'>;
}

function codesOf(list: string | undefined): Set<string> | 'all' {
  if (list === undefined) return 'all';
  return new Set(list.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean));
}

export function readSuppressions(tree: Tree, src: SourceText): Suppressions {
  let file: Set<string> | 'all' | undefined;
  const lines = new Map<number, Set<string> | 'all'>();
  const add = (line: number, codes: Set<string> | 'all') => {
    const old = lines.get(line);
    if (old === 'all' || codes === 'all') lines.set(line, 'all');
    else lines.set(line, new Set([...(old ?? []), ...codes]));
  };
  // Find the directives in the text first (rare), then make sure each is a real comment.
  const comments = [];
  for (let line = 0; line < src.lines.length; line++) {
    const at = src.line(line).indexOf('libvirt-gate:');
    if (at < 0) continue;
    const node = tree.rootNode.descendantForPosition({ row: line, column: at });
    if (node?.type === 'comment') comments.push(node);
  }
  for (const c of comments) {
    const m = directive.exec(c.text);
    if (!m) continue;
    const codes = codesOf(m[2]);
    if (m[1] === 'ignore-file') {
      file = file === 'all' || codes === 'all' ? 'all' : new Set([...(file ?? []), ...codes]);
      continue;
    }
    const line = c.startPosition.row;
    add(line, codes);
    // A comment alone on its line covers the next line too.
    if (src.line(line).slice(0, c.startPosition.column).trim() === '') add(line + 1, codes);
  }
  return { file, lines };
}

function covers(set: ReadonlySet<string> | 'all' | undefined, code: string): boolean {
  return set === 'all' || (set !== undefined && set.has(code));
}

export function applySuppressions(findings: readonly Finding[], s: Suppressions): { kept: Finding[]; suppressed: number } {
  const kept: Finding[] = [];
  let suppressed = 0;
  for (const f of findings) {
    if (covers(s.file, f.code) || covers(s.lines.get(f.range.start.line), f.code)) suppressed++;
    else kept.push(f);
  }
  return { kept, suppressed };
}
