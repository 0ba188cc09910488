// Background walk of the workspace folders for .py files, honouring .gitignore files (each
// relative to its own folder), skipping tool/VCS directories and huge files. Yields to the
// event loop between batches so requests keep being answered while the index builds.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { skippedFolders } from '../config/skippedFolders';

/** Files larger than this are generated or vendored; not worth indexing. */
const maxIndexedFileBytes = 2 * 1024 * 1024;

interface Matcher {
  readonly base: string;
  readonly rules: Ignore;
}

function readGitignore(dir: string): Matcher | undefined {
  try {
    const text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
    return { base: dir, rules: ignore().add(text) };
  } catch {
    return undefined;
  }
}

function ignored(matchers: readonly Matcher[], file: string, isDir: boolean): boolean {
  for (const m of matchers) {
    const rel = path.relative(m.base, file).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    if (m.rules.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

/** Lists the .py files to index under `roots`, breadth-first. */
export async function findPythonFiles(roots: readonly string[], isCancelled: () => boolean): Promise<string[]> {
  const found: string[] = [];
  const queue: { dir: string; matchers: readonly Matcher[] }[] = roots.map((r) => ({ dir: r, matchers: [] }));
  let visited = 0;
  while (queue.length && !isCancelled()) {
    const { dir, matchers: inherited } = queue.shift() as { dir: string; matchers: readonly Matcher[] };
    const own = readGitignore(dir);
    const matchers = own ? [...inherited, own] : inherited;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!skippedFolders.has(e.name) && !ignored(matchers, full, true)) queue.push({ dir: full, matchers });
      } else if (e.isFile() && e.name.endsWith('.py') && !ignored(matchers, full, false)) {
        found.push(full);
      }
    }
    if (++visited % 50 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return found;
}

/** Reads a file for the index, or undefined when it is missing, huge or not text. */
export async function readIndexable(file: string): Promise<string | undefined> {
  try {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile() || stat.size > maxIndexedFileBytes) return undefined;
    const text = await fs.promises.readFile(file, 'utf8');
    // NUL bytes: a binary file with a .py name; nothing to learn from it.
    return text.includes('\0') ? undefined : text;
  } catch {
    return undefined;
  }
}
