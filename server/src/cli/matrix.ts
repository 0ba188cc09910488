// `libvirt-gate matrix`: the same files, configs and analysis as `check` (run with the engine's
// version-dependent paths kept), rendered as the support matrix in one of its formats.
import { formatMatrixHtml } from '../matrix/matrixHtml';
import { formatMatrixJson } from '../matrix/matrixJson';
import { buildMatrix, configuredDistros, linesOf, type SupportMatrix } from '../matrix/matrixData';
import { formatMatrixMarkdown, formatMatrixText } from '../matrix/matrixText';
import type { MatrixOptions } from './args';
import { runCheck, type CheckRun } from './check';
import { useColor, type CliIo } from './io';
import { displayRel, uriToDisplayPath } from './report';
import { toolVersion } from './version';

export async function matrixRun(options: MatrixOptions, io: CliIo): Promise<{ run: CheckRun; matrix: SupportMatrix }> {
  const run = await runCheck(
    {
      paths: options.paths,
      ...(options.configFile === undefined ? {} : { configFile: options.configFile }),
      overrides: options.overrides,
      exclude: options.exclude,
      fix: false,
      unsafeFixes: false,
      diff: false,
      collectPaths: true,
    },
    io,
  );
  const matrix = buildMatrix(
    run.files.map((c) => ({
      file: displayRel(io.cwd, c.file),
      uri: c.uri,
      lineText: linesOf(c.source.text),
      policy: c.policy,
      paths: c.paths,
      findingCodes: c.findings.map((f) => f.finding.code),
    })),
    {
      distros: options.distros ?? configuredDistros(new Set(run.files.map((c) => c.policy))),
      skipped: run.report.skipped.map((s) => ({ file: s.path, reason: s.reason })),
      notes: run.report.notes.map((n) => ({ file: n.path, reason: n.reason })),
      displayUri: (uri) => uriToDisplayPath(io.cwd, uri),
    },
  );
  return { run, matrix };
}

export function renderMatrix(matrix: SupportMatrix, options: MatrixOptions, io: CliIo): string {
  switch (options.format) {
    case 'json':
      return formatMatrixJson(matrix, toolVersion);
    case 'markdown':
      return formatMatrixMarkdown(matrix);
    case 'html':
      return formatMatrixHtml(matrix, { toolVersion });
    default:
      return formatMatrixText(matrix, { color: options.output === undefined && useColor(io, io.stdout) });
  }
}
