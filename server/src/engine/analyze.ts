// The engine's entry: (document, workspace index, policy) → findings and hover facts.
import type { Policy } from '../config/policy';
import { loadFeatureDb } from '../data/loadFeatureDb';
import { buildFileModel } from './fileModel';
import { FileScope } from './fileScope';
import { parsePython, type Tree } from './parser';
import { rules, type Rule } from './rules/registry';
import type { RuleEnv } from './rules/ruleEnv';
import { firstCheckCallee } from './rules/LVG002';
import { SourceText } from './sourceText';
import { applySuppressions, readSuppressions } from './suppression';
import { clearParents, rangeOf } from './syntax';
import type { AnalysisResult, Finding, HoverFacts, Position } from './types';
import { FlowWalker, MAX_NESTING } from './walker';
import { WorkspaceIndex } from './workspaceIndex';

export interface DocumentInput {
  readonly uri: string;
  readonly text: string;
  /** An up-to-date tree of `text` (the language server keeps one per document); parsed here when absent. */
  readonly tree?: Tree;
}

export function ruleEnabled(rule: Rule, policy: Policy): boolean {
  if (policy.ignore.includes(rule.code)) return false;
  return policy.select ? policy.select.includes(rule.code) : rule.defaultEnabled;
}

const comparePos = (a: Position, b: Position) => a.line - b.line || a.character - b.character;

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}:${f.range.start.line}:${f.range.start.character}:${f.range.end.line}:${f.range.end.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Python and LSP end lines at \r, \n and \r\n; tree-sitter counts \n only. */
const loneCarriageReturn = /\r(?!\n)/;

export function analyzeDocument(doc: DocumentInput, index: WorkspaceIndex | undefined, policy: Policy): AnalysisResult {
  if (loneCarriageReturn.test(doc.text)) {
    // Same length, same line structure, so every position and edit stays valid for the original.
    const normalized = doc.text.replace(/\r(?!\n)/g, '\n');
    const result = analyzeDocument({ uri: doc.uri, text: normalized }, index, policy);
    // tree-sitter reads a comment through a lone \r where Python ends it: edits could be read
    // differently than they were meant, so none are offered.
    return {
      ...result,
      findings: result.findings.map((f) => (f.fixes.length ? { ...f, fixes: [] } : f)),
      notes: [...result.notes, 'no fixes offered: some lines end with a lone carriage return (\\r)'],
    };
  }
  try {
    return analyzeTree(doc, index, policy);
  } catch (e) {
    // The last line of defence: one file's failure must not take down the server or the run.
    if (!(e instanceof RangeError)) throw e;
    return { findings: [], hovers: [], syntaxErrors: 0, suppressed: 0, notes: [`not analysed: the file nests too deeply (${e.message})`] };
  }
}

function analyzeTree(doc: DocumentInput, index: WorkspaceIndex | undefined, policy: Policy): AnalysisResult {
  const tree = doc.tree ?? parsePython(doc.text);
  clearParents();
  try {
    const db = loadFeatureDb();
    const model = buildFileModel(tree, doc.text);
    const scope = new FileScope(doc.uri, model, policy, db, index ?? new WorkspaceIndex());
    const walker = new FlowWalker(scope, policy, db, tree);
    const { observations, hovers } = walker.run();
    const src = new SourceText(doc.text);
    const env: RuleEnv = {
      uri: doc.uri, policy, db, scope, fixEnv: { src, tree }, observations, gateUses: walker.gateUses, gate: policy.gates[0],
      identifierCount: (name) => model.wordCount(name),
      existingCheckCallee: firstCheckCallee(model.calls, scope.versionChecks),
    };
    let findings: Finding[] = [];
    for (const rule of rules) if (ruleEnabled(rule, policy)) findings.push(...rule.report(env));
    // Like ruff: no fixes while the file has a syntax error. Error recovery is not local, so an
    // edit anywhere could change how the broken part reads; a fix must never make things worse.
    // Python also rejects NUL bytes and a BOM past the start, which tree-sitter reads as blanks.
    if (tree.rootNode.hasError || /[\0]|(?!^)\uFEFF/.test(doc.text)) findings = findings.map((f) => (f.fixes.length ? { ...f, fixes: [] } : f));
    findings = dedupe(findings).sort((a, b) => comparePos(a.range.start, b.range.start) || a.code.localeCompare(b.code));
    const { kept, suppressed } = applySuppressions(findings, readSuppressions(tree, src));
    const gateHovers: HoverFacts[] = [...walker.gateUses.values()].map((g) => ({
      range: g.gate.range, kind: 'gate', interval: { libvirt: { lo: policy.minLibvirt, hi: Infinity }, qemu: { lo: policy.minQemu, hi: Infinity } },
      supportClass: g.worst ?? 'A', gated: true, guards: [],
    }));
    const allHovers = [...hovers, ...gateHovers].sort((a, b) => comparePos(a.range.start, b.range.start));
    const errors = tree.rootNode.hasError ? tree.rootNode.descendantsOfType(['ERROR']).length + countMissing(tree) : 0;
    const notes = walker.truncated ? [`parts nested deeper than ${MAX_NESTING} levels were not analysed`] : [];
    return { findings: kept, hovers: allHovers, syntaxErrors: errors, suppressed, notes };
  } finally {
    clearParents();
    if (!doc.tree) tree.delete();
  }
}

function countMissing(tree: Tree): number {
  let n = 0;
  const cursor = tree.walk();
  // Only walk when the tree reports errors; MISSING nodes are not found by type.
  for (let ok = true; ok;) {
    if (cursor.currentNode.isMissing) n++;
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) { if (!cursor.gotoParent()) { ok = false; break; } }
  }
  cursor.delete();
  return n;
}

export { rangeOf };
