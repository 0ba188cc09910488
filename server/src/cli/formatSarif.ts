// SARIF 2.1.0 for code-scanning upload: one rule per code, results with 1-based regions,
// line-shift-proof partialFingerprints, and fixes as artifact changes.
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { formatConfigWarning } from '../config/excludePatterns';
import { ruleDocsUrl, rules } from '../engine/api';
import type { Severity } from '../engine/api';
import {
  displayRel,
  fingerprintHash,
  fingerprintKey,
  fingerprintOf,
  uriToDisplayPath,
  fileNotices,
  type CheckReport,
} from './report';
import { jsonRange } from './formatJson';
import { lazyMap, prettyJsonChunks } from './jsonChunks';

const levelOf: Readonly<Record<Severity, Sarif.ReportingConfiguration.level>> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  hint: 'note',
};
const fingerprintName = 'libvirtGate/v1';

function region(range: Parameters<typeof jsonRange>[0]): Sarif.Region {
  const r = jsonRange(range);
  return { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn };
}

/** The log without its results, and the results (built as they are read, in order). */
function buildSarif(report: CheckReport): { log: Sarif.Log; results: Iterable<Sarif.Result> } {
  const descriptors: Sarif.ReportingDescriptor[] = rules.map((rule) => ({
    id: rule.code,
    name: rule.name,
    shortDescription: { text: rule.summary },
    helpUri: ruleDocsUrl(rule.code),
    defaultConfiguration: { level: levelOf[rule.defaultSeverity], enabled: rule.defaultEnabled },
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.code, i]));
  // Identical fingerprints (same line text twice) are told apart by their order in the file.
  const seen = new Map<string, number>();
  const results = lazyMap(report.findings, (r): Sarif.Result => {
    const f = r.finding;
    const fp = fingerprintOf(r);
    const key = fingerprintKey(fp);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    const location: Sarif.Location = {
      physicalLocation: { artifactLocation: { uri: r.path, uriBaseId: '%SRCROOT%' }, region: region(f.range) },
    };
    const result: Sarif.Result = {
      ruleId: f.code,
      level: levelOf[f.severity],
      message: { text: f.message },
      locations: [location],
      partialFingerprints: { [fingerprintName]: `${fingerprintHash(fp)}:${occurrence}` },
    };
    const index = ruleIndex.get(f.code);
    if (index !== undefined) result.ruleIndex = index;
    if (f.related.length) {
      result.relatedLocations = f.related.map((rel, id) => ({
        id,
        message: { text: rel.message },
        physicalLocation: {
          artifactLocation: { uri: uriToDisplayPath(report.cwd, rel.uri), uriBaseId: '%SRCROOT%' },
          region: region(rel.range),
        },
      }));
    }
    // A fix that refused has no edits: SARIF wants at least one replacement per change.
    const sarifFixes = f.fixes.filter((fix) => fix.edits.length || fix.otherFiles?.length);
    if (sarifFixes.length) {
      result.fixes = sarifFixes.map((fix) => ({
        description: { text: `${fix.title}${fix.safe ? '' : ' (unsafe)'}` },
        artifactChanges: [
          ...(fix.edits.length ? [{ path: r.path, edits: fix.edits }] : []),
          ...(fix.otherFiles ?? []).map((o) => ({ path: uriToDisplayPath(report.cwd, o.uri), edits: o.edits })),
        ].map((change) => ({
          artifactLocation: { uri: change.path, uriBaseId: '%SRCROOT%' },
          replacements: change.edits.map((e) => ({
            deletedRegion: region(e.range),
            insertedContent: { text: e.newText },
          })),
        })),
      }));
    }
    return result;
  });
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'libvirt-gate',
        version: report.toolVersion,
        informationUri: 'https://github.com/libvirt-gate/libvirt-gate',
        rules: descriptors,
      },
    },
    columnKind: 'utf16CodeUnits',
    originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(report.cwd).href}/` } },
    results: [], // written an item at a time
  };
  const notifications: Sarif.Notification[] = [
    ...report.warnings.map((w): Sarif.Notification => {
      const o = w.origin;
      const file = o.kind === 'file' ? displayRel(report.cwd, o.file) : undefined;
      const region: Sarif.Region | undefined =
        o.kind === 'file' && o.line !== undefined
          ? {
              startLine: o.line,
              ...(o.column === undefined ? {} : { startColumn: o.column }),
              ...(o.endColumn === undefined ? {} : { endColumn: o.endColumn }),
            }
          : undefined;
      return {
        level: 'warning',
        message: { text: formatConfigWarning(w, report.cwd) },
        ...(file === undefined
          ? {}
          : {
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: file, uriBaseId: '%SRCROOT%' },
                    ...(region ? { region } : {}),
                  },
                },
              ],
            }),
      };
    }),
    ...fileNotices(report).map((n): Sarif.Notification => ({
      level: 'note',
      message: { text: n.reason },
      locations: [{ physicalLocation: { artifactLocation: { uri: n.path, uriBaseId: '%SRCROOT%' } } }],
    })),
  ];
  if (notifications.length)
    run.invocations = [{ executionSuccessful: true, toolExecutionNotifications: notifications }];
  return { log: { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] }, results };
}

/** The SARIF log in pieces, each result built as it is written (see jsonChunks.ts). */
export function formatSarifChunks(report: CheckReport): Iterable<string> {
  const { log, results } = buildSarif(report);
  return prettyJsonChunks(log, ['runs', 0, 'results'], results);
}
