// The full differential run (CI calls it; `npm test` compares only a sample): every .py of the
// machine's Python standard library and of the fixtures, parsed by the hand-written parser and
// by tree-sitter-python, compared node by node (kind, field, span, leaf text). Files where
// tree-sitter itself fails must still parse without throwing; documented differences
// (docs/parser.md) are counted apart. Each file's index summary read from its tokens must equal
// the one read from its tree (workspace/textSummary.ts). Exits 1 on any other difference or a throw.
//   npm run test:parser-diff [-- --verbose]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareWithOracle, initTreeSitter } from '../test/support/parserDiff';
import { pythonFiles, stdlibRoots } from '../test/support/stdlibFiles';
import { compareSummaries } from '../test/support/summaryDiff';
import { summaryOptionsFor } from '../server/src/engine/api';
import { examplePolicy } from '../test/support/examplePolicy';

async function main(): Promise<void> {
  await initTreeSitter();
  const verbose = process.argv.includes('--verbose');
  const roots = [...stdlibRoots(), path.join(__dirname, '..', 'test', 'fixtures')];
  const files = pythonFiles(roots);
  const reasons = new Map<string, number>();
  let same = 0;
  let oracleErrors = 0;
  let failed = 0;
  const summaries = { tokens: 0, tree: 0, 'syntax-error': 0 };
  const summaryOptions = summaryOptionsFor([examplePolicy]);
  const start = performance.now();
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    try {
      const verdict = compareWithOracle(text);
      if (verdict.kind === 'same') same++;
      else if (verdict.kind === 'oracle-error') oracleErrors++;
      else if (verdict.kind === 'known') {
        reasons.set(verdict.reason, (reasons.get(verdict.reason) ?? 0) + 1);
        if (verbose) console.log(`known: ${file}: ${verdict.reason}`);
      } else {
        failed++;
        console.log(`DIFFERS: ${file}\n${verdict.detail}\n`);
      }
      // The index summary read from tokens must be the tree's (textSummary.ts).
      const summary = compareSummaries(`file://${file}`, text, summaryOptions);
      if (summary.kind === 'differs') {
        failed++;
        console.log(`SUMMARY DIFFERS: ${file}\n${summary.detail}\n`);
      } else summaries[summary.kind]++;
    } catch (e) {
      failed++;
      console.log(`THROWS: ${file}: ${e instanceof Error ? e.stack : String(e)}\n`);
    }
  }
  const known = [...reasons.values()].reduce((a, b) => a + b, 0);
  console.log(
    `parser-diff: ${files.length} files under ${roots.join(', ')} in ${((performance.now() - start) / 1000).toFixed(1)} s`,
  );
  console.log(
    `  same tree: ${same}; documented differences: ${known}; tree-sitter fails (parsed without throwing): ${oracleErrors}`,
  );
  for (const [reason, count] of reasons) console.log(`    ${count} × ${reason}`);
  console.log(
    `  index summaries read from tokens: ${summaries.tokens}, each the same as the tree's` +
      ` (${summaries['syntax-error']} more with syntax errors, not compared; ${summaries.tree} left to the parser)`,
  );
  if (files.length < 100) console.log('  (few Python files on this machine: install python3 for a meaningful run)');
  console.log(`${same + known + oracleErrors} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

void main();
