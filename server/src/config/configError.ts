// Config errors: typed, so the CLI can print one line and the language server can place a
// diagnostic in the config file; the text always names the file, the key and the value.
import * as path from 'node:path';

export type ConfigOrigin = 'file' | 'flag' | 'settings';

export interface ConfigError {
  /** Absolute path of the config file; '<command line>' or '<settings>' for the other origins. */
  readonly file: string;
  readonly origin: ConfigOrigin;
  /** The TOML table the key sits in ('tool.libvirt-gate' in pyproject.toml), '' at top level. */
  readonly table: string;
  /** 'min-version', 'ci[2].libvirt', '--min-version'; '' when the whole file is at fault (bad TOML). */
  readonly key: string;
  /** The offending value as written (TOML/JSON text); absent for a bad TOML file or a missing key. */
  readonly value?: string;
  /** What is wrong and what is expected. */
  readonly message: string;
  /** 1-based position in the file, when known. */
  readonly line?: number;
  readonly column?: number;
}

export function isTable(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

/** A `key` for messages: bare when TOML allows it bare, quoted otherwise. */
export function keyText(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

/** Renders a value the way the user wrote it, shortened: "1.2", [1, 2], true, {a = "b"}. */
export function renderValue(value: unknown): string {
  const text = renderFull(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function renderFull(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(renderFull).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k} = ${renderFull(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/** The path as the user would type it: relative to `cwd` when inside it. */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  if (!path.isAbsolute(file)) return file;
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** One line: `pyproject.toml: [tool.libvirt-gate] min-version = "1.2": expected ...`. */
export function formatConfigError(error: ConfigError, cwd?: string): string {
  const value = error.value === undefined ? '' : error.origin === 'flag' ? ` ${error.value}` : ` = ${error.value}`;
  if (error.origin === 'flag') return `${error.key}${value}: ${error.message}`;
  const where = error.origin === 'settings' ? 'settings' : displayPath(error.file, cwd);
  if (!error.key) {
    const pos = error.line === undefined ? '' : `:${error.line}:${error.column ?? 1}`;
    return `${where}${pos}: ${error.message}`;
  }
  const table = error.table ? `[${error.table}] ` : '';
  return `${where}: ${table}${error.key}${value}: ${error.message}`;
}

/** Levenshtein distance, for "did you mean" suggestions among a handful of short keys. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

/** The closest candidate within a distance of a third of the word (at least 2), if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
