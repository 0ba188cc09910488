// `# libvirt-gate: ignore[CODE,...]` on a finding's line or alone on the line before it,
// `# libvirt-gate: ignore` (every code) and `# libvirt-gate: ignore-file[...]`.
import type { SyntaxTree } from '../syntax/index';
import type { Finding } from '../types';

const directive = /#\s*libvirt-gate:\s*(ignore-file|ignore)\b(?:\[([^\]]*)\])?/;

export interface Suppressions {
  readonly file: ReadonlySet<string> | 'all' | undefined;
  readonly lines: ReadonlyMap<number, ReadonlySet<string> | 'all'>;
}

function codesOf(list: string | undefined): Set<string> | 'all' {
  if (list === undefined) return 'all';
  return new Set(
    list
      .split(',')
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean),
  );
}

export function readSuppressions(t: SyntaxTree): Suppressions {
  let file: Set<string> | 'all' | undefined;
  const lines = new Map<number, Set<string> | 'all'>();
  const add = (line: number, codes: Set<string> | 'all') => {
    const old = lines.get(line);
    if (old === 'all' || codes === 'all') lines.set(line, 'all');
    else lines.set(line, new Set([...(old ?? []), ...codes]));
  };
  // Directives are rare: find them in the text, then keep those inside a real comment.
  for (let at = t.source.indexOf('libvirt-gate:'); at >= 0; at = t.source.indexOf('libvirt-gate:', at + 1)) {
    const c = t.commentAt(at);
    if (!c) continue;
    const m = directive.exec(t.source.slice(c.start, c.end));
    if (!m) continue;
    const codes = codesOf(m[2]);
    if (m[1] === 'ignore-file') {
      file = file === 'all' || codes === 'all' ? 'all' : new Set([...(file ?? []), ...codes]);
      continue;
    }
    const line = t.lines.lineAt(c.start);
    add(line, codes);
    // A comment alone on its line covers the next line too.
    if (t.source.slice(t.lines.lineStart(line), c.start).trim() === '') add(line + 1, codes);
    at = c.end;
  }
  return { file, lines };
}

function covers(set: ReadonlySet<string> | 'all' | undefined, code: string): boolean {
  return set === 'all' || (set !== undefined && set.has(code));
}

export function applySuppressions(
  findings: readonly Finding[],
  s: Suppressions,
): { kept: Finding[]; suppressed: number } {
  const kept: Finding[] = [];
  let suppressed = 0;
  for (const f of findings) {
    if (covers(s.file, f.code) || covers(s.lines.get(f.range.start.line), f.code)) suppressed++;
    else kept.push(f);
  }
  return { kept, suppressed };
}
