// Fuzzing with a time budget: seeded mutations of the fixtures (and prefixes of them, as when
// typing) through the parser, the engine and every fix it offers. Each text must parse without
// throwing, in bounded time, to a well-formed tree (every node inside its parent, siblings in
// order); no fix may add a syntax problem. Stops at the first failure and prints the seed and
// case to reproduce it.
//   npm run fuzz -- --seconds 600 [--seed N]
import * as fs from 'node:fs';
import { analyzeDocument, applyTextEdits, initParser, parsePython, WorkspaceIndex } from '../server/src/engine/api';
import { allFixtureFiles } from '../test/support/engineHarness';
import { examplePolicy } from '../test/support/examplePolicy';
import { mulberry32, mutate } from '../test/support/mutate';

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

async function main(): Promise<void> {
  await initParser();
  const seconds = arg('seconds', 60);
  const seed = arg('seed', Date.now() % 1_000_000);
  const random = mulberry32(seed);
  const inputs = allFixtureFiles().map((f) => fs.readFileSync(f, 'utf8'));
  const deadline = Date.now() + seconds * 1000;
  let cases = 0;
  let fixesChecked = 0;
  let slowest = 0;
  let slowestParse = 0;
  let prefixes = 0;
  while (Date.now() < deadline) {
    const source = inputs[Math.floor(random() * inputs.length)] ?? '';
    const text = mutate(source, random);
    // Every tenth case also parses a few prefixes of the source: code being typed.
    const checked =
      cases % 10 === 0
        ? [text, ...[0.2, 0.5, 0.8].map((f) => source.slice(0, Math.floor(source.length * f * (0.5 + random()))))]
        : [text];
    for (const t of checked) {
      try {
        slowestParse = Math.max(slowestParse, checkParse(t));
      } catch (e) {
        console.error(`FAIL seed ${seed} case ${cases}: the parser: ${String(e)}\n---\n${t}`);
        process.exit(1);
      }
    }
    prefixes += checked.length - 1;
    const t0 = performance.now();
    let result;
    try {
      const index = new WorkspaceIndex();
      index.setFile('file:///fuzz.py', text);
      result = analyzeDocument({ uri: 'file:///fuzz.py', text }, index, examplePolicy);
    } catch (e) {
      console.error(`FAIL seed ${seed} case ${cases}: ${String(e)}\n---\n${text}`);
      process.exit(1);
    }
    slowest = Math.max(slowest, performance.now() - t0);
    const before = errorCount(text);
    for (const f of result.findings) {
      for (const fix of f.fixes) {
        let after: string;
        try {
          after = applyTextEdits(text, fix.edits);
        } catch (e) {
          console.error(
            `FAIL seed ${seed} case ${cases}: fix "${fix.title}" does not apply: ${String(e)}\n---\n${text}`,
          );
          process.exit(1);
        }
        if (errorCount(after) > before) {
          console.error(
            `FAIL seed ${seed} case ${cases}: fix "${fix.title}" adds syntax errors\n--- before\n${text}\n--- after\n${after}`,
          );
          process.exit(1);
        }
        fixesChecked++;
      }
    }
    cases++;
  }
  console.log(
    `fuzz: seed ${seed}, ${cases} cases (+${prefixes} prefixes parsed), ${fixesChecked} fixes applied, slowest parse ${slowestParse.toFixed(1)} ms, slowest analysis ${slowest.toFixed(0)} ms, no failure in ${seconds} s`,
  );
}

void main();
