// How many rows of the libvirt XML feature table the example drivers and the test fixtures
// exercise: each XML element, attribute or value the engine finds written is matched to its
// table row. A report for the issue tracker and the docs, not a test.
//   npm run xml:coverage
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadXmlFeatureDb } from '../server/src/data/loadXmlFeatureDb';
import { analyzeDocument, initParser, WorkspaceIndex } from '../server/src/engine/api';
import { allFixtureFiles, analyzeFixture, fixturePolicy } from '../test/support/engineHarness';
import { pythonFiles } from '../test/support/stdlibFiles';
import { examplePolicy } from '../test/support/examplePolicy';

type RowKey = string;
const keyOf = (p: string, attribute?: string, value?: string): RowKey => `${p}|${attribute ?? ''}|${value ?? ''}`;

function rowsWritten(results: Iterable<ReturnType<typeof analyzeDocument>>): Set<RowKey> {
  const out = new Set<RowKey>();
  for (const r of results)
    for (const h of r.hovers) if (h.kind === 'xml' && h.xml) out.add(keyOf(h.xml.path, h.xml.attribute, h.xml.value));
  return out;
}

function examples(root: string): ReturnType<typeof analyzeDocument>[] {
  const files = pythonFiles([root]);
  const index = new WorkspaceIndex();
  const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
  for (const [f, text] of texts) index.setFile(pathToFileURL(f).href, text);
  return files.map((f) =>
    analyzeDocument({ uri: pathToFileURL(f).href, text: texts.get(f) ?? '' }, index, examplePolicy),
  );
}

async function main(): Promise<void> {
  await initParser();
  const db = loadXmlFeatureDb();
  const dated = new Set(
    db
      .all()
      .filter((r) => r.dated)
      .map((r) => keyOf(r.path, r.attribute, r.value)),
  );
  const all = new Set(db.all().map((r) => keyOf(r.path, r.attribute, r.value)));
  const exampleRoot = path.join(__dirname, '..', 'examples');
  const fromExamples = rowsWritten(examples(exampleRoot));
  const fromFixtures = rowsWritten(allFixtureFiles().map((f) => analyzeFixture(f, fixturePolicy(f))));
  const both = new Set([...fromExamples, ...fromFixtures]);
  const count = (s: Set<RowKey>, of: Set<RowKey>): number => [...s].filter((k) => of.has(k)).length;
  console.log(`XML feature table: ${all.size} rows, ${dated.size} dated`);
  for (const [name, s] of [
    ['examples/', fromExamples],
    ['test fixtures', fromFixtures],
    ['together', both],
  ] as const) {
    console.log(
      `${name.padEnd(14)} ${String(count(s, all)).padStart(4)} rows written, ${String(count(s, dated)).padStart(4)} of them dated (${((count(s, dated) / dated.size) * 100).toFixed(1)} % of the dated rows)`,
    );
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
