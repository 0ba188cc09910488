// Fuzzing with a time budget: seeded mutations of the fixtures through the engine and every
// fix it offers. Stops at the first failure and prints the seed and case to reproduce it.
// A fixture's `.workspace` files are indexed with it and sometimes mutated instead: fixes
// that edit them (the opt-in option's declaration) are applied to them under the same checks.
//   npm run fuzz -- --seconds 600 [--seed N]
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  anchorHolds,
  analyzeDocument,
  applyTextEdits,
  initParser,
  parsePython,
  WorkspaceIndex,
  type TextEdit,
} from '../server/src/engine/api';
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

async function main(): Promise<void> {
  await initParser();
  const seconds = arg('seconds', 60);
  const seed = arg('seed', Date.now() % 1_000_000);
  const random = mulberry32(seed);
  const inputs = allFixtureFiles().map((f) => {
    const dir = f.replace(/\.py$/, '.workspace');
    const workspace = fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .map((n): [string, string] => [`file:///ws/${n}`, fs.readFileSync(path.join(dir, n), 'utf8')])
      : [];
    return { text: fs.readFileSync(f, 'utf8'), workspace };
  });
  const deadline = Date.now() + seconds * 1000;
  let cases = 0;
  let fixesChecked = 0;
  let slowest = 0;
  while (Date.now() < deadline) {
    const input = inputs[Math.floor(random() * inputs.length)] ?? { text: '', workspace: [] };
    // Mutate the file analyzed, or (a third of the time, when it has some) one of its workspace files.
    const mutated = input.workspace.length && random() < 0.33 ? Math.floor(random() * input.workspace.length) : -1;
    const text = mutated < 0 ? mutate(input.text, random) : input.text;
    const workspace = new Map(input.workspace.map(([uri, t], i) => [uri, i === mutated ? mutate(t, random) : t]));
    const t0 = performance.now();
    let result;
    try {
      const index = new WorkspaceIndex();
      index.setFile('file:///fuzz.py', text);
      for (const [uri, t] of workspace) index.setFile(uri, t);
      result = analyzeDocument({ uri: 'file:///fuzz.py', text }, index, examplePolicy);
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
      for (const fix of f.fixes) {
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
    `fuzz: seed ${seed}, ${cases} cases, ${fixesChecked} fixes applied, slowest analysis ${slowest.toFixed(0)} ms, no failure in ${seconds} s`,
  );
}

void main();
