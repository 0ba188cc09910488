// The engine's entry: (document, workspace facts, policy) → findings and hover facts.
// parse → file model → semantics → flow → rules → suppressions.
import type { Policy } from '../config/policy';
import { loadFeatureDb } from '../data/loadFeatureDb';
import { loadXmlFeatureDb } from '../data/loadXmlFeatureDb';
import { analyzeFlow, type FlowResult } from './flow/flowAnalysis';
import type { FlowCache } from './flow/flowCache';
import { MAX_NESTING } from './flow/flowWalker';
import { addHoverFacts, factsAt, mayMeetLine, rangeHolds, sourceRange, type HoverSource } from './flow/hoverFacts';
import { rules } from './rules/registry';
import type { Rule, RuleEnv } from './rules/rule';
import { applySuppressions, readSuppressions } from './rules/suppression';
import { firstCheckCallee } from './rules/versionCheckFixes';
import { fileModelOf, type FileModel } from './semantic/fileModel';
import { FileSemantics } from './semantic/fileSemantics';
import { lookupGateOption } from './semantic/gateOption';
import { noWorkspace, type WorkspaceFacts } from './semantic/workspaceFacts';
import { collectXmlEmissions, type XmlEmission, type XmlEmissions } from './semantic/xml/xmlEmissions';
import {
  compactText,
  comparePos,
  loneCarriageReturnMessage,
  parsePython,
  type NodeId,
  type SyntaxTree,
} from './syntax/index';
import type { AnalysisResult, Finding, HoverFacts, OptionFacts, PathFacts, Position } from './types';
import { versionPaths } from './versionPaths';

export interface DocumentInput {
  readonly uri: string;
  readonly text: string;
  /** An up-to-date tree of `text` (the language server keeps one per document); parsed here when absent. */
  readonly tree?: SyntaxTree;
}

/**
 * What to compute besides findings. The editor wants hovers and (for the matrix view) paths;
 * a CLI check wants neither, and `matrix` only paths.
 */
export interface AnalyzeOptions {
  readonly hovers?: boolean;
  /**
   * `'lazy'`: computed when first read (the editor keeps the tree anyway, and only the
   * matrix view reads them), keeping the tree and the flow's observations until then.
   */
  readonly paths?: boolean | 'lazy';
  /**
   * `'lazy'`: each finding's fixes are built when first read (the editor reads them only for
   * the findings a code action asks about; they keep the file's tree and semantics until then).
   * `'none'`: no fixes (a report that shows none). Default `'eager'`.
   */
  readonly fixes?: 'eager' | 'lazy' | 'none';
  /**
   * The document's flow cache (the language server keeps one per open document): walks of
   * functions an edit did not reach are taken from the last analysis (see flow/flowCache.ts).
   * The caller must clear it when what the last analysis read of other files changed.
   */
  readonly flowCache?: FlowCache;
}

