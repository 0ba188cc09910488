// Code actions from findings: every engine fix as a quick fix (edits as the engine made them),
// a docs command per rule, and source.fixAll.libvirt-gate (safe fixes, non-overlapping).
import {
  CodeActionKind,
  type CodeAction,
  type Diagnostic,
  type Range as LspRange,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver';
import { editsTouch, ruleDocsUrl, type Finding, type Fix, type Range, type TextEdit } from '../engine/api';
import type { Policy } from '../config/policy';
import { findingDiagnostics } from './diagnostics';
import { fixAllKind, serverCommands } from './protocol';

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Touching counts: a cursor at the end of a finding still offers its fixes. */
function intersects(a: Range | LspRange, b: Range | LspRange): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}

function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  return (
    a.code === b.code &&
    a.message === b.message &&
    !before(a.range.start, b.range.start) &&
    !before(b.range.start, a.range.start) &&
    !before(a.range.end, b.range.end) &&
    !before(b.range.end, a.range.end)
  );
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
}

export function codeActionsFor(req: CodeActionRequest, findings: readonly Finding[], policy: Policy): CodeAction[] {
  const actions: CodeAction[] = [];
  if (wantsKind(req.only, CodeActionKind.QuickFix)) {
    const docsShown = new Set<string>();
    for (const finding of findings) {
      const diagnostic = findingDiagnostics(req.uri, finding, policy)[0];
      const inContext = req.diagnostics.some((d) => sameDiagnostic(d, diagnostic));
      if (!inContext && !intersects(finding.range, req.range)) continue;
      for (const fix of finding.fixes) actions.push(quickFix(req.uri, fix, diagnostic));
      if (!docsShown.has(finding.code)) {
        docsShown.add(finding.code);
        actions.push({
          title: `Show documentation for ${finding.code}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          command: {
            title: `Show documentation for ${finding.code}`,
            command: serverCommands.showDocumentation,
            arguments: [ruleDocsUrl(finding.code)],
          },
        });
      }
    }
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

function quickFix(uri: string, fix: Fix, diagnostic: Diagnostic): CodeAction {
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    ...(fix.preferred && fix.kind !== 'suppress' ? { isPreferred: true } : {}),
    edit: { changes: { [uri]: fix.edits.map((e) => ({ range: e.range, newText: e.newText })) } },
  };
}

/**
 * One safe fix per finding (the preferred one first), skipping any whose edits overlap an
 * already chosen fix: applying them all at once must be well defined. Suppressions are not fixes.
 */
export function fixAllEdits(findings: readonly Finding[]): LspTextEdit[] {
  const chosen: TextEdit[] = [];
  for (const finding of findings) {
    const candidates = finding.fixes.filter((f) => f.safe && f.kind !== 'suppress' && f.edits.length > 0);
    candidates.sort((a, b) => Number(b.preferred) - Number(a.preferred));
    const fix = candidates.find((f) => f.edits.every((e) => chosen.every((c) => !editsTouch(e, c))));
    if (fix) chosen.push(...fix.edits);
  }
  return chosen.map((e) => ({ range: e.range, newText: e.newText }));
}
