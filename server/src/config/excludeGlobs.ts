// The config's `exclude` globs (and --exclude): shared by the CLI's file discovery and the
// language server's support matrix, so both leave out the same files.
import * as path from 'node:path';
import picomatch from 'picomatch';

export type PathMatcher = (relPath: string) => boolean;

/** A glob without '/' matches a file or folder name at any depth; with '/', the relative path. */
export function globMatcher(globs: readonly string[]): PathMatcher {
  if (globs.length === 0) return () => false;
  const withSlash = globs.filter((g) => g.replace(/\/$/, '').includes('/')).map((g) => g.replace(/^\.\//, ''));
  const bare = globs.filter((g) => !g.replace(/\/$/, '').includes('/')).map((g) => g.replace(/\/$/, ''));
  const full = withSlash.length
    ? picomatch(
        withSlash.map((g) => g.replace(/\/$/, '')),
        { dot: true },
      )
    : () => false;
  const base = bare.length ? picomatch(bare, { dot: true, basename: true }) : () => false;
  return (rel) => full(rel) || base(rel);
}

/**
 * True when a config's `exclude` globs (relative to the config's folder) match `abs`, a path
 * inside that folder. `matchers` caches one matcher per config file.
 */
export function excludedByConfig(
  resolved: { readonly configFile?: string; readonly exclude: readonly string[] },
  abs: string,
  matchers: Map<string, PathMatcher>,
): boolean {
  if (!resolved.configFile || resolved.exclude.length === 0) return false;
  const relToConfig = path.relative(path.dirname(resolved.configFile), abs);
  if (!relToConfig || relToConfig.startsWith('..')) return false;
  let matcher = matchers.get(resolved.configFile);
  if (!matcher) {
    matcher = globMatcher(resolved.exclude);
    matchers.set(resolved.configFile, matcher);
  }
  return matcher(relToConfig.split(path.sep).join('/'));
}
