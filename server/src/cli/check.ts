// `libvirt-gate check`: files in, report out. Phase 1 parses every file once and feeds the
// workspace index; phase 2 analyzes the files that may hold libvirt use, reusing the tree.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ConfigError } from '../config/configError';
import { excludeWarnings, formatConfigWarning } from '../config/excludePatterns';
import { PolicyResolver, type ResolvedPolicy } from '../config/loadConfig';
import type { Policy } from '../config/policy';
import { loadFeatureDb } from '../data/loadFeatureDb';
import { loadXmlFeatureDb } from '../data/loadXmlFeatureDb';
import {
  analyzeDocument,
  factsStillHold,
  initParser,
  parsePython,
  ruleByCode,
  ruleEnabled,
  summaryOptionsFor,
  WorkspaceIndex,
  type Finding,
  type PathFacts,
  type SyntaxTree,
} from '../engine/api';
import type { CheckOptions } from './args';
import { discover } from './discover';
import { fixDocument, chooseFix } from './fix';
import { Progress, type CliIo } from './io';
import { buildPrefilter, configClassMention, factoryCallMention, type Prefilter } from './prefilter';
import { compareFindings, displayRel, type CheckReport, type FileNote, type ReportedFinding } from './report';
import { isNewFinding, type ReviewScope } from './review';
import { readSource, type SourceText } from './source';
import { toolVersion } from './version';
import { analyzeJob, WorkerPool, workerCount, type AnalyzeJob } from './parallel';
import { cacheSalt, ResultCache, sha256, type CacheStats } from './resultCache';

/**
 * The script worker threads start from: the bundled CLI, which is this code's own file once
 * bundled (dist/cli.js, also when bin/libvirt-gate.js requires it: the process' main script is
 * then the bin wrapper, and no worker ever started), or main.ts under tsx (the tests).
 */
function workerEntry(): string {
  if (/(^|[\\/])cli\.js$/.test(__filename)) return __filename;
  return require.main?.filename ?? process.argv[1] ?? __filename;
}

/**
 * A run whose files to analyze hold at most this many source bytes keeps their trees from
 * phase 1 for phase 2 (a pre-commit run on a few files parses each once, with a cold JIT); a
 * larger one keeps none and parses again in phase 2, warm. Keeping the first 4 MB of a large
 * run cost ~30 MB of peak RSS (a tree is ~4 bytes per source character, and what is cached
 * per tree stays with it) for a re-parse of ~65 ms: bench tree, 2026-12-05, 305–312 against
 * 276–278 MB, the times within the machine's noise.
 */
const treeBudgetBytes = 4 * 1024 * 1024;

export interface CheckedFile {
  readonly file: string;
  readonly uri: string;
  readonly source: SourceText;
  readonly policy: Policy;
  /** Text after fixes (same as source.text without --fix/--diff). */
  text: string;
  findings: readonly ReportedFinding[];
  fixesApplied: number;
  /** The version-dependent paths (only when asked for: the support matrix). */
  readonly paths: readonly PathFacts[];
}

export interface CheckRun {
  readonly report: CheckReport;
  readonly files: readonly CheckedFile[];
  readonly stats: CheckStats;
}

interface CheckStats {
  readonly files: number;
  readonly bytes: number;
  readonly analyzed: number;
  readonly prefiltered: number;
  /** Worker threads the run used (0: all on the main thread). */
  readonly workers: number;
  readonly seconds: Readonly<Record<'discover' | 'read' | 'index' | 'analyze' | 'fix', number>>;
  /** The result cache's counts, when it is on. */
  readonly cache?: CacheStats & { readonly dir: string };
}

/** The engine's own rule selection, so the CLI and the editor never disagree. */
function enabled(code: string, policy: Policy): boolean {
  const rule = ruleByCode(code);
  return rule ? ruleEnabled(rule, policy) : !policy.ignore.includes(code);
}

/** Applies the policy's select/ignore and severity overrides (the engine may have too; idempotent). */
function selectFindings(findings: readonly Finding[], policy: Policy): Finding[] {
  return findings
    .filter((f) => enabled(f.code, policy))
    .map((f) => {
      const severity = policy.severities[f.code];
      return severity && severity !== f.severity ? { ...f, severity } : f;
    });
}