export function ruleEnabled(rule: Rule, policy: Policy): boolean {
  if (policy.ignore.includes(rule.code)) return false;
  return policy.select ? policy.select.includes(rule.code) : rule.defaultEnabled;
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}:${f.range.start.line}:${f.range.start.character}:${f.range.end.line}:${f.range.end.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function analyzeDocument(
  doc: DocumentInput,
  workspace: WorkspaceFacts | undefined,
  policy: Policy,
  options: AnalyzeOptions = {},
): AnalysisResult {
  try {
    return analyzeTree(doc.tree ?? parsePython(doc.text), doc.uri, workspace ?? noWorkspace, policy, options);
  } catch (e) {
    // The last line of defence: one file's failure must not take down the server or the run.
    if (!(e instanceof RangeError)) throw e;
    return noAnalysis([`not analyzed: the file nests too deeply (${e.message})`]);
  }
}

/** The result of a file not analyzed (the notes say why, if anything should). */
export function noAnalysis(notes: readonly string[] = []): AnalysisResult {
  return { findings: [], hovers: [], hoverAt: noHovers.at, paths: [], syntaxErrors: 0, suppressed: 0, notes };
}

/** The gate's oslo.config option, when the workspace declares options (the hover shows its default and help). */
function gateOptionFacts(sem: FileSemantics, tree: SyntaxTree, range: HoverFacts['range']): OptionFacts | undefined {
  const node = tree.nodeWithSpan(tree.lines.offset(range.start), tree.lines.offset(range.end));
  const lookup = node === undefined ? undefined : lookupGateOption(sem, compactText(tree, node));
  if (!lookup?.declaresOptions) return undefined;
  const d = lookup.declarations[0];
  return {
    group: lookup.group,
    name: lookup.name,
    ...(d
      ? {
          declaration: {
            uri: d.uri,
            range: d.range,
            type: d.type,
            ...(d.defaultText !== undefined ? { defaultText: d.defaultText } : {}),
            ...(d.help !== undefined ? { help: d.help } : {}),
          },
        }
      : {}),
  };
}

function gateHovers(
  flow: FlowResult,
  policy: Policy,
  sem: FileSemantics,
  tree: SyntaxTree,
  where: (range: HoverFacts['range']) => boolean = () => true,
): HoverFacts[] {
  return [...flow.gateUses.values()]
    .filter((g) => where(g.gate.range))
    .map((g) => {
      const option = gateOptionFacts(sem, tree, g.gate.range);
      return {
        range: g.gate.range,
        kind: 'gate',
        interval: { libvirt: { lo: policy.minLibvirt, hi: Infinity }, qemu: { lo: policy.minQemu, hi: Infinity } },
        supportClass: g.worst ?? 'A',
        gated: true,
        guards: [],
        ...(option ? { option } : {}),
      };
    });
}

/** `LIBVIRT_GATE_XML=off` skips the XML pass (to measure what it costs; see docs/architecture.md). */
const xmlPassEnabled = (): boolean => process.env.LIBVIRT_GATE_XML !== 'off';
/** `LIBVIRT_GATE_XML_PENDING=off` finds all XML up front (for the differential tests). */
const xmlPending = (): boolean => process.env.LIBVIRT_GATE_XML_PENDING !== 'off';

function analyzeTree(
  tree: SyntaxTree,
  uri: string,
  workspace: WorkspaceFacts,
  policy: Policy,
  options: AnalyzeOptions,
): AnalysisResult {
  const wantHovers = options.hovers ?? true;
  const db = loadFeatureDb();
  // The editor's analyses (those with hovers) record the word counts they read (`wordsRead`).
  const words = wantHovers ? wordsRecorded(fileModelOf(tree, uri)) : undefined;
  const model = words?.model ?? fileModelOf(tree, uri);
  const sem = new FileSemantics(uri, model, policy, db, workspace);
  const findingsOnly = !wantHovers && options.paths === false;
  // XML that could lead to no finding, version path or gate use is found only for its hovers,
  // when one is asked for (see collectXmlEmissions).
  const xml = xmlPassEnabled() ? collectXmlEmissions(sem, loadXmlFeatureDb(), xmlPending()) : undefined;
  const flow = analyzeFlow(sem, policy, db, xml, wantHovers, findingsOnly, options.flowCache);
  const env: RuleEnv = {
    uri,
    policy,
    db,
    sem,
    tree,
    observations: flow.observations,
    gateUses: flow.gateUses,
    gate: policy.gates[0],
    identifierCount: (name) => model.wordCount(name),
    existingCheckCallee: firstCheckCallee(tree, model.calls, sem.versionChecks.plain()),
    // Like ruff: no fixes while the file has a syntax error (see below).
    fixes: tree.problems.length ? 'none' : (options.fixes ?? 'eager'),
  };
  let findings: Finding[] = [];
  // Not push(...list): a rule may report more findings than the stack holds arguments.
  for (const rule of rules) if (ruleEnabled(rule, policy)) for (const f of rule.report(env)) findings.push(f);
  const notes: string[] = [];
  // Like ruff: no fixes while the file has a syntax error (or anything else Python rejects).
  // Error recovery is not local, so an edit anywhere could change how the broken part reads;
  // a fix must never make things worse. (The rules built none: `env.fixes` is 'none'.)
  if (tree.problems.length) {
    if (tree.problems.some((p) => p.message === loneCarriageReturnMessage))
      notes.push('no fixes offered: some lines end with a lone carriage return (\\r)');
  }
  findings = dedupe(findings).sort((a, b) => comparePos(a.range.start, b.range.start) || a.code.localeCompare(b.code));
  const { kept, suppressed } = applySuppressions(findings, readSuppressions(tree));
  const hovers = wantHovers ? lazyHovers(flow, policy, sem, tree, xml) : noHovers;
  if (flow.truncated) notes.push(`parts nested deeper than ${MAX_NESTING} levels were not analyzed`);
  const problems = tree.problems.filter((p) => p.message !== loneCarriageReturnMessage);
  const syntaxErrors = problems.length;
  const first = problems.reduce<(typeof problems)[number] | undefined>(
    (a, p) => (a && a.start <= p.start ? a : p),
    undefined,
  );
  const firstSyntaxError = first && { line: tree.lines.position(first.start).line, message: first.message };
  const wanted = options.paths ?? true;
  let paths: PathFacts[] | undefined =
    wanted === 'lazy' ? undefined : wanted ? versionPaths(tree, uri, flow.observations, kept, policy) : [];
  const base = {
    findings: kept,
    syntaxErrors,
    ...(firstSyntaxError ? { firstSyntaxError } : {}),
    suppressed,
    notes,
    ...(words ? { wordsRead: words.stop() } : {}),
  };
  // Nothing to build later (the CLI): a plain result, with no closure over this analysis.
  // (With the getters below, the whole-tree check kept more alive: peak RSS 253 → 325 MB.)
  if (paths && hovers === noHovers) return { ...base, hovers: [], hoverAt: noHovers.at, paths };
  return {
    ...base,
    get hovers(): readonly HoverFacts[] {
      return hovers.all();
    },
    hoverAt: (position) => hovers.at(position),
    get paths(): PathFacts[] {
      paths ??= versionPaths(tree, uri, flow.observations, kept, policy);
      return paths;
    },
  };
}

/**
 * The model, with the word counts asked of it recorded until `stop` (what is asked later, for
 * hovers or fixes built when read, does not change the findings).
 */
function wordsRecorded(of: FileModel): { model: FileModel; stop(): ReadonlyMap<string, number> } {
  let read: Map<string, number> | undefined = new Map<string, number>();
  const model: FileModel = Object.create(of) as FileModel;
  Object.defineProperty(model, 'wordCount', {
    value: (word: string): number => {
      const count = of.wordCount(word);
      read?.set(word, count);
      return count;
    },
  });
  // Recorded as the count: an answer that stands while the count does.
  Object.defineProperty(model, 'mentions', {
    value: (word: string): boolean => (read ? model.wordCount(word) > 0 : of.mentions(word)),
  });
  return {
    model,
    stop: () => {
      const done = read ?? new Map<string, number>();
      read = undefined;
      return done;
    },
  };
}

interface Hovers {
  all(): readonly HoverFacts[];
  at(position: Position): HoverFacts | undefined;
}

const noHovers: Hovers = { all: () => [], at: () => undefined };

/** Builds hover facts when asked: all of them once, or those at one position (see flow/hoverFacts.ts). */
function lazyHovers(
  flow: FlowResult,
  policy: Policy,
  sem: FileSemantics,
  tree: SyntaxTree,
  xml: XmlEmissions | undefined,
): Hovers {
  let all: HoverFacts[] | undefined;
  // What a node whose XML was left pending writes (see XmlSite), found when a hover needs it.
  const written = (node: NodeId): readonly XmlEmission[] | undefined => xml?.get(node);
  // Facts that cannot be built (code nested too deeply for the stack) are left out.
  const add = (source: HoverSource, out: HoverFacts[]): void => {
    try {
      addHoverFacts(source, sem, policy, out, written);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
    }
  };
  return {
    all(): readonly HoverFacts[] {
      if (!all) {
        const out: HoverFacts[] = [];
        for (const source of flow.hovers) add(source, out);
        all = [...out, ...gateHovers(flow, policy, sem, tree)].sort((a, b) => comparePos(a.range.start, b.range.start));
      }
      return all;
    },
    at(position: Position): HoverFacts | undefined {
      if (all) return factsAt(all, position);
      // In walk order, gates last, as `all` sorts them (stably): factsAt picks the same one.
      const here: HoverFacts[] = [];
      // Only sources that meet the position's line have their range worked out.
      const { line } = position;
      const lines = tree.lines;
      const inText = line >= 0 && line < lines.lineCount;
      const from = inText ? lines.lineStart(line) : 0;
      const to = inText && line + 1 < lines.lineCount ? lines.lineStart(line + 1) : Infinity;
      for (const source of flow.hovers) {
        if (inText && !mayMeetLine(source, sem, line, from, to)) continue;
        if (rangeHolds(sourceRange(source, sem), position)) add(source, here);
      }
      // Gates too: only those holding the position get their option looked up.
      here.push(...gateHovers(flow, policy, sem, tree, (range) => rangeHolds(range, position)));
      return factsAt(here, position);
    },
  };
}
