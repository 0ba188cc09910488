// How a file binds `CONF` at module level, read from its lines: `import nova.conf` with
// `CONF = nova.conf.CONF`, `from oslo_config import cfg` with `CONF = cfg.CONF`, or
// `from nova.conf import CONF`. A gate fix copies the workspace's usual binding into a file
// that lacks one. Relative imports are not copied (they mean something else elsewhere).

export interface ConfBinding {
  /** The import statement, normalized to one line: `import nova.conf`. */
  readonly importLine: string;
  /** The module-level assignment, when the import does not bind CONF itself: `CONF = nova.conf.CONF`. */
  readonly assignment?: string;
}

const name = '[A-Za-z_]\\w*';
const dotted = `${name}(?:\\.${name})*`;
const tail = '[ \\t]*(?:#.*)?$';
const assignmentLine = new RegExp(`^CONF[ \\t]*=[ \\t]*(${dotted}\\.CONF)${tail}`, 'm');
const importLine = new RegExp(`^import[ \\t]+(${dotted})(?:[ \\t]+as[ \\t]+(${name}))?${tail}`, 'gm');
const fromLine = new RegExp(`^from[ \\t]+(${dotted})[ \\t]+import[ \\t]+([^()\\\\#\\r\\n]+?)${tail}`, 'gm');

/** `a, b as c` → [[a, a], [b, c]] (imported name, local name). */
function importedNames(list: string): [string, string][] {
  const out: [string, string][] = [];
  for (const part of list.split(',')) {
    const m = new RegExp(`^\\s*(${name})(?:\\s+as\\s+(${name}))?\\s*$`).exec(part);
    if (!m?.[1]) return [];
    out.push([m[1], m[2] ?? m[1]]);
  }
  return out;
}

/** The import that binds `local`, normalized: `import a.b`, `import a.b as x`, `from m import n [as x]`. */
function importBinding(text: string, local: string): string | undefined {
  for (const m of text.matchAll(importLine)) {
    const module = m[1] ?? '';
    const alias = m[2];
    if (alias === local) return `import ${module} as ${alias}`;
    if (!alias && module.split('.')[0] === local) return `import ${module}`;
  }
  for (const m of text.matchAll(fromLine)) {
    for (const [imported, bound] of importedNames(m[2] ?? ''))
      if (bound === local) return `from ${m[1]} import ${imported === bound ? imported : `${imported} as ${bound}`}`;
  }
  return undefined;
}

export function readConfBinding(text: string): ConfBinding | undefined {
  if (!text.includes('CONF')) return undefined;
  const assigned = assignmentLine.exec(text)?.[1];
  if (assigned) {
    const root = assigned.split('.')[0] ?? '';
    const line = importBinding(text, root);
    if (line) return { importLine: line, assignment: `CONF = ${assigned}` };
    return undefined;
  }
  const direct = importBinding(text, 'CONF');
  return direct?.startsWith('from ') ? { importLine: direct } : undefined;
}
