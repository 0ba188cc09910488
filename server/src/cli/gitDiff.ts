// Review mode (--diff-base): which lines are new since a git revision, from git itself.
// git runs from an argument array, never through a shell, with options that keep the user's
// git config from changing the patch format or starting other programs (external diff,
// textconv, pager, fsmonitor). Tracked files cannot add git config, so the repository's
// content never chooses what runs.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** --diff-base problems: one line, exit status 2. */
export class ReviewError extends Error {}

interface GitResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly error?: NodeJS.ErrnoException;
}
export type GitRun = (args: readonly string[], cwd: string) => GitResult;

/** Patches of a large change can be big; past this git's output is an error, not a silent cut. */
const maxGitOutput = 512 * 1024 * 1024;

export function gitRunner(env: Readonly<Record<string, string | undefined>>): GitRun {
  // English messages (we read "not a git repository"), no lock files taken while CI may run
  // other git commands, never a prompt or a pager.
  const gitEnv = { ...env, LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat' };
  return (args, cwd) => {
    const r = spawnSync('git', ['-c', 'core.quotePath=false', '-c', 'core.fsmonitor=false', ...args], {
      cwd,
      env: gitEnv,
      encoding: 'utf8',
      maxBuffer: maxGitOutput,
      shell: false,
      windowsHide: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return {
      status: r.status,
      stdout: r.stdout ?? '',
      stderr: r.stderr ?? '',
      ...(r.error ? { error: r.error as NodeJS.ErrnoException } : {}),
    };
  };
}

/** Lines (1-based, in the working tree's file) that are new since the base; 'all' for untracked files. */
type FileChange = readonly number[] | 'all';

export interface ReviewBase {
  /** The repository's top folder (real path). */
  readonly top: string;
  readonly commit: string;
  /** How the base was chosen, for the report: "HEAD~1", "merge base of HEAD and origin/main", or REV as given. */
  readonly how: string;
}

export interface GitChanges {
  readonly bases: readonly ReviewBase[];
  /** By absolute (real) path; files not here have no new line. */
  readonly files: ReadonlyMap<string, FileChange>;
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.replace(/^(fatal|error): /, '').trim())
      .find((l) => l) ?? ''
  );
}

function option(rev: string): string {
  return `--diff-base ${JSON.stringify(rev)}`;
}

/** Runs git; a missing git or a failure that is not expected is a ReviewError. */
function git(run: GitRun, rev: string, args: readonly string[], cwd: string): GitResult {
  const r = run(args, cwd);
  if (r.error) {
    if (r.error.code === 'ENOENT')
      throw new ReviewError(`${option(rev)}: git is not installed (or not on PATH); review mode needs it`);
    throw new ReviewError(
      `${option(rev)}: cannot run git: ${r.error.code === 'ENOBUFS' ? 'its output is larger than 512 MB' : r.error.message}`,
    );
  }
  return r;
}

/** The repository around `dir`: its top folder, or a ReviewError naming the path. */
function repositoryTop(run: GitRun, rev: string, dir: string, shown: string): string {
  const r = git(run, rev, ['rev-parse', '--show-toplevel'], dir);
  if (r.status !== 0) {
    if (/not a git repository/i.test(r.stderr))
      throw new ReviewError(`${option(rev)}: ${shown} is not in a git repository`);
    throw new ReviewError(`${option(rev)}: git cannot use the repository of ${shown}: ${firstLine(r.stderr)}`);
  }
  const top = r.stdout.replace(/\n$/, '');
  if (!top) throw new ReviewError(`${option(rev)}: ${shown} is not in a git work tree`);
  return fs.realpathSync(top);
}

function isShallow(run: GitRun, rev: string, top: string): boolean {
  return git(run, rev, ['rev-parse', '--is-shallow-repository'], top).stdout.trim() === 'true';
}

function verifyCommit(run: GitRun, rev: string, spec: string, top: string): string | undefined {
  const r = git(run, rev, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${spec}^{commit}`], top);
  return r.status === 0 ? r.stdout.trim() : undefined;
}

const fetchMore =
  'fetch more history (git fetch --deepen=N, or git fetch --unshallow; actions/checkout: fetch-depth: 0)';

/**
 * The base commit in one repository. `auto`: the merge base with the branch's upstream
 * (@{upstream}), else HEAD~1.
 */
function resolveBase(run: GitRun, rev: string, top: string): ReviewBase {
  if (rev !== 'auto') {
    const commit = verifyCommit(run, rev, rev, top);
    if (commit) return { top, commit, how: rev };
    const shallow = isShallow(run, rev, top) ? `; ${top} is a shallow clone: ${fetchMore}` : '';
    throw new ReviewError(`${option(rev)}: unknown revision (not a commit) in ${top}${shallow}`);
  }
  const upstream = git(run, rev, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}'], top);
  if (upstream.status === 0 && upstream.stdout.trim()) {
    const name = upstream.stdout.trim();
    const mb = git(run, rev, ['merge-base', 'HEAD', name], top);
    if (mb.status === 0 && mb.stdout.trim())
      return { top, commit: mb.stdout.trim(), how: `merge base of HEAD and ${name}` };
    const shallow = isShallow(run, rev, top) ? `; ${top} is a shallow clone: ${fetchMore}` : '';
    throw new ReviewError(`${option(rev)}: HEAD and its upstream ${name} have no merge base in ${top}${shallow}`);
  }
  const parent = verifyCommit(run, rev, 'HEAD~1', top);
  if (parent) return { top, commit: parent, how: 'HEAD~1' };
  if (isShallow(run, rev, top)) {
    throw new ReviewError(
      `${option(rev)}: no upstream branch, and HEAD~1 is not available: ${top} is a shallow clone; ${fetchMore}, or name a base: --diff-base REV`,
    );
  }
  if (!verifyCommit(run, rev, 'HEAD', top))
    throw new ReviewError(`${option(rev)}: ${top} has no commit yet; name a base: --diff-base REV`);
  throw new ReviewError(
    `${option(rev)}: no upstream branch, and HEAD has no parent (it is the first commit); name a base: --diff-base REV`,
  );
}

/** `:(literal)` so that `*`, `?` and `[` in file names are not globs. */
function pathspec(top: string, abs: string): string {
  const rel = path.relative(top, abs).split(path.sep).join('/');
  return `:(literal)${rel || '.'}`;
}

/** The paths named on the command line that exist, each as (real path, folder to run git in). */
function existing(paths: readonly string[], cwd: string): { abs: string; dir: string; shown: string }[] {
  const out: { abs: string; dir: string; shown: string }[] = [];
  for (const given of paths) {
    let abs: string;
    let stat: fs.Stats;
    try {
      abs = fs.realpathSync(path.resolve(cwd, given));
      stat = fs.statSync(abs);
    } catch {
      continue; // discovery reports a missing path with its own message
    }
    out.push({ abs, dir: stat.isDirectory() ? abs : path.dirname(abs), shown: given });
  }
  return out;
}

/**
 * New lines per file since `rev` for the files under `paths`: `git diff REV` against the
 * working tree (uncommitted changes count), with rename detection so that a moved file's
 * unchanged lines are not new; untracked, not ignored files are wholly new.
 */
export function gitChanges(rev: string, paths: readonly string[], cwd: string, run: GitRun): GitChanges {
  if (rev.startsWith('-'))
    throw new ReviewError(`${option(rev)}: expected a revision such as "origin/main", "HEAD~1" or "auto"`);
  const byTop = new Map<string, string[]>();
  const topOf = new Map<string, string>(); // one git call per folder, however many files are named in it
  for (const p of existing(paths, cwd)) {
    const top = topOf.get(p.dir) ?? repositoryTop(run, rev, p.dir, p.shown);
    topOf.set(p.dir, top);
    byTop.set(top, [...(byTop.get(top) ?? []), pathspec(top, p.abs)]);
  }
  const bases: ReviewBase[] = [];
  const files = new Map<string, FileChange>();
  for (const [top, specs] of byTop) {
    const base = resolveBase(run, rev, top);
    bases.push(base);
    const diff = git(
      run,
      rev,
      [
        'diff',
        '--no-ext-diff',
        '--no-textconv',
        '--no-color',
        '--no-relative',
        '--find-renames',
        '--unified=0',
        '--inter-hunk-context=0',
        '--src-prefix=a/',
        '--dst-prefix=b/',
        '--submodule=short',
        '--diff-filter=d',
        // The whole repository, not the PATHs: a file moved in from elsewhere is a rename only
        // when git sees its old path too.
        base.commit,
      ],
      top,
    );
    if (diff.status !== 0)
      throw new ReviewError(`${option(rev)}: git diff failed in ${top}: ${firstLine(diff.stderr)}`);
    for (const [rel, lines] of parseUnifiedDiff(diff.stdout)) files.set(path.join(top, ...rel.split('/')), lines);
    const untracked = git(run, rev, ['ls-files', '-z', '--others', '--exclude-standard', '--', ...specs], top);
    if (untracked.status !== 0)
      throw new ReviewError(`${option(rev)}: git ls-files failed in ${top}: ${firstLine(untracked.stderr)}`);
    for (const rel of untracked.stdout.split('\0')) if (rel) files.set(path.join(top, ...rel.split('/')), 'all');
  }
  return { bases, files };
}

/** A C-quoted git path ("a\tb\303\251"): escapes and octal bytes, decoded as UTF-8. */
export function unquoteGitPath(quoted: string): string {
  const bytes: number[] = [];
  const simple: Readonly<Record<string, number>> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  const body = quoted.slice(1, quoted.endsWith('"') ? -1 : undefined);
  for (let i = 0; i < body.length;) {
    const c = String.fromCodePoint(body.codePointAt(i) ?? 0);
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      i += c.length;
      continue;
    }
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1, i + 4));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 4;
    } else {
      const next = body[i + 1] ?? '';
      bytes.push(simple[next] ?? next.charCodeAt(0));
      i += 2;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The new side's path of a `+++ ` line, without `b/`; undefined for /dev/null. */
function newSidePath(rest: string): string | undefined {
  // Unusual names are C-quoted; a name with a space gets a trailing TAB (a TAB in a name is
  // always quoted, so the trailing one is never part of the name).
  const raw = rest.replace(/\t$/, '');
  const name = raw.startsWith('"') ? unquoteGitPath(raw) : raw;
  if (name === '/dev/null' || !name.startsWith('b/')) return undefined;
  return name.slice(2);
}

/**
 * New-side line numbers (1-based) with `+` per file of a `git diff --unified=0` patch.
 * Hunk bodies are consumed by their counts, so a content line that looks like a header is
 * not one. Binary files, pure renames and mode changes have no hunk, so no new line.
 */
export function parseUnifiedDiff(patch: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  let current: number[] | undefined;
  let oldLeft = 0;
  let newLeft = 0;
  let newLine = 0;
  const lines = patch.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    if (oldLeft > 0 || newLeft > 0) {
      const c = line[0];
      if (c === '+') {
        current?.push(newLine++);
        newLeft--;
      } else if (c === '-') {
        oldLeft--;
      } else if (c === ' ') {
        newLine++;
        newLeft--;
        oldLeft--;
      } else if (c !== '\\') {
        throw new ReviewError(
          `cannot read git's diff: unexpected line in a hunk: ${JSON.stringify(line.slice(0, 60))}`,
        );
      }
      continue;
    }
    if (line.startsWith('diff --git ')) {
      current = undefined;
    } else if (line.startsWith('+++ ')) {
      const name = newSidePath(line.slice(4));
      current = undefined;
      if (name !== undefined) {
        current = out.get(name) ?? [];
        out.set(name, current);
      }
    } else {
      const hunk = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (hunk) {
        oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
        newLine = Number(hunk[2]);
        newLeft = hunk[3] === undefined ? 1 : Number(hunk[3]);
      }
    }
  }
  return out;
}
