// Fuzzing with a time budget: seeded mutations of the fixtures through the engine and every
// fix it offers. Stops at the first failure and prints the seed and case to reproduce it.
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
  while (Date.now() < deadline) {
    const text = mutate(inputs[Math.floor(random() * inputs.length)] ?? '', random);
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
    `fuzz: seed ${seed}, ${cases} cases, ${fixesChecked} fixes applied, slowest analysis ${slowest.toFixed(0)} ms, no failure in ${seconds} s`,
  );
}

void main();
