// Prints what the end-to-end tests expect for test/e2e/workspace, computed by the engine the
// way the language server runs it (policy from the fixture's pyproject.toml, an index of every
// fixture file). The tests hard-code these values (test/e2e/suite/expected.js); run this after
// changing a fixture or the engine's wording, and compare:
//
//   node --import tsx scripts/e2e/print-expected.ts
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument, applyTextEdits, initParser, WorkspaceIndex } from '../../server/src/engine/api';
import { resolvePolicyForFile } from '../../server/src/config/loadConfig';
import { fixAllEdits } from '../../server/src/lsp/codeActions';

const ws = path.join(__dirname, '..', '..', 'test', 'e2e', 'workspace');

async function main(): Promise<void> {
  await initParser();
  const files = fs
    .readdirSync(path.join(ws, 'driver'))
    .filter((f) => f.endsWith('.py'))
    .sort()
    .map((f) => path.join(ws, 'driver', f));
  const index = new WorkspaceIndex();
  for (const f of files) index.setFile(`file://${f}`, fs.readFileSync(f, 'utf8'));
  const out: Record<string, unknown> = {};
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    const { policy } = resolvePolicyForFile(f);
    const result = analyzeDocument({ uri: `file://${f}`, text }, index, policy);
    const rel = path.relative(ws, f);
    // The shape of expected.js: one entry per VS Code diagnostic (a finding, plus one
    // "unnecessary" hint per dead range), in the order the suite sorts them.
    const severityRank = { error: 0, warning: 1, info: 2, hint: 3 } as const;
    const diagnostics = result.findings
      .flatMap((d) => [
        {
          code: d.code,
          severity: d.severity,
          range: [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
          unnecessary: false,
        },
        ...d.unnecessary.map((r) => ({
          code: d.code,
          severity: 'hint' as const,
          range: [r.start.line, r.start.character, r.end.line, r.end.character],
          unnecessary: true,
        })),
      ])
      .sort(
        (a, b) =>
          a.range[0] - b.range[0] ||
          a.range[1] - b.range[1] ||
          a.code.localeCompare(b.code) ||
          severityRank[a.severity] - severityRank[b.severity],
      );
    out[rel] = {
      diagnostics,
      findings: result.findings.map((d) => ({
        code: d.code,
        message: d.message,
        supportClass: d.supportClass ?? null,
        fixes: d.fixes.map((x) => ({ title: x.title, safe: x.safe, result: applyTextEdits(text, x.edits) })),
      })),
      fixAll: applyTextEdits(text, fixAllEdits(result.findings)),
      // expected.matrix.pathLines: the 1-based lines the support matrix's rows of this file start on.
      matrixPathLines: [...new Set(result.paths.map((p) => p.range.start.line + 1))].sort((a, b) => a - b),
      matrixPaths: result.paths.length,
    };
  }
  console.log(JSON.stringify(out, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
