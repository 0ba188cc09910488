// Fuzzing with a time budget: seeded mutations of the fixtures (and prefixes of them, as when
// typing) through the parser, the engine and every fix it offers. Each text must parse without
// throwing, in bounded time, to a well-formed tree (every node inside its parent, siblings in
// order); the same mutation as an editor's edit, parsed again only where it reaches, must give
// the tree of a full parse; a file's index summary read from its tokens must be its tree's
// (textSummary.ts); no fix may add a syntax problem; an edit in a comment or of blank lines
// that the editor does not analyze (triviaEdits.ts) must give a fresh analysis' findings. Stops at the first failure and
// prints the seed and case to reproduce it.
// A fixture's `.workspace` files are indexed with it and sometimes mutated instead: fixes
// that edit them (the opt-in option's declaration) are applied to them under the same checks.
//   npm run fuzz -- --seconds 600 [--seed N]
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  anchorHolds,
  analyzeDocument,
  applyTextEdits,
  changeBetween,
  factsAt,
  findingsAfterBlankLines,
  findingsStandAfterEdit,
  FlowCache,
  initParser,
  ParsedDocument,
  parsePython,
  ruleByCode,
  summaryOptionsFor,
  WorkspaceIndex,
  type TextEdit,
} from '../server/src/engine/api';
import { Field, NodeKind } from '../server/src/engine/syntax/index';
import { docstringSpans } from '../test/support/docstrings';
import { allFixtureFiles, workspaceFiles } from '../test/support/engineHarness';
import { examplePolicy } from '../test/support/examplePolicy';
import { mulberry32, mutate } from '../test/support/mutate';
import { compareSummaries } from '../test/support/summaryDiff';
import { treeDifference } from '../test/support/treeDifference';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function errorCount(text: string): number {
  return parsePython(text).problems.length;
}

/** A parse must take at most this long per 100 KB of text: generous (a busy machine), but a quadratic parse fails it. */
const parseBudgetMsPer100KB = 1000;

/** Parses and checks the tree's shape; returns the parse time. Throws with what is wrong. */
function checkParse(text: string): number {
  const t0 = performance.now();
  const tree = parsePython(text);
  const ms = performance.now() - t0;
  if (ms > parseBudgetMsPer100KB * Math.max(1, text.length / 100_000))
    throw new Error(`parse took ${ms.toFixed(0)} ms`);
  // Siblings do not overlap: each node starts at or after the end of the one before it.
  const lastChildEnd = new Int32Array(tree.size);
  for (let id = 1; id < tree.size; id++) {
    const parent = tree.parent(id);
    if (parent === undefined) throw new Error(`node ${id} has no parent`);
    if (tree.start(id) < tree.start(parent) || tree.end(id) > tree.end(parent))
      throw new Error(`node ${id} outside its parent`);
    if (tree.start(id) < (lastChildEnd[parent] ?? 0)) throw new Error(`node ${id} overlaps the sibling before it`);
    lastChildEnd[parent] = tree.end(id);
  }
  return ms;
}

const bodySnippets = [
  'x',
  '\n',
  '# c',
  'self._conn = libvirt.open()',
  'return dom',
  'import os',
  'dom.blockCopy(d, x, {}, 0)',
  'if self._host.has_min_version((1, 2, 9)):\n',
  '(',
  "'",
];

/** The text with a snippet put at a random point of a random function's body (the text as it is when it has none). */
function editInBody(text: string, random: () => number): string {
  const t = parsePython(text);
  const bodies = t
    .descendantsOfKind(t.root, NodeKind.FunctionDefinition)
    .map((f) => t.field(f, Field.Body))
    .filter((b): b is number => b !== undefined);
  const body = bodies[Math.floor(random() * bodies.length)];
  if (body === undefined) return text;
  const at = t.start(body) + Math.floor(random() * (t.end(body) - t.start(body) + 1));
  const cut = random() < 0.3 ? Math.floor(random() * 8) : 0;
  return text.slice(0, at) + (bodySnippets[Math.floor(random() * bodySnippets.length)] ?? '') + text.slice(at + cut);
}

/** What may be typed into a comment: words the analysis counts, quotes, brackets, a directive. */
const commentSnippets = [
  'x',
  ' ',
  '_helper',
  'getLibVersion',
  'format_dom',
  "'",
  '"""',
  '(',
  '\\',
  '#',
  'libvirt-gate: ignore',
  'oslo_config cfg.BoolOpt(',
  '<domain><memoryBacking><hugepages/>',
];

