// `libvirt-gate check`: files in, report out. Phase 1 parses every file once and feeds the
// workspace index; phase 2 analyzes the files that may hold libvirt use, reusing the tree.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ConfigError } from '../config/configError';
import { PolicyResolver, type ResolvedPolicy } from '../config/loadConfig';
import type { Policy } from '../config/policy';
import { loadFeatureDb } from '../data/loadFeatureDb';
import { loadXmlFeatureDb } from '../data/loadXmlFeatureDb';
import {
  analyzeDocument,
  initParser,
  parsePython,
  ruleByCode,
  ruleEnabled,
  WorkspaceIndex,
  type Finding,
  type SyntaxTree,
} from '../engine/api';
import type { CheckOptions } from './args';
import { discoverFiles } from './discover';
import { fixDocument, chooseFix } from './fix';
import { Progress, type CliIo } from './io';
import { buildPrefilter, mentionsConfigClass, type Prefilter } from './prefilter';
import { compareFindings, displayRel, type CheckReport, type FileNote, type ReportedFinding } from './report';
import { isNewFinding, type ReviewScope } from './review';
import { readSource, type SourceText } from './source';
import { toolVersion } from './version';
import { WorkerPool, workerCount } from './parallel';

/** The script this process runs (dist/cli.js, or main.ts under tsx): workers start from it too. */
function workerEntry(): string {
  return require.main?.filename ?? process.argv[1] ?? __filename;
}

/**
 * Source bytes whose trees phase 1 keeps for phase 2; beyond it phase 2 re-parses. A tree
 * takes ~35× its source in wasm memory, which never shrinks: keeping all trees of a 25 MB
 * tree took 1 GB and was slower (measured), so only a few MB are kept.
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
  readonly seconds: Readonly<Record<'discover' | 'read' | 'index' | 'analyze' | 'fix', number>>;
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

/** `review`: --diff-base; --fix and --diff then fix only findings on new lines. */
export async function runCheck(options: CheckOptions, io: CliIo, review?: ReviewScope): Promise<CheckRun> {
  const t0 = io.now();
  const progress = new Progress(io, t0);
  const base = {
    overrides: options.overrides,
    cwd: io.cwd,
    ...(options.configFile === undefined ? {} : { configFile: options.configFile }),
  };
  const discoveryResolver = new PolicyResolver(base);
  const files = discoverFiles(options.paths, { cwd: io.cwd, exclude: options.exclude, resolver: discoveryResolver });
  for (const probe of [...files, path.join(io.cwd, '__probe__.py')]) {
    const first = discoveryResolver.resolve(probe).errors[0];
    if (first) throw new ConfigFailure(first);
  }
  const tDiscover = io.now();

  await initParser();
  const db = loadFeatureDb();
  const xmlDb = loadXmlFeatureDb();
  // The index reads helpers with the policies' check and gate names (all configs together).
  const policies = new Set(files.map((f) => discoveryResolver.resolve(f).policy));
  const indexOptions = {
    versionChecks: [...new Set([...policies].flatMap((p) => p.versionChecks))],
    gates: [...new Set([...policies].flatMap((p) => p.gates))],
  };
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
    tree?: SyntaxTree;
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
  const findingsByUri = new Map<string, readonly Finding[]>();
  /** Once the index is complete: a file naming a config class of the workspace may write XML through it. */
  const admitConfigClassUsers = (): void => {
    const names = index.xmlConfigClassNames();
    if (names.length) for (const p of pending) p.analyze ||= mentionsConfigClass(p.source.text, names);
  };
  let tIndex: number;
  try {
    if (pool) {
      // Phase 1 and 2 on all cores; trees are not kept between the phases.
      const summaries = await pool.summarize(
        pending.map((p) => ({ uri: p.uri, text: p.source.text })),
        (n) => progress.update('indexing', n, pending.length),
      );
      for (const summary of summaries) index.setSummary(summary);
      admitConfigClassUsers();
      await pool.loadIndex(index.snapshot());
      tIndex = io.now();
      const jobs = pending
        .filter((p) => p.analyze)
        .map((p) => ({ uri: p.uri, text: p.source.text, policy: resolver.resolve(p.file).policy }));
      for (const r of await pool.analyze(jobs, (n) => progress.update('checking', n, jobs.length))) {
        if (r.findings) findingsByUri.set(r.uri, r.findings);
        else
          notes.push({
            path: displayRel(io.cwd, fileURLToPath(r.uri)),
            reason: `internal error, file not analyzed: ${r.error ?? 'unknown'}`,
          });
      }
    } else {
      // One thread: parse each file once for the index, keeping a few trees for phase 2.
      let keptBytes = 0;
      pending.forEach((p, i) => {
        progress.update('indexing', i, pending.length);
        const tree = parsePython(p.source.text);
        index.setFile(p.uri, p.source.text, tree);
        if (p.analyze && keptBytes + p.source.bytes <= treeBudgetBytes) {
          keptBytes += p.source.bytes;
          p.tree = tree;
        }
      });
      admitConfigClassUsers();
      tIndex = io.now();
      pending.forEach((p, i) => {
        progress.update('checking', i, pending.length);
        if (!p.analyze) return;
        const { policy } = resolver.resolve(p.file);
        try {
          findingsByUri.set(
            p.uri,
            analyzeDocument({ uri: p.uri, text: p.source.text, ...(p.tree ? { tree: p.tree } : {}) }, index, policy)
              .findings,
          );
        } catch (e) {
          notes.push({
            path: displayRel(io.cwd, p.file),
            reason: `internal error, file not analyzed: ${(e as Error).message}`,
          });
        } finally {
          delete p.tree;
        }
      });
    }
  } finally {
    await pool?.close();
  }

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
    });
  }
  const tAnalyse = io.now();

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
        return selectFindings(analyzeDocument({ uri: c.uri, text }, index, c.policy).findings, c.policy);
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
      seconds: {
        discover: sec(t0, tDiscover),
        read: readSeconds,
        index: sec(tDiscover, tIndex) - readSeconds,
        analyze: sec(tIndex, tAnalyse),
        fix: sec(tAnalyse, tFix),
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