function reported(file: string, cwd: string, text: string, findings: readonly Finding[]): ReportedFinding[] {
  if (findings.length === 0) return [];
  const lines = text.split('\n');
  const rel = displayRel(cwd, file);
  return findings.map((finding) => ({
    file,
    path: rel,
    finding,
    lineText: (lines[finding.range.start.line] ?? '').replace(/\r$/, ''),
  }));
}

/**
 * What a run needs of the options; `collectPaths` keeps the engine's paths (for `matrix`);
 * `format`, the report's (absent: a report without fixes, as `matrix` makes).
 */
export type CheckRunOptions = Pick<
  CheckOptions,
  'paths' | 'configFile' | 'overrides' | 'exclude' | 'fix' | 'unsafeFixes' | 'diff' | 'cacheDir'
> & { readonly collectPaths?: boolean; readonly format?: CheckOptions['format'] };

/** `review`: --diff-base; --fix and --diff then fix only findings on new lines. */
export async function runCheck(options: CheckRunOptions, io: CliIo, review?: ReviewScope): Promise<CheckRun> {
  const collectPaths = options.collectPaths === true;
  const t0 = io.now();
  const progress = new Progress(io, t0);
  const base = {
    overrides: options.overrides,
    cwd: io.cwd,
    ...(options.configFile === undefined ? {} : { configFile: options.configFile }),
  };
  const discoveryResolver = new PolicyResolver(base);
  const { files, unmatchedExcludes } = discover(options.paths, {
    cwd: io.cwd,
    exclude: options.exclude,
    resolver: discoveryResolver,
  });
  for (const probe of [...files, path.join(io.cwd, '__probe__.py')]) {
    const first = discoveryResolver.resolve(probe).errors[0];
    if (first) throw new ConfigFailure(first);
  }
  // Said first: the run goes on, and a pattern that silently matched nothing explains a surprise.
  const warnings = await excludeWarnings(unmatchedExcludes);
  for (const w of warnings) io.stderr.write(`libvirt-gate: warning: ${formatConfigWarning(w, io.cwd)}\n`);
  const tDiscover = io.now();

  await initParser();
  const db = loadFeatureDb();
  const xmlDb = loadXmlFeatureDb();
  // The index reads helpers with the policies' check and gate names (all configs together).
  const policies = new Set(files.map((f) => discoveryResolver.resolve(f).policy));
  const indexOptions = summaryOptionsFor([...policies]);
  const index = new WorkspaceIndex(policies.size ? indexOptions : {});
  const resolver = new PolicyResolver({ ...base, index });
  const prefilters = new Map<Policy, Prefilter>();
  const skipped: FileNote[] = [];
  const notes: FileNote[] = [];

  // Read every file once.
  interface Pending {
    file: string;
    uri: string;
    source: SourceText;
    analyze: boolean;
  }
  const pending: Pending[] = [];
  let bytes = 0;
  let readSeconds = 0;
  files.forEach((file) => {
    const tRead = io.now();
    const source = readSource(file);
    readSeconds += (io.now() - tRead) / 1000;
    const rel = displayRel(io.cwd, file);
    if (source.kind === 'skip') {
      skipped.push({ path: rel, reason: source.reason });
      return;
    }
    if (source.invalidUtf8) notes.push({ path: rel, reason: 'invalid UTF-8; decoded with replacement characters' });
    bytes += source.bytes;
    const discoveryPolicy = discoveryResolver.resolve(file).policy;
    let prefilter = prefilters.get(discoveryPolicy);
    if (!prefilter) prefilters.set(discoveryPolicy, (prefilter = buildPrefilter(discoveryPolicy, db, xmlDb)));
    pending.push({ file, uri: pathToFileURL(file).href, source, analyze: prefilter.mayMatter(source.text) });
  });

  // Workers start from the CLI's own entry; embedded (tests, other hosts) it runs inline.
  const workers = /(^|[\\/])(cli\.js|main\.ts)$/.test(workerEntry()) ? workerCount(pending.length, bytes, io.env) : 0;
  const pool = workers ? new WorkerPool(workers, workerEntry(), policies.size ? indexOptions : {}) : undefined;
  // The cache keeps findings, not paths: a matrix run analyzes every file.
  const cache =
    options.cacheDir === undefined || collectPaths
      ? undefined
      : new ResultCache(path.resolve(io.cwd, options.cacheDir), cacheSalt(toolVersion, workerEntry()));
  // Fixes are built only when something reads them: the JSON and SARIF reports list them,
  // --fix and --diff apply them, and the result cache keeps findings for any later run.
  const withFixes =
    options.fix || options.diff || options.format === 'json' || options.format === 'sarif' || cache !== undefined;
  const optionsKey = JSON.stringify(index.options);
  const hashes = new Map(cache ? pending.map((p) => [p.uri, sha256(p.source.text)]) : []);
  const findingsByUri = new Map<string, readonly Finding[]>();
  const pathsByUri = new Map<string, readonly PathFacts[]>();
  /** What the analyses note about files (syntax errors, parts not analyzed). */
  const notesByUri = new Map<string, readonly string[]>();
  /**
   * Once the index is complete: a file naming a config class of the workspace may write XML
   * through it, and one calling an element factory of the workspace through that.
   */
  const admitConfigClassUsers = (): void => {
    const names = index.xmlConfigClassNames();
    const mentions = configClassMention(names);
    const calls = factoryCallMention(index.elementFactoryNames());
    if (names.length || index.elementFactoryNames().length)
      for (const p of pending) p.analyze ||= mentions(p.source.text) || calls(p.source.text);
  };
  let tIndex: number;
  try {
    // Phase 1: every file's summary into the index (from the cache when its text is unchanged).
    const toSummarize = pending.filter((p) => {
      const cached = cache?.summary(p.uri, hashes.get(p.uri) ?? '', optionsKey);
      if (cached) index.setSummary(cached);
      return !cached;
    });
    // Inline, a small run parses each file once for both phases.
    const keepTrees = toSummarize.reduce((n, p) => n + (p.analyze ? p.source.bytes : 0), 0) <= treeBudgetBytes;
    const trees = new Map<string, SyntaxTree>();
    const summaries = pool
      ? await pool.summarize(
          toSummarize.map((p) => ({ uri: p.uri, text: p.source.text })),
          (n) => progress.update('indexing', n, toSummarize.length),
        )
      : toSummarize.map((p, i) => {
          progress.update('indexing', i, toSummarize.length);
          // Parsed here only to keep the tree: a file that names nothing relevant is summarized
          // from its tokens (summarizeFile), others are parsed there.
          const tree = keepTrees && p.analyze ? parsePython(p.source.text) : undefined;
          if (tree) trees.set(p.uri, tree);
          return index.summaryFor(p.uri, p.source.text, tree);
        });
    for (const summary of summaries) {
      index.setSummary(summary);
      cache?.storeSummary(summary.uri, hashes.get(summary.uri) ?? '', optionsKey, summary);
    }
    admitConfigClassUsers();
    tIndex = io.now();

    // Phase 2: analyze the files that may matter (from the cache when nothing it read changed).
    const jobs: AnalyzeJob[] = [];
    const policyKeys = new Map<string, string>();
    for (const p of pending) {
      if (!p.analyze) continue;
      const policy = resolver.resolve(p.file).policy;
      const policyKey = cache
        ? sha256(JSON.stringify(policy, (_k, v: unknown) => (v === Infinity ? 'Infinity' : v)))
        : '';
      policyKeys.set(p.uri, policyKey);
      const cached = cache?.analysis(p.uri, hashes.get(p.uri) ?? '', policyKey, (facts) =>
        factsStillHold(index, facts),
      );
      if (cached) {
        findingsByUri.set(p.uri, cached.findings);
        if (cached.notes.length) notesByUri.set(p.uri, cached.notes);
      } else {
        const tree = trees.get(p.uri);
        jobs.push({
          uri: p.uri,
          text: p.source.text,
          policy,
          record: cache !== undefined,
          collectPaths,
          withFixes,
          ...(tree ? { tree } : {}),
        });
      }
    }
    if (pool) await pool.loadIndex(index.snapshot());
    const results = pool
      ? await pool.analyze(jobs, (n) => progress.update('checking', n, jobs.length))
      : jobs.map((job, i) => {
          progress.update('checking', i, jobs.length);
          const r = analyzeJob(job, index);
          trees.delete(job.uri);
          return r;
        });
    for (const r of results) {
      if (r.paths) pathsByUri.set(r.uri, r.paths);
      if (r.findings) {
        findingsByUri.set(r.uri, r.findings);
        if (r.notes) notesByUri.set(r.uri, r.notes);
        if (r.facts)
          cache?.storeAnalysis(
            r.uri,
            hashes.get(r.uri) ?? '',
            policyKeys.get(r.uri) ?? '',
            r.facts,
            r.findings,
            r.notes,
          );
      } else {
        notes.push({
          path: displayRel(io.cwd, fileURLToPath(r.uri)),
          reason: `internal error, file not analyzed: ${r.error ?? 'unknown'}`,
        });
      }
    }
  } finally {
    await pool?.close();
  }
  // In file order, alike from the cache and from an analysis.
  for (const p of pending)
    for (const reason of notesByUri.get(p.uri) ?? []) notes.push({ path: displayRel(io.cwd, p.file), reason });

  const checked: CheckedFile[] = [];
  let analyzed = 0;
  for (const p of pending) {
    const { policy } = resolver.resolve(p.file);
    if (p.analyze) analyzed++;
    const findings = selectFindings(findingsByUri.get(p.uri) ?? [], policy);
    checked.push({
      file: p.file,
      uri: p.uri,
      source: p.source,
      policy,
      text: p.source.text,
      findings: reported(p.file, io.cwd, p.source.text, findings),
      fixesApplied: 0,
      paths: pathsByUri.get(p.uri) ?? [],
    });
  }
  const tAnalyze = io.now();

  if (options.fix || options.diff) {
    for (const c of checked) {
      const only = review
        ? (text: string): ((f: Finding) => boolean) => {
            const lines = review.newLines(c.file, c.source.text, text);
            return (f) => isNewFinding(f, lines);
          }
        : undefined;
      const fixable = only?.(c.text);
      if (!c.findings.some((f) => chooseFix(f.finding, options.unsafeFixes) && (!fixable || fixable(f.finding))))
        continue;
      const rel = displayRel(io.cwd, c.file);
      if (c.source.invalidUtf8) {
        notes.push({ path: rel, reason: 'not fixed: the file is not valid UTF-8' });
        continue;
      }
      const analyze = (text: string): Finding[] => {
        index.setFile(c.uri, text);
        return selectFindings(
          analyzeDocument({ uri: c.uri, text }, index, c.policy, { hovers: false, paths: false }).findings,
          c.policy,
        );
      };
      const result = fixDocument(
        c.text,
        c.findings.map((f) => f.finding),
        analyze,
        { unsafe: options.unsafeFixes, eol: c.source.eol, ...(only ? { only } : {}) },
      );
      c.text = result.text;
      c.fixesApplied = result.applied;
      c.findings = reported(c.file, io.cwd, result.text, result.findings);
    }
  }
  const tFix = io.now();
  progress.clear();

  const findings = checked.flatMap((c) => c.findings).sort(compareFindings);
  const fixedFiles = checked.filter((c) => c.fixesApplied > 0);
  const firstPolicy: ResolvedPolicy = resolver.resolve(files[0] ?? path.join(io.cwd, '__probe__.py'));
  const report: CheckReport = {
    toolVersion,
    cwd: io.cwd,
    policy: firstPolicy,
    findings,
    filesChecked: checked.length,
    skipped,
    notes,
    warnings,
    baselined: 0,
    ...(options.fix || options.diff
      ? { fixes: { applied: fixedFiles.reduce((n, c) => n + c.fixesApplied, 0), files: fixedFiles.length } }
      : {}),
    seconds: (io.now() - t0) / 1000,
  };
  const sec = (a: number, b: number): number => (b - a) / 1000;
  return {
    report,
    files: checked,
    stats: {
      files: checked.length,
      bytes,
      analyzed,
      prefiltered: checked.length - analyzed,
      workers,
      ...(cache ? { cache: { ...cache.stats, dir: cache.dir } } : {}),
      seconds: {
        discover: sec(t0, tDiscover),
        read: readSeconds,
        index: sec(tDiscover, tIndex) - readSeconds,
        analyze: sec(tIndex, tAnalyze),
        fix: sec(tAnalyze, tFix),
      },
    },
  };
}

/** A config error that stops the run (exit status 2). */
export class ConfigFailure extends Error {
  constructor(readonly error: ConfigError) {
    super(error.message);
  }
}
