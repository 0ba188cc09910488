// Which files `check` looks at: *.py under the given folders, minus what .gitignore, --exclude
// and the config's `exclude` say. Symlinks inside folders are never followed: one to a file
// or folder in the tree would be read twice, one outside leaves the tree, and loops are
// impossible. Paths named on the command line are taken as given (links resolved).
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { excludedByConfig, PatternSet } from '../config/excludePatterns';
import type { ExcludePattern, PolicyResolver, ResolvedPolicy } from '../config/loadConfig';
import { skippedFolders } from '../config/skippedFolders';

export class PathError extends Error {}

interface GitignoreLevel {
  readonly base: string;
  readonly rules: Ignore;
}

export interface DiscoverOptions {
  readonly cwd: string;
  /** --exclude globs, relative to cwd. */
  readonly exclude: readonly string[];
  /** For each folder's config `exclude` globs (relative to the config's folder). */
  readonly resolver: PolicyResolver;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

class FileDiscovery {
  private readonly cliExclude: PatternSet;
  /** Per config file with an `exclude`: its patterns, as consulted by this run, and its policy. */
  private readonly configExcludes = new Map<string, PatternSet>();
  private readonly configPolicies = new Map<string, ResolvedPolicy>();
  private readonly gitignores = new Map<string, Ignore | null>();
  private readonly seen = new Set<string>();
  readonly files: string[] = [];

  constructor(private readonly options: DiscoverOptions) {
    this.cliExclude = new PatternSet(options.exclude);
  }

  /** Patterns consulted by this run that excluded nothing (they may still match a path it did not walk). */
  unmatchedExcludes(): ExcludePattern[] {
    const unmatched = (set: PatternSet, p: string): boolean => !set.matched.has(p);
    return [
      ...[...this.configExcludes].flatMap(([file, set]) =>
        (this.configPolicies.get(file)?.excludePatterns ?? []).filter((p) => unmatched(set, p.pattern)),
      ),
      ...this.options.exclude
        .filter((p) => unmatched(this.cliExclude, p))
        .map((pattern) => ({ pattern, base: this.options.cwd, origin: { kind: 'flag', flag: '--exclude' } as const })),
    ];
  }

  /** Adds a path named on the command line; throws PathError when it does not exist. */
  add(given: string): void {
    const abs = path.resolve(this.options.cwd, given);
    let real: string;
    let stat: fs.Stats;
    try {
      real = fs.realpathSync(abs);
      stat = fs.statSync(real);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const reason =
        code === 'ELOOP'
          ? 'symbolic link loop'
          : code === 'ENOENT'
            ? 'no such file or directory'
            : `cannot access (${code ?? String(e)})`;
      throw new PathError(`${given}: ${reason}`);
    }
    if (this.isExcluded(real, stat.isDirectory())) return;
    if (stat.isDirectory()) this.walk(real, this.gitignoreChain(real));
    else this.addFile(real);
  }

  private addFile(file: string): void {
    if (this.seen.has(file)) return;
    this.seen.add(file);
    this.files.push(file);
  }

  private walk(dir: string, levels: readonly GitignoreLevel[]): void {
    const own = this.gitignoreAt(dir);
    const chain = own ? [...levels, { base: dir, rules: own }] : levels;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // An unreadable folder holds nothing we can check.
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (skippedFolders.has(entry.name) || isGitignored(chain, full, true) || this.isExcluded(full, true)) continue;
        this.walk(full, chain);
      } else if (entry.isFile() && entry.name.endsWith('.py')) {
        if (isGitignored(chain, full, false) || this.isExcluded(full, false)) continue;
        this.addFile(full);
      }
    }
  }

  private isExcluded(abs: string, isDir: boolean): boolean {
    const rel = path.relative(this.options.cwd, abs);
    if (rel && !rel.startsWith('..') && this.cliExclude.test(toPosix(rel))) return true;
    const resolved = this.options.resolver.resolve(isDir ? path.join(abs, '__init__.py') : abs);
    if (resolved.configFile && !this.configPolicies.has(resolved.configFile))
      this.configPolicies.set(resolved.configFile, resolved);
    return excludedByConfig(resolved, abs, this.configExcludes);
  }

  private gitignoreAt(dir: string): Ignore | undefined {
    let rules = this.gitignores.get(dir);
    if (rules === undefined) {
      rules = null;
      try {
        rules = ignore().add(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8'));
      } catch {
        // No .gitignore here.
      }
      this.gitignores.set(dir, rules);
    }
    return rules ?? undefined;
  }

  /** The .gitignore files above a walk root, up to the repository's top (the folder with .git). */
  private gitignoreChain(root: string): GitignoreLevel[] {
    const above: string[] = [];
    let top: string | undefined;
    if (fs.existsSync(path.join(root, '.git'))) return [];
    for (let d = path.dirname(root); ; d = path.dirname(d)) {
      above.unshift(d);
      if (fs.existsSync(path.join(d, '.git'))) {
        top = d;
        break;
      }
      if (path.dirname(d) === d) break;
    }
    if (top === undefined) return [];
    return above.flatMap((d) => {
      const rules = this.gitignoreAt(d);
      return rules ? [{ base: d, rules }] : [];
    });
  }
}

/** Git's rule: the deepest .gitignore that has an opinion decides. */
function isGitignored(levels: readonly GitignoreLevel[], abs: string, isDir: boolean): boolean {
  let ignored = false;
  for (const level of levels) {
    const rel = toPosix(path.relative(level.base, abs)) + (isDir ? '/' : '');
    const r = level.rules.test(rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

/** Finds the files to check under `paths`, in a stable order. */
export function discoverFiles(paths: readonly string[], options: DiscoverOptions): string[] {
  return discover(paths, options).files;
}

/** The files, and the exclude patterns this walk consulted that excluded nothing. */
export function discover(
  paths: readonly string[],
  options: DiscoverOptions,
): { files: string[]; unmatchedExcludes: ExcludePattern[] } {
  const discovery = new FileDiscovery(options);
  for (const p of paths) discovery.add(p);
  return { files: discovery.files, unmatchedExcludes: discovery.unmatchedExcludes() };
}
