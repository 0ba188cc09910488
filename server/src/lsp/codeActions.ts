// Code actions from findings: every engine fix as a quick fix (edits as the engine made them),
// a docs command per rule, and source.fixAll.libvirt-gate (safe fixes, non-overlapping).
import {
  CodeActionKind,
  type CodeAction,
  type Diagnostic,
  type Range as LspRange,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver';
import {
  anchorHolds,
  editsTouch,
  ruleByCode,
  ruleDocsUrl,
  type Finding,
  type Fix,
  type Range,
  type TextEdit,
} from '../engine/api';
import type { Policy } from '../config/policy';
import { findingDiagnostics, sameRange } from './diagnostics';
import { fixAllKind, serverCommands } from './protocol';
import { movedFinding, movedRange, type LineShift } from './staleText';

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Touching counts: a cursor at the end of a finding still offers its fixes. */
function intersects(a: Range | LspRange, b: Range | LspRange): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/** Whether a diagnostic the client sent is the finding's own (the first of its diagnostics). */
function isDiagnosticOf(d: Diagnostic, finding: Finding, range = finding.range): boolean {
  return d.code === finding.code && d.message === finding.message && sameRange(d.range, range);
}

function wantsKind(only: readonly string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return kind === CodeActionKind.QuickFix;
  return only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

export interface CodeActionRequest {
  readonly uri: string;
  readonly range: LspRange;
  readonly only?: readonly string[];
  /** The diagnostics the client sent in the context (only their identity is used). */
  readonly diagnostics: readonly Diagnostic[];
  /** Current texts of the other files fixes edit (an open editor's, else the disk's). */
  readonly otherFileTexts?: ReadonlyMap<string, string>;
  /** The client shows disabled code actions with their reason (LSP 3.16). */
  readonly disabledSupport?: boolean;
}

/** The findings a code action request covers (`range`: where the finding is now, when it moved). */
function inRequest(req: CodeActionRequest, finding: Finding, range = finding.range): boolean {
  return intersects(range, req.range) || req.diagnostics.some((d) => isDiagnosticOf(d, finding, range));
}

/** Other files that the quick fixes of a request would edit: the server reads them first. */
export function otherFilesOfFixes(req: CodeActionRequest, findings: readonly Finding[]): string[] {
  const uris = new Set<string>();
  for (const finding of findings) {
    // The request first: reading a finding's fixes builds them (the editor builds them lazily).
    if (!inRequest(req, finding)) continue;
    if (!finding.fixes.some((f) => f.otherFiles?.length)) continue;
    for (const fix of finding.fixes) for (const o of fix.otherFiles ?? []) uris.add(o.uri);
  }
  return [...uris];
}

export function codeActionsFor(req: CodeActionRequest, findings: readonly Finding[], policy: Policy): CodeAction[] {
  const actions: CodeAction[] = [];
  if (wantsKind(req.only, CodeActionKind.QuickFix)) {
    const covered = findings.filter((f) => inRequest(req, f));
    actions.push(...quickFixes(req, covered, policy, (_finding, fix, diagnostic) => quickFix(req, fix, diagnostic)));
  }
  if (wantsKind(req.only, fixAllKind)) {
    const edits = fixAllEdits(findings);
    if (edits.length)
      actions.push({
        title: 'Fix all safe libvirt-gate problems',
        kind: fixAllKind,
        edit: { changes: { [req.uri]: edits } },
      });
  }
  return actions;
}

/**
 * What a quick fix offered from an earlier analysis carries instead of its edit: enough to
 * find the same fix in the current analysis when the client resolves it (`codeAction/resolve`).
 */
export interface LazyFixData {
  readonly uri: string;
  readonly code: string;
  readonly messageId: string;
  readonly range: Range;
  readonly title: string;
}

export function isLazyFixData(data: unknown): data is LazyFixData {
  const d = data as Partial<LazyFixData> | undefined;
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof d.uri === 'string' &&
    typeof d.code === 'string' &&
    typeof d.messageId === 'string' &&
    typeof d.title === 'string' &&
    typeof d.range?.start?.line === 'number' &&
    typeof d.range.start.character === 'number' &&
    typeof d.range.end?.line === 'number' &&
    typeof d.range.end.character === 'number'
  );
}

/**
 * The quick fixes of a request from an analysis of an earlier text, without their edits: the
 * client resolves the one the user picks against the current analysis. Offered when the
 * request lies outside the lines changed since and every finding it covers, with its fixes'
 * edits, lies outside them too (read where the lines moved to); otherwise undefined, and the
 * request waits for the current analysis. No fix-all.
 */
export function lazyQuickFixes(
  req: CodeActionRequest,
  findings: readonly Finding[],
  policy: Policy,
  shift: LineShift,
): CodeAction[] | undefined {
  if (!wantsKind(req.only, CodeActionKind.QuickFix) || wantsKind(req.only, fixAllKind)) return undefined;
  if (req.range.end.line >= shift.first && req.range.start.line <= shift.last) return undefined;
  const covered: Finding[] = [];
  for (const f of findings) {
    const range = movedRange(shift, f.range);
    if (!range) {
      // On the changed lines, where it is now is not known: it cannot meet the request unless it reaches past them.
      if (f.range.start.line < shift.first || f.range.end.line > shift.last - shift.delta) return undefined;
      continue;
    }
    if (!inRequest(req, f, range)) continue;
    const moved = movedFinding(f, shift, req.uri);
    if (!moved || !f.fixes.every((x) => x.edits.every((e) => movedRange(shift, e.range)))) return undefined;
    covered.push(moved);
  }
  return quickFixes(req, covered, policy, (finding, fix, diagnostic) => {
    if (!fix.edits.length && !fix.otherFiles?.length) return undefined;
    const data: LazyFixData = {
      uri: req.uri,
      code: finding.code,
      messageId: finding.messageId,
      range: finding.range,
      title: fix.title,
    };
    return { ...actionBase(fix, diagnostic), ...preferred(fix), data };
  });
}

/** Each finding's quick fixes (as `actionFor` makes them), and its rule's docs once. */
function quickFixes(
  req: CodeActionRequest,
  findings: readonly Finding[],
  policy: Policy,
  actionFor: (finding: Finding, fix: Fix, diagnostic: Diagnostic) => CodeAction | undefined,
): CodeAction[] {
  const actions: CodeAction[] = [];
  const docsShown = new Set<string>();
  for (const finding of findings) {
    const diagnostic = findingDiagnostics(req.uri, finding, policy)[0];
    for (const fix of finding.fixes) {
      const action = actionFor(finding, fix, diagnostic);
      if (action) actions.push(action);
    }
    if (!docsShown.has(finding.code)) {
      docsShown.add(finding.code);
      actions.push(docsAction(finding.code, diagnostic));
    }
  }
  return actions;
}

const actionBase = (fix: Fix, diagnostic: Diagnostic) => ({
  title: fix.title,
  kind: CodeActionKind.QuickFix,
  diagnostics: [diagnostic],
});

const preferred = (fix: Fix): { isPreferred?: true } =>
  fix.preferred && fix.kind !== 'suppress' ? { isPreferred: true } : {};

/**
 * A lazily offered quick fix with its edit from the current analysis: the fix of the same
 * title on the finding of the same rule, message and range. When that finding or fix is gone
 * (the code changed meanwhile), the action comes back without an edit: nothing is applied.
 */
export function resolveLazyFix(
  action: CodeAction,
  data: LazyFixData,
  req: Pick<CodeActionRequest, 'otherFileTexts' | 'disabledSupport'>,
  findings: readonly Finding[],
  policy: Policy,
): CodeAction {
  const finding = findings.find(
    (f) => f.code === data.code && f.messageId === data.messageId && sameRange(f.range, data.range),
  );
  const fix = finding?.fixes.find((f) => f.title === data.title);
  const resolved =
    finding &&
    fix &&
    quickFix(
      { uri: data.uri, range: data.range, diagnostics: [], ...req },
      fix,
      findingDiagnostics(data.uri, finding, policy)[0],
    );
  return resolved || { title: action.title, kind: action.kind ?? CodeActionKind.QuickFix };
}

function docsAction(code: string, diagnostic: Diagnostic): CodeAction {
  return {
    title: `Show documentation for ${code}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    command: {
      title: `Show documentation for ${code}`,
      command: serverCommands.showDocumentation,
      arguments: [ruleDocsUrl(code)],
    },
  };
}

/**
 * A fix as a quick fix. Edits of other files come from the workspace index: they are offered
 * only while those files still hold the text they were computed against. A fix without edits
 * (it refused, saying why in its title) is a disabled action, or left out for clients that
 * cannot show one.
 */
function quickFix(req: CodeActionRequest, fix: Fix, diagnostic: Diagnostic): CodeAction | undefined {
  const base = actionBase(fix, diagnostic);
  const stale = (fix.otherFiles ?? []).find((o) => {
    const text = req.otherFileTexts?.get(o.uri);
    return text === undefined || !anchorHolds(text, o.anchor);
  });
  if (!fix.edits.length && !fix.otherFiles?.length)
    return req.disabledSupport ? { ...base, disabled: { reason: fix.title } } : undefined;
  if (stale) {
    const reason = `${stale.uri.replace(/^.*\//, '')} changed since it was analyzed: try again`;
    return req.disabledSupport ? { ...base, disabled: { reason } } : undefined;
  }
  const changes: Record<string, LspTextEdit[]> = {};
  if (fix.edits.length) changes[req.uri] = fix.edits.map((e) => ({ range: e.range, newText: e.newText }));
  for (const o of fix.otherFiles ?? []) changes[o.uri] = o.edits.map((e) => ({ range: e.range, newText: e.newText }));
  return { ...base, ...preferred(fix), edit: { changes } };
}

/**
 * One safe fix per finding (the preferred one first), skipping any whose edits overlap an
 * already chosen fix: applying them all at once must be well defined. Suppressions are not fixes.
 */
export function fixAllEdits(findings: readonly Finding[]): LspTextEdit[] {
  const chosen: TextEdit[] = [];
  for (const finding of findings) {
    // Only rules with fixes that may be safe: reading a finding's fixes builds them (in the
    // editor, when first read), and on a large file most findings have no safe fix.
    if (!ruleByCode(finding.code)?.fixAllKinds.length) continue;
    const candidates = finding.fixes.filter(
      (f) => f.safe && f.kind !== 'suppress' && f.edits.length > 0 && !f.otherFiles?.length,
    );
    candidates.sort((a, b) => Number(b.preferred) - Number(a.preferred));
    const fix = candidates.find((f) => f.edits.every((e) => chosen.every((c) => !editsTouch(e, c))));
    if (fix) chosen.push(...fix.edits);
  }
  return chosen.map((e) => ({ range: e.range, newText: e.newText }));
}
