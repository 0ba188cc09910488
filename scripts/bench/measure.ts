// In-process measurements for scripts/bench.mjs (bundled by it with esbuild): the parse-only
// floor over the same files, the parser against web-tree-sitter on those files (parse alone,
// and parse + copy into the array tree as the old runtime did), and single-file times for one
// large module.
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { defaultPolicy } from '../../server/src/config/defaults';
import {
  analyzeDocument,
  initParser,
  ParsedDocument,
  parsePython,
  WorkspaceIndex,
  type AnalyzeOptions,
} from '../../server/src/engine/api';
import {
  initTreeSitter,
  parseOnlyWithTreeSitter,
  parseWithTreeSitter,
} from '../../test/support/treeSitterOracle/treeSitterOracle';

interface Request {
  readonly files: readonly string[];
  readonly big: string;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const request = JSON.parse(fs.readFileSync(0, 'utf8')) as Request;
  await initParser();
  const texts = request.files.map((f) => fs.readFileSync(f, 'utf8'));

  // Floor: parse every file once with the same parser, nothing else.
  const t0 = performance.now();
  for (const text of texts) parsePython(text);
  const parseSeconds = (performance.now() - t0) / 1000;

  // The parser against tree-sitter on the same texts, interleaved rounds, best of three each.
  await initTreeSitter([__dirname]);
  const timeAll = (parse: (text: string) => unknown): number => {
    const start = performance.now();
    for (const t of texts) parse(t);
    return (performance.now() - start) / 1000;
  };
  const best = { ours: Infinity, treeSitter: Infinity, treeSitterConvert: Infinity };
  for (let round = 0; round < 3; round++) {
    best.ours = Math.min(best.ours, timeAll(parsePython));
    best.treeSitter = Math.min(best.treeSitter, timeAll(parseOnlyWithTreeSitter));
    best.treeSitterConvert = Math.min(best.treeSitterConvert, timeAll(parseWithTreeSitter));
  }
  // Analysis alone, with and without the XML pass, on the same trees (parsed once each,
  // untimed) and a complete index: what the pass adds. Two configurations: as `check` analyzes
  // (findings only) and as the editor does (hovers and fixes built when asked). The two runs
  // alternate their order per file and round, so that machine load hits both alike; the first
  // round warms the JIT up and is not counted; the median of the other rounds is reported.
  const fullIndex = new WorkspaceIndex();
  request.files.forEach((f, i) => fullIndex.setFile(pathToFileURL(f).href, texts[i] ?? ''));
  const trees = texts.map((t) => parsePython(t));
  const uris = request.files.map((f) => pathToFileURL(f).href);
  const configs: Record<string, AnalyzeOptions> = {
    check: { hovers: false, paths: false, fixes: 'none' },
    editor: { paths: 'lazy', fixes: 'lazy' },
  };
  const xmlRounds = 4;
  const xmlShare: Record<string, { withXml: number; withoutXml: number; added: number[] }> = {};
  for (const [name, options] of Object.entries(configs)) {
    const rounds: { withXml: number; withoutXml: number }[] = [];
    for (let round = 0; round < xmlRounds; round++) {
      const sums = { withXml: 0, withoutXml: 0 };
      texts.forEach((text, i) => {
        for (const xml of (i + round) % 2 ? [true, false] : [false, true]) {
          process.env.LIBVIRT_GATE_XML = xml ? 'on' : 'off';
          const start = performance.now();
          analyzeDocument({ uri: uris[i] ?? '', text, tree: trees[i] }, fullIndex, defaultPolicy, options);
          sums[xml ? 'withXml' : 'withoutXml'] += performance.now() - start;
        }
      });
      if (round > 0) rounds.push(sums);
    }
    const byAdded = [...rounds].sort((a, b) => a.withXml / a.withoutXml - b.withXml / b.withoutXml);
    const mid = byAdded[byAdded.length >> 1] ?? { withXml: NaN, withoutXml: NaN };
    xmlShare[name] = {
      withXml: mid.withXml / 1000,
      withoutXml: mid.withoutXml / 1000,
      added: rounds.map((r) => (r.withXml - r.withoutXml) / r.withoutXml),
    };
  }
  delete process.env.LIBVIRT_GATE_XML;
  // The XML features written, counted from the hovers (untimed).
  let xmlEmissions = 0;
  texts.forEach((text, i) => {
    const result = analyzeDocument({ uri: uris[i] ?? '', text, tree: trees[i] }, fullIndex, defaultPolicy, {
      paths: false,
      fixes: 'none',
    });
    xmlEmissions += result.hovers.filter((h) => h.kind === 'xml').length;
  });

  // One 15,000-line file: first analysis (parse + index + analyze), then warm repeats.
  const text = fs.readFileSync(request.big, 'utf8');
  const uri = pathToFileURL(request.big).href;
  const coldOnce = (): number => {
    const start = performance.now();
    const index = new WorkspaceIndex();
    const tree = parsePython(text);
    index.setFile(uri, text, tree);
    analyzeDocument({ uri, text, tree }, index, defaultPolicy);
    return performance.now() - start;
  };
  const firstCold = coldOnce();
  const cold = median(Array.from({ length: 5 }, coldOnce));
  const timeOne = (parse: (t: string) => unknown) => () => {
    const start = performance.now();
    parse(text);
    return performance.now() - start;
  };
  const bigParseMs = median(Array.from({ length: 7 }, timeOne(parsePython)));
  const bigTreeSitterMs = median(Array.from({ length: 7 }, timeOne(parseOnlyWithTreeSitter)));

  // Re-analysis after a one-line edit, with incremental re-parse.
  const index = new WorkspaceIndex();
  const doc = new ParsedDocument(text);
  index.setFile(uri, doc.text, doc.tree);
  analyzeDocument({ uri, text: doc.text, tree: doc.tree }, index, defaultPolicy);
  const editTimes: number[] = [];
  const middle = text.indexOf('\n', Math.floor(text.length / 2)) + 1;
  for (let k = 0; k < 7; k++) {
    const start = performance.now();
    doc.applyEdit(middle, middle, `x_${k} = ${k}\n`);
    index.setFile(uri, doc.text, doc.tree);
    analyzeDocument({ uri, text: doc.text, tree: doc.tree }, index, defaultPolicy);
    editTimes.push(performance.now() - start);
  }
  doc.dispose();
  process.stdout.write(
    JSON.stringify({
      parseSeconds,
      xmlShare,
      xmlEmissions,
      firstColdMs: firstCold,
      coldMs: cold,
      editMs: median(editTimes),
      bigLines: text.split('\n').length,
      parser: {
        oursSeconds: best.ours,
        treeSitterSeconds: best.treeSitter,
        treeSitterConvertSeconds: best.treeSitterConvert,
        bigParseMs,
        bigTreeSitterMs,
      },
    }),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
