// Findings → LSP diagnostics. Pure: the same finding always gives the same diagnostic, which
// lets code actions link their diagnostics without server state.
import {
  DiagnosticSeverity,
  DiagnosticTag,
  type Diagnostic,
  type DiagnosticRelatedInformation,
} from 'vscode-languageserver';
import { ruleDocsUrl, type Finding, type GuardFact, type Range, type Severity } from '../engine/api';
import type { Policy } from '../config/policy';
import type { ConfigError } from '../config/configError';
import type { ConfigWarning } from '../config/excludePatterns';
import { diagnosticSource } from './protocol';

const severityMap: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const guardLabel: Record<GuardFact['kind'], string> = {
  'version-check': 'version check',
  'exact-version-check': 'exact version check',
  gate: 'opt-in gate',
  hasattr: 'hasattr/getattr check',
  'except-attributeerror': 'handler of AttributeError',
  'except-importerror': 'handler of ImportError',
  caller: 'only caller',
  helper: 'check helper',
};

function related(finding: Finding): DiagnosticRelatedInformation[] {
  const out = finding.related.map((r) => ({ location: { uri: r.uri, range: r.range }, message: r.message }));
  // A guard the finding already names (LVG003's check) is listed once.
  const seen = new Set(
    out.map((r) => `${r.location.uri}#${r.location.range.start.line}:${r.location.range.start.character}`),
  );
  for (const g of finding.guards) {
    const key = `${g.uri}#${g.range.start.line}:${g.range.start.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ location: { uri: g.uri, range: g.range }, message: `${guardLabel[g.kind]}: ${g.text}` });
  }
  return out;
}

/** The diagnostic for a finding (the first element) plus one Unnecessary hint per dead range. */
export function findingDiagnostics(uri: string, finding: Finding, policy: Policy): Diagnostic[] {
  const codeDescription = { href: ruleDocsUrl(finding.code) };
  const severity = severityMap[policy.severities[finding.code] ?? finding.severity];
  const info = related(finding);
  const main: Diagnostic = {
    range: finding.range,
    severity,
    source: diagnosticSource,
    code: finding.code,
    codeDescription,
    message: finding.message,
    // Which of the rule's messages this is: clients and tests can tell findings apart without parsing text.
    data: { messageId: finding.messageId },
    ...(info.length ? { relatedInformation: info } : {}),
  };
  const dead: Diagnostic[] = finding.unnecessary.map((range) => ({
    range,
    severity: DiagnosticSeverity.Hint,
    source: diagnosticSource,
    code: finding.code,
    codeDescription,
    message: `Unnecessary: ${finding.message}`,
    data: { messageId: finding.messageId },
    tags: [DiagnosticTag.Unnecessary],
    relatedInformation: [{ location: { uri, range: finding.range }, message: 'reported here' }],
  }));
  return [main, ...dead];
}

export function toDiagnostics(uri: string, findings: readonly Finding[], policy: Policy): Diagnostic[] {
  return findings.flatMap((f) => findingDiagnostics(uri, f, policy));
}

export const sameRange = (a: Range, b: Range): boolean =>
  a.start.line === b.start.line &&
  a.start.character === b.start.character &&
  a.end.line === b.end.line &&
  a.end.character === b.end.character;

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i] as T, b[i] as T)) return false;
  return true;
}

/**
 * Whether two findings give the same diagnostics (for one uri and policy): the fields
 * findingDiagnostics reads. Most keystrokes leave a file's diagnostics as they were, and the
 * server then answers a pull with "unchanged" instead of sending them all again.
 */
function sameDiagnostic(a: Finding, b: Finding): boolean {
  return (
    a.code === b.code &&
    a.severity === b.severity &&
    a.message === b.message &&
    a.messageId === b.messageId &&
    sameRange(a.range, b.range) &&
    sameList(a.unnecessary, b.unnecessary, sameRange) &&
    sameList(
      a.related,
      b.related,
      (x, y) => x.uri === y.uri && x.message === y.message && sameRange(x.range, y.range),
    ) &&
    sameList(
      a.guards,
      b.guards,
      (x, y) => x.kind === y.kind && x.uri === y.uri && x.text === y.text && sameRange(x.range, y.range),
    )
  );
}

/** Whether `toDiagnostics` gives the same for both lists (same uri and policy). */
export function sameDiagnostics(a: readonly Finding[], b: readonly Finding[]): boolean {
  return sameList(a, b, sameDiagnostic);
}

/** A config error as a diagnostic in the config file (whole first line when the position is unknown). */
export function configErrorDiagnostic(error: ConfigError, message: string): Diagnostic {
  const line = Math.max(0, (error.line ?? 1) - 1);
  const character = Math.max(0, (error.column ?? 1) - 1);
  const end =
    error.line === undefined
      ? { line, character: 1000 }
      : { line, character: character + Math.max(1, error.key.length) };
  return {
    range: { start: { line, character }, end },
    severity: DiagnosticSeverity.Error,
    source: diagnosticSource,
    message,
  };
}

/** A config warning (an exclude pattern that matches nothing) as a warning on the pattern. */
export function configWarningDiagnostic(warning: ConfigWarning, message: string): Diagnostic {
  const o = warning.origin;
  const at = o.kind === 'file' && o.line !== undefined ? o : undefined;
  const line = Math.max(0, (at?.line ?? 1) - 1);
  const character = Math.max(0, (at?.column ?? 1) - 1);
  // Without the pattern's own position (not found in the text), the `exclude` key's.
  const end = at === undefined ? 1000 : at.endColumn !== undefined ? at.endColumn - 1 : character + 'exclude'.length;
  return {
    range: { start: { line, character }, end: { line, character: end } },
    severity: DiagnosticSeverity.Warning,
    source: diagnosticSource,
    message,
  };
}
