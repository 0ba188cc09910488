// The command line (check, config): arguments in, exit status out (0 clean, 1 findings, 2 usage or config
// error). Every failure is one line on stderr; no stack traces.
import * as path from 'node:path';
import { formatConfigError } from '../config/configError';
import { parseArgs, UsageError, type CheckOptions, type FailOn, type MatrixOptions } from './args';
import { WriteError, writeFileAtomic } from './atomicWrite';
import {
  applyBaseline,
  BaselineError,
  buildBaseline,
  readBaseline,
  serializeBaseline,
  type BaselineFile,
} from './baseline';
import { ConfigFailure, runCheck, type CheckRun } from './check';
import { runConfigCommand } from './configCommand';
import { unifiedDiff } from './diff';
import { PathError } from './discover';
import { gitRunner, ReviewError } from './gitDiff';
import { matrixRun, renderMatrix } from './matrix';
import { formatGithub } from './formatGithub';
import { formatJsonChunks } from './formatJson';
import { formatSarifChunks } from './formatSarif';
import { formatText } from './formatText';
import { useColor, type CliIo } from './io';
import { plural, severityRank, type CheckReport, type ReportedFinding } from './report';
import { reviewReport, ReviewScope } from './review';
import { toolVersion } from './version';

function exitStatus(findings: readonly ReportedFinding[], failOn: FailOn): 0 | 1 {
  if (failOn === 'never') return 0;
  const threshold = severityRank[failOn];
  return findings.some((f) => severityRank[f.finding.severity] >= threshold) ? 1 : 0;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const parsed = parseArgs(argv, io.env);
    if (parsed.kind === 'help') {
      io.stdout.write(parsed.text);
      return 0;
    }
    if (parsed.kind === 'version') {
      io.stdout.write(`libvirt-gate ${toolVersion}\n`);
      return 0;
    }
    if (parsed.kind === 'config') return await runConfigCommand(parsed.options, io);
    if (parsed.kind === 'matrix') return await matrix(parsed.options, io);
    return await check(parsed.options, io);
  } catch (e) {
    io.stderr.write(`libvirt-gate: ${failureLine(e, io.cwd)}\n`);
    return 2;
  }
}

function failureLine(e: unknown, cwd: string): string {
  if (e instanceof ConfigFailure) return formatConfigError(e.error, cwd);
  if (e instanceof UsageError || e instanceof PathError || e instanceof BaselineError || e instanceof ReviewError)
    return e.message;
  if (e instanceof WriteError) return `${displayPath(cwd, e.file)}: cannot write: ${e.reason} (${e.code})`;
  const err = e as NodeJS.ErrnoException;
  if (err.code && err.path) return `${path.relative(cwd, err.path) || err.path}: ${err.code}`;
  return `internal error: ${err.message ?? String(e)}`;
}

/** Relative to the working folder when inside it, else absolute (`/dev/full`, not `../../dev/full`). */
function displayPath(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

async function check(options: CheckOptions, io: CliIo): Promise<number> {
  const resolve = (p: string): string => path.resolve(io.cwd, p);
  // Read the baseline first: a bad one should fail before the long part of the run.
  const baseline: BaselineFile | undefined =
    options.baseline === undefined ? undefined : readBaseline(resolve(options.baseline), options.baseline);
  // Ask git before the long part of the run too: a bad revision fails fast.
  const review =
    options.diffBase === undefined
      ? undefined
      : ReviewScope.fromGit(options.diffBase, options.paths, io.cwd, gitRunner(io.env));
  const run = await runCheck(options, io, review);
  if (options.diff) return printDiff(run, options, io);
  if (options.fix) {
    for (const c of run.files) {
      if (c.fixesApplied > 0)
        writeFileAtomic(c.file, Buffer.from(`${c.source.hasBom ? '\uFEFF' : ''}${c.text}`, 'utf8'));
    }
  }
  let report: CheckReport = run.report;
  if (options.writeBaseline !== undefined)
    writeFileAtomic(resolve(options.writeBaseline), serializeBaseline(buildBaseline(report.findings)));
  if (review) report = reviewReport(report, run.files, review, baseline);
  else if (baseline) {
    const { findings, hidden } = applyBaseline(report.findings, baseline);
    report = { ...report, findings, baselined: hidden };
  }
  const toStdout = options.output === undefined;
  // JSON and SARIF come in chunks, each finding converted as it is written.
  const text: string | Iterable<string> =
    options.format === 'json'
      ? formatJsonChunks(report)
      : options.format === 'sarif'
        ? formatSarifChunks(report)
        : options.format === 'github'
          ? formatGithub(report)
          : formatText(report, { color: toStdout && useColor(io, io.stdout) });
  if (options.output !== undefined) writeFileAtomic(resolve(options.output), text);
  else if (typeof text === 'string') io.stdout.write(text);
  else for (const chunk of text) io.stdout.write(chunk);
  if (options.stats) io.stderr.write(statsText(run));
  return exitStatus(report.findings, options.failOn);
}

/** The support matrix: written like a report; exit 1 only with --fail-on and findings. */
async function matrix(options: MatrixOptions, io: CliIo): Promise<number> {
  const { run, matrix: m } = await matrixRun(options, io);
  const text = renderMatrix(m, options, io);
  if (options.output !== undefined) writeFileAtomic(path.resolve(io.cwd, options.output), text);
  else io.stdout.write(text);
  if (options.stats) io.stderr.write(statsText(run));
  return exitStatus(run.report.findings, options.failOn);
}

/** --diff: the fixes as a patch (`git apply`-able), nothing written; status 1 when there is one. */
function printDiff(run: CheckRun, options: CheckOptions, io: CliIo): number {
  const changed = run.files.filter((c) => c.text !== c.source.text);
  const patch = changed
    .map((c) => {
      const rel =
        run.report.findings.find((f) => f.file === c.file)?.path ??
        path.relative(io.cwd, c.file).split(path.sep).join('/');
      return unifiedDiff(c.source.text, c.text, `a/${rel}`, `b/${rel}`);
    })
    .join('');
  if (options.output !== undefined) writeFileAtomic(path.resolve(io.cwd, options.output), patch);
  else io.stdout.write(patch);
  const fixes = changed.reduce((n, c) => n + c.fixesApplied, 0);
  io.stderr.write(`would apply ${plural(fixes, 'fix', 'fixes')} in ${plural(changed.length, 'file')}\n`);
  if (options.stats) io.stderr.write(statsText(run));
  return changed.length > 0 ? 1 : 0;
}

function statsText(run: CheckRun): string {
  const s = run.stats;
  const t = s.seconds;
  const mb = (s.bytes / (1024 * 1024)).toFixed(1);
  return [
    `files: ${s.files} (${mb} MB), analyzed ${s.analyzed}, skipped by the prefilter ${s.prefiltered}, not readable ${run.report.skipped.length}`,
    `time: discover ${t.discover.toFixed(3)} s, read ${t.read.toFixed(3)} s, parse+index ${t.index.toFixed(3)} s, analyze ${t.analyze.toFixed(3)} s, fix ${t.fix.toFixed(3)} s, total ${run.report.seconds.toFixed(3)} s`,
    `peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    `worker threads: ${s.workers}`,
    ...(s.cache
      ? [
          s.cache.disabled
            ? `cache: not used (${s.cache.disabled})`
            : `cache: ${s.cache.dir}: ${s.cache.summaryHits} summaries and ${s.cache.analysisHits} analyses reused, ${s.cache.writes} entries written`,
        ]
      : []),
    '',
  ].join('\n');
}