/** The text with a snippet (or a word of the text) put inside a random comment or docstring, some of it cut (the text as it is when it has none). */
function editInComment(text: string, random: () => number): string {
  const t = parsePython(text);
  // Comments and docstrings (strings standing alone as statements).
  const spans = [...t.comments, ...docstringSpans(t)];
  const c = spans[Math.floor(random() * spans.length)];
  if (!c) return text;
  const at = c.start + Math.floor(random() * (c.end - c.start + 1));
  const words = text.match(/[A-Za-z_]\w*/g) ?? [];
  const snippet =
    random() < 0.3 && words.length
      ? ` ${words[Math.floor(random() * words.length)] ?? ''}`
      : (commentSnippets[Math.floor(random() * commentSnippets.length)] ?? '');
  const cut = random() < 0.3 ? Math.floor(random() * 4) : 0;
  return text.slice(0, at) + snippet + text.slice(at + cut);
}

/** The text with blank lines added at a random line break (or spaces, or a line break taken out). */
function editBlankLines(text: string, random: () => number): string {
  const breaks = [...text.matchAll(/\n/g)].map((m) => m.index);
  const at = breaks[Math.floor(random() * breaks.length)];
  if (at === undefined) return text;
  if (random() < 0.2) return text.slice(0, at) + text.slice(at + 1);
  const indent = /^[ \t]*/.exec(text.slice(at + 1))?.[0] ?? '';
  const snippets = ['\n', `\n${indent}`, '\n\n', '  ', '\n\t', `\n${indent} `, '\r\n', '\r'];
  return text.slice(0, at) + (snippets[Math.floor(random() * snippets.length)] ?? '') + text.slice(at);
}

/**
 * The text with a snippet typed at the end of a random function's body, taking away some of
 * the line break and indentation after it: the next statement may then belong to another
 * block (a `def` unindented out of its class, as fuzz seed 2772 found the flow cache missing).
 */
function editAtBodyEnd(text: string, random: () => number): string {
  const t = parsePython(text);
  const ends = t
    .descendantsOfKind(t.root, NodeKind.FunctionDefinition)
    .map((f) => t.field(f, Field.Body))
    .filter((b): b is number => b !== undefined)
    .map((b) => t.end(b));
  const at = ends[Math.floor(random() * ends.length)];
  if (at === undefined) return text;
  const ws = /^[ \t]*(\r?\n)*[ \t]*/.exec(text.slice(at))?.[0].length ?? 0;
  const cut = Math.floor(random() * (ws + 1));
  return text.slice(0, at) + (bodySnippets[Math.floor(random() * bodySnippets.length)] ?? '') + text.slice(at + cut);
}

