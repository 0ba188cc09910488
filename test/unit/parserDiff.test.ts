// Differential tests: the hand-written parser against tree-sitter-python (the oracle) on every
// fixture, a generated driver tree, generated Python 2 modules and a sample of the machine's
// Python standard library; and the engine's findings and fixes with either parser's tree.
// The whole standard library is compared by `npm run test:parser-diff` (scripts/parser-diff.ts).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultPolicy } from '../../server/src/config/defaults';
import { analyzeDocument, WorkspaceIndex, type AnalysisResult } from '../../server/src/engine/api';
import { parseSource } from '../../server/src/engine/syntax/parser';
import type { SyntaxTree } from '../../server/src/engine/syntax/tree';
import {
  allFixtureFiles,
  fixturePolicy,
  fixturesDir,
  renderSnapshot,
  uriOf,
  workspaceFiles,
} from '../support/engineHarness';
import { compareWithOracle, initTreeSitter, parseWithTreeSitter, type Verdict } from '../support/parserDiff';
import { generatePython2 } from '../support/python2Gen';
import { pythonFiles, stdlibRoots } from '../support/stdlibFiles';
// @ts-expect-error plain JavaScript module without types
import { generateTree } from '../../scripts/bench/generate.mjs';

before(() => initTreeSitter());

/** Every .py under the fixtures, workspace folders included. */
function everyFixturePy(): string[] {
  return pythonFiles([fixturesDir]);
}

function expectSame(file: string, verdict: Verdict): void {
  assert.equal(
    verdict.kind,
    'same',
    `${file}: ${verdict.kind === 'differ' ? verdict.detail : verdict.kind === 'known' ? verdict.reason : 'tree-sitter fails on it'}`,
  );
}

test('every fixture: the same tree as tree-sitter (kinds, fields, spans, leaf text)', () => {
  const files = everyFixturePy();
  assert.ok(files.length >= 70, `${files.length} fixture files`);
  let broken = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const verdict = compareWithOracle(text);
    // A fixture that is invalid Python on purpose: both parsers must reject it.
    if (verdict.kind === 'oracle-error' && parseSource(text).problems.length > 0) {
      broken++;
      continue;
    }
    expectSame(file, verdict);
  }
  assert.ok(broken <= 3, `${broken} fixtures neither parser accepts`);
});

test('a generated driver tree: the same trees as tree-sitter', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-parserdiff-'));
  try {
    const generated = generateTree(root, { files: 24, bigFiles: 1, bigLines: 600, targetBytes: 200_000 }) as {
      files: string[];
    };
    for (const file of generated.files) expectSame(file, compareWithOracle(fs.readFileSync(file, 'utf8')));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('generated Python 2 modules: no problem, and the same trees as tree-sitter', () => {
  for (let seed = 1; seed <= 60; seed++) {
    const text = generatePython2(seed, 40);
    assert.deepEqual(parseSource(text).problems, [], `seed ${seed}`);
    expectSame(`python 2 seed ${seed}`, compareWithOracle(text));
  }
});

test('generated Python 2 modules with backticks: no problem; tree-sitter differs only there (as documented)', () => {
  let known = 0;
  for (let seed = 1; seed <= 30; seed++) {
    const text = generatePython2(seed, 40, { backticks: true });
    assert.deepEqual(parseSource(text).problems, [], `seed ${seed}`);
    const verdict = compareWithOracle(text);
    assert.ok(
      verdict.kind === 'same' || (verdict.kind === 'known' && /backticks/.test(verdict.reason)),
      `seed ${seed}: ${JSON.stringify(verdict)}`,
    );
    if (verdict.kind === 'known') known++;
  }
  assert.ok(known > 10, `${known} modules had backticks`);
});

test('a sample of the Python standard library: the same trees as tree-sitter, or a documented difference', () => {
  const files = pythonFiles(stdlibRoots()).filter((_, i) => i % 25 === 0);
  if (files.length === 0) return; // no Python on this machine: scripts/parser-diff.ts says so too
  const counts = { same: 0, known: 0, oracleError: 0 };
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const verdict = compareWithOracle(text);
    assert.notEqual(verdict.kind, 'differ', `${file}: ${verdict.kind === 'differ' ? verdict.detail : ''}`);
    if (verdict.kind === 'same') counts.same++;
    else if (verdict.kind === 'known') counts.known++;
    else counts.oracleError++;
  }
  assert.ok(counts.same > counts.known + counts.oracleError, JSON.stringify(counts));
});

/** The engine on a fixture, every file of its workspace parsed by `parse`. */
function analyzeWith(file: string, parse: (text: string) => SyntaxTree): AnalysisResult {
  const text = fs.readFileSync(file, 'utf8');
  const tree = parse(text);
  const index = new WorkspaceIndex();
  index.setFile(uriOf(file), text, tree);
  const extra = file.replace(/\.py$/, '.workspace');
  for (const f of workspaceFiles(extra)) {
    const other = fs.readFileSync(path.join(extra, f), 'utf8');
    index.setFile(uriOf(path.join(extra, f)), other, parse(other));
  }
  return analyzeDocument({ uri: uriOf(file), text, tree }, index, fixturePolicy(file));
}

test('the engine gives the same findings and fixes with either parser on every fixture', () => {
  for (const file of allFixtureFiles()) {
    const text = fs.readFileSync(file, 'utf8');
    assert.equal(
      renderSnapshot(text, analyzeWith(file, parseSource)),
      renderSnapshot(text, analyzeWith(file, parseWithTreeSitter)),
      file,
    );
  }
});

test('the engine gives the same findings and fixes with either parser on a generated driver tree', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-parserdiff-engine-'));
  try {
    const generated = generateTree(root, { files: 24, bigFiles: 1, bigLines: 600, targetBytes: 200_000 }) as {
      files: string[];
    };
    const files = [...generated.files].sort();
    const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
    const run = (parse: (text: string) => SyntaxTree): string[] => {
      const trees = texts.map(parse);
      const index = new WorkspaceIndex();
      files.forEach((f, i) => index.setFile(pathToFileURL(f).href, texts[i] ?? '', trees[i]));
      return files.map((f, i) =>
        renderSnapshot(
          texts[i] ?? '',
          analyzeDocument({ uri: pathToFileURL(f).href, text: texts[i] ?? '', tree: trees[i] }, index, defaultPolicy),
        ),
      );
    };
    const ours = run(parseSource);
    assert.ok(ours.some((s) => !s.startsWith('(no findings)')));
    assert.deepEqual(ours, run(parseWithTreeSitter));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
