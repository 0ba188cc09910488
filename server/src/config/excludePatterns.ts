// Exclude globs: how one matches a path (the CLI's discovery), and which of them match nothing
// under their folder (a warning in the CLI and a diagnostic in the editor; both use this walk,
// so they agree).
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { displayPath } from './configError';
import type { ExcludePattern } from './loadConfig';
import { skippedFolders } from './skippedFolders';

/** A glob without '/' matches a file or folder name at any depth; with '/', the relative path. */
function patternMatcher(glob: string): (relPath: string) => boolean {
  const trimmed = glob.replace(/\/$/, '');
  if (trimmed.includes('/')) return picomatch(trimmed.replace(/^\.\//, ''), { dot: true });
  return picomatch(trimmed, { dot: true, basename: true });
}

/** A list of globs relative to one folder that remembers which of them matched something. */
export class PatternSet {
  private readonly matchers: readonly (readonly [string, (relPath: string) => boolean])[];
  readonly matched = new Set<string>();

  constructor(readonly patterns: readonly string[]) {
    this.matchers = [...new Set(patterns)].map((p) => [p, patternMatcher(p)] as const);
  }

  /** Whether `relPath` ('/'-separated, relative to the folder) is excluded. */
  test(relPath: string): boolean {
    for (const [pattern, matches] of this.matchers) {
      if (matches(relPath)) {
        this.matched.add(pattern);
        return true;
      }
    }
    return false;
  }
}

/**
 * True when a config's `exclude` globs (relative to the config's folder) match `abs`, a path
 * inside that folder. `sets` keeps one PatternSet per config file.
 */
export function excludedByConfig(
  resolved: { readonly configFile?: string; readonly exclude: readonly string[] },
  abs: string,
  sets: Map<string, PatternSet>,
): boolean {
  if (!resolved.configFile || resolved.exclude.length === 0) return false;
  const relToConfig = path.relative(path.dirname(resolved.configFile), abs);
  if (!relToConfig || relToConfig.startsWith('..')) return false;
  let set = sets.get(resolved.configFile);
  if (!set) {
    set = new PatternSet(resolved.exclude);
    sets.set(resolved.configFile, set);
  }
  return set.test(relToConfig.split(path.sep).join('/'));
}

/** Entries looked at before giving up (then nothing is reported: unknown is not "matches nothing"). */
const walkLimit = 200_000;

/**
 * The patterns that match no file or folder under `base`. Every entry counts (not only
 * Python files, and gitignored ones too); links are not followed, and the folders the CLI
 * always skips (.git, node_modules, ...) are matched by name but not searched.
 */
export async function patternsMatchingNothing(base: string, patterns: readonly string[]): Promise<string[]> {
  const left = new Map([...new Set(patterns)].map((p) => [p, patternMatcher(p)] as const));
  const queue = [''];
  let seen = 0;
  for (let next = 0; next < queue.length && left.size; next++) {
    const rel = queue[next];
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(path.join(base, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (++seen > walkLimit) return [];
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      for (const [pattern, matches] of left) if (matches(child)) left.delete(pattern);
      if (entry.isDirectory() && !skippedFolders.has(entry.name)) queue.push(child);
    }
  }
  return [...left.keys()];
}

/** A problem in the config that does not stop a run. */
export interface ConfigWarning {
  /** Stable id for machines (the JSON `warnings[].id`). */
  readonly id: 'excludeMatchesNothing';
  readonly pattern: string;
  /** The folder the pattern is relative to (absolute). */
  readonly base: string;
  /** A config file (with the pattern's position) or `--exclude`. */
  readonly origin: ExcludePattern['origin'];
}

/**
 * `pyproject.toml: [tool.libvirt-gate] exclude = "tests/**" matches no file or folder under
 * /repo (patterns are relative to the config file's folder)`.
 */
export function formatConfigWarning(warning: ConfigWarning, cwd?: string): string {
  const what = `matches no file or folder under ${warning.base}`;
  const o = warning.origin;
  if (o.kind === 'file') {
    const table = o.table ? `[${o.table}] ` : '';
    return `${displayPath(o.file, cwd)}: ${table}exclude = ${JSON.stringify(warning.pattern)} ${what} (patterns are relative to the config file's folder)`;
  }
  return `--exclude ${JSON.stringify(warning.pattern)} ${what} (patterns are relative to the working folder)`;
}

/**
 * The warnings for patterns not seen to match anything (by a run's discovery, or at all):
 * each is looked for under its folder, once per folder, pattern and origin.
 */
export async function excludeWarnings(candidates: readonly ExcludePattern[]): Promise<ConfigWarning[]> {
  const unique = new Map<string, ExcludePattern>();
  for (const c of candidates) {
    const where = c.origin.kind === 'file' ? c.origin.file : c.origin.kind;
    unique.set(JSON.stringify([c.base, where, c.pattern]), c);
  }
  const byBase = new Map<string, ExcludePattern[]>();
  for (const c of unique.values()) byBase.set(c.base, [...(byBase.get(c.base) ?? []), c]);
  const warnings: ConfigWarning[] = [];
  for (const [base, list] of byBase) {
    const nothing = new Set(
      await patternsMatchingNothing(
        base,
        list.map((c) => c.pattern),
      ),
    );
    for (const c of list) {
      if (nothing.has(c.pattern))
        warnings.push({ id: 'excludeMatchesNothing', pattern: c.pattern, base, origin: c.origin });
    }
  }
  return warnings;
}