async function main(): Promise<void> {
  await initParser();
  const seconds = arg('seconds', 60);
  const seed = arg('seed', Date.now() % 1_000_000);
  const random = mulberry32(seed);
  const inputs = allFixtureFiles().map((f) => {
    const dir = f.replace(/\.py$/, '.workspace');
    const workspace = workspaceFiles(dir).map((n): [string, string] => [
      `file:///ws/${n}`,
      fs.readFileSync(path.join(dir, n), 'utf8'),
    ]);
    return { text: fs.readFileSync(f, 'utf8'), workspace };
  });
  const deadline = Date.now() + seconds * 1000;
  let cases = 0;
  let fixesChecked = 0;
  let hoversChecked = 0;
  let inertChecked = 0;
  let pendingChecked = 0;
  let slowest = 0;
  let slowestParse = 0;
  let prefixes = 0;
  let reparsed = 0;
  let summariesCompared = 0;
  let flowCompared = 0;
  let flowReused = 0;
  let commentsCompared = 0;
  let blankLinesCompared = 0;
  const summaryOptions = summaryOptionsFor([examplePolicy]);
  while (Date.now() < deadline) {
    const input = inputs[Math.floor(random() * inputs.length)] ?? { text: '', workspace: [] };
    // Mutate the file analyzed, or (a third of the time, when it has some) one of its workspace files.
    const mutated = input.workspace.length && random() < 0.33 ? Math.floor(random() * input.workspace.length) : -1;
    const text = mutated < 0 ? mutate(input.text, random) : input.text;
    const workspace = new Map(input.workspace.map(([uri, t], i) => [uri, i === mutated ? mutate(t, random) : t]));
    const source = mutated < 0 ? input.text : (input.workspace[mutated]?.[1] ?? '');
    const changed = mutated < 0 ? text : (workspace.get(input.workspace[mutated]?.[0] ?? '') ?? '');
    // Every tenth case also parses a few prefixes of the source: code being typed.
    const checked =
      cases % 10 === 0
        ? [changed, ...[0.2, 0.5, 0.8].map((f) => source.slice(0, Math.floor(source.length * f * (0.5 + random()))))]
        : [changed];
    for (const t of checked) {
      try {
        slowestParse = Math.max(slowestParse, checkParse(t));
      } catch (e) {
        console.error(`FAIL seed ${seed} case ${cases}: the parser: ${String(e)}\n---\n${t}`);
        process.exit(1);
      }
    }
    prefixes += checked.length - 1;
    // The index summary read from tokens must be the tree's: on the mutated text with libvirt's
    // names taken out (so that it is read from tokens more often than the fixtures would be).
    const plain = changed.replace(/libvirt|MIN_|has_min_version|format_dom/g, (w) => `${w[0] ?? ''}q${w.slice(1)}`);
    try {
      const verdict = compareSummaries('file:///ws/fuzz.py', plain, summaryOptions);
      if (verdict.kind === 'differs') throw new Error(`the token summary differs from the tree's:\n${verdict.detail}`);
      if (verdict.kind === 'tokens') summariesCompared++;
    } catch (e) {
      console.error(`FAIL seed ${seed} case ${cases}: ${String(e)}\n---\n${plain}`);
      process.exit(1);
    }
    // The editor's path: the source's tree, then the mutation as one edit, parsed again only
    // where it can reach; it must be the tree of a full parse.
    try {
      const doc = new ParsedDocument(source);
      void doc.tree;
      const change = changeBetween(source, changed);
      doc.applyEdit(change.start, change.oldEnd, changed.slice(change.start, change.newEnd));
      const diff = treeDifference(doc.tree, parsePython(changed));
      if (diff !== undefined) throw new Error(`the tree after an edit differs from a full parse: ${diff}`);
      reparsed++;
    } catch (e) {
      console.error(`FAIL seed ${seed} case ${cases}: ${String(e)}\n--- before\n${source}\n--- after\n${changed}`);
      process.exit(1);
    }
    const t0 = performance.now();
    let result;
    try {
      const index = new WorkspaceIndex();
      index.setFile('file:///fuzz.py', text);
      for (const [uri, t] of workspace) index.setFile(uri, t);
      // Every other case as the editor analyzes: fixes built when read, hovers when asked.
      const editor = cases % 2 === 1;
      result = analyzeDocument({ uri: 'file:///fuzz.py', text }, index, examplePolicy, {
        fixes: editor ? 'lazy' : 'eager',
      });
      if (editor && cases % 10 === 1) {
        // Hovers asked one position at a time are those of the whole list.
        const all = analyzeDocument({ uri: 'file:///fuzz.py', text }, index, examplePolicy).hovers;
        for (const h of all.slice(0, 30)) {
          const want = JSON.stringify(factsAt(all, h.range.start));
          if (JSON.stringify(result.hoverAt(h.range.start)) !== want)
            throw new Error(`hoverAt differs from the hover list at ${h.range.start.line}:${h.range.start.character}`);
        }
        hoversChecked += Math.min(all.length, 30);
      }
      if (cases % 5 === 2) {
        // Functions that can produce nothing are not walked: every unit walked gives the same.
        // Half of them as `check` analyzes: findings only, where old XML keeps no function walked.
        const options = cases % 10 === 2 ? {} : ({ hovers: false, paths: false } as const);
        const everything = (): string => {
          const r = analyzeDocument({ uri: 'file:///fuzz.py', text }, index, examplePolicy, options);
          return JSON.stringify({ findings: r.findings, hovers: r.hovers, paths: r.paths, notes: r.notes });
        };
        const skipped = everything();
        process.env.LIBVIRT_GATE_INERT = 'walk';
        const walked = everything();
        delete process.env.LIBVIRT_GATE_INERT;
        if (skipped !== walked) throw new Error('skipping inert functions changes the result');
        inertChecked++;
        // XML left pending until something could come of it (see collectXmlEmissions; hovers
        // find it when read) gives what finding all of it up front gives.
        process.env.LIBVIRT_GATE_XML_PENDING = 'off';
        const upFront = everything();
        delete process.env.LIBVIRT_GATE_XML_PENDING;
        if (skipped !== upFront) throw new Error('leaving XML pending changes the result');
        pendingChecked++;
      }
      if (cases % 5 === 3 && mutated < 0) {
        // The editor's flow cache: the source analyzed, then the mutation as an edit, with the
        // walks of functions it did not reach reused; the same as a cold analysis.
        const shown = (r: ReturnType<typeof analyzeDocument>): string =>
          JSON.stringify({ findings: r.findings, hovers: r.hovers, paths: r.paths, notes: r.notes });
        // Also an edit inside a function's body (most mutations land elsewhere), and one at its
        // end that may move the statements after it to another block.
        const index = new WorkspaceIndex();
        for (const [uri, t] of workspace) index.setFile(uri, t);
        for (const edited of [text, editInBody(source, random), editAtBodyEnd(source, random)]) {
          const cache = new FlowCache();
          analyzeDocument({ uri: 'file:///fuzz.py', text: source }, index, examplePolicy, { flowCache: cache });
          const options = { flowCache: cache };
          const warm = shown(analyzeDocument({ uri: 'file:///fuzz.py', text: edited }, index, examplePolicy, options));
          if (warm !== shown(analyzeDocument({ uri: 'file:///fuzz.py', text: edited }, index, examplePolicy)))
            throw new Error(`the flow cache changes the result (${cache.reused} walks reused)\n--- edited\n${edited}`);
          flowCompared++;
          if (cache.reused) flowReused++;
        }
        // Typing in a comment or docstring: where the editor skips the analysis, a fresh one gives its findings.
        const typed = editInComment(source, random);
        const before = analyzeDocument({ uri: 'file:///fuzz.py', text: source }, index, examplePolicy, {
          fixes: 'none',
        });
        if (before.wordsRead && findingsStandAfterEdit(source, before.wordsRead, before.findings, parsePython(typed))) {
          const after = analyzeDocument({ uri: 'file:///fuzz.py', text: typed }, index, examplePolicy, {
            fixes: 'none',
          });
          if (JSON.stringify(after.findings) !== JSON.stringify(before.findings))
            throw new Error(`findings changed by an edit in a comment that was not analyzed\n--- edited\n${typed}`);
          commentsCompared++;
        }
        // Blank lines: where the editor moves the last findings instead, they are a fresh analysis'.
        const spaced = editBlankLines(source, random);
        const moved = findingsAfterBlankLines(source, before.findings, parsePython(spaced), 'file:///fuzz.py');
        if (moved) {
          const after = analyzeDocument({ uri: 'file:///fuzz.py', text: spaced }, index, examplePolicy, {
            fixes: 'none',
          });
          if (JSON.stringify(after.findings) !== JSON.stringify(moved))
            throw new Error(`findings moved past blank lines differ from an analysis\n--- edited\n${spaced}`);
          blankLinesCompared++;
        }
      }
    } catch (e) {
      console.error(`FAIL seed ${seed} case ${cases}: ${String(e)}\n---\n${text}`);
      process.exit(1);
    }
    slowest = Math.max(slowest, performance.now() - t0);
    const fail = (what: string, before: string, after?: string): never => {
      console.error(
        `FAIL seed ${seed} case ${cases}: ${what}\n--- before\n${before}${after === undefined ? '' : `\n--- after\n${after}`}`,
      );
      process.exit(1);
    };
    const edited: [string, string, readonly TextEdit[]][] = [];
    for (const f of result.findings) {
      const rule = ruleByCode(f.code);
      for (const fix of f.fixes) {
        // Fix-all in the editor reads only the fixes of rules that declare safe kinds.
        if (
          !rule?.fixKinds.includes(fix.kind) ||
          (fix.safe && fix.kind !== 'suppress' && !rule.fixAllKinds.includes(fix.kind))
        )
          fail(
            `${f.code} fix "${fix.title}" (${fix.safe ? 'safe' : 'unsafe'} ${fix.kind}) is of a kind its rule does not declare`,
            text,
          );
        edited.length = 0;
        edited.push(['file:///fuzz.py', text, fix.edits]);
        for (const other of fix.otherFiles ?? []) {
          const otherText = workspace.get(other.uri);
          if (otherText === undefined) fail(`fix "${fix.title}" edits an unknown file ${other.uri}`, text);
          else if (!anchorHolds(otherText, other.anchor))
            fail(`fix "${fix.title}": its anchor is not in ${other.uri}`, otherText);
          else edited.push([other.uri, otherText, other.edits]);
        }
        for (const [uri, before, edits] of edited) {
          let after: string | undefined;
          try {
            after = applyTextEdits(before, edits);
          } catch (e) {
            fail(`fix "${fix.title}" does not apply to ${uri}: ${String(e)}`, before);
          }
          if (after !== undefined && errorCount(after) > errorCount(before))
            fail(`fix "${fix.title}" adds syntax errors to ${uri}`, before, after);
        }
        fixesChecked++;
      }
    }
    cases++;
  }
  console.log(
    `fuzz: seed ${seed}, ${cases} cases (+${prefixes} prefixes parsed, ${reparsed} edits reparsed), ${fixesChecked} fixes applied, ${hoversChecked} hovers asked, ${inertChecked} compared with every function walked (${pendingChecked} with all XML found up front), ${summariesCompared} token summaries compared with the tree's, ${flowCompared} edits compared with the flow cache (${flowReused} reusing walks), ${commentsCompared} comment and docstring edits and ${blankLinesCompared} blank-line edits not analyzed compared with an analysis, slowest parse ${slowestParse.toFixed(1)} ms, slowest analysis ${slowest.toFixed(0)} ms, no failure in ${seconds} s`,
  );
}

void main();
