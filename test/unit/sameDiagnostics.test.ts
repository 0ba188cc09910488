// "Unchanged" diagnostics reports rest on sameDiagnostics: it must never say "same" when
// toDiagnostics differs, and should say it whenever they agree. Every field of real findings is changed in turn (those the
// diagnostics do not show must not count, those they show must), so a field that the
// diagnostics start to show cannot be missed by the comparison.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { analyzeDocument, type Finding } from '../../server/src/engine/api';
import { sameDiagnostics, toDiagnostics } from '../../server/src/lsp/diagnostics';
import { examplePolicy } from '../support/examplePolicy';
import { fixtureAndExampleFiles } from '../support/pythonFiles';

const uri = 'file:///drv/driver.py';

/** A copy of a finding with one leaf changed, or one list made shorter or longer. */
interface Variant {
  readonly value: unknown;
  readonly list: boolean;
}

/** Every copy of `value` with one change: each leaf, and the length of each list. */
function variants(value: unknown): Variant[] {
  if (typeof value === 'string') return [{ value: `${value}x`, list: false }];
  if (typeof value === 'number') return [{ value: value + 1, list: false }];
  if (typeof value === 'boolean') return [{ value: !value, list: false }];
  if (Array.isArray(value)) {
    const out: Variant[] = value.length
      ? [
          { value: value.slice(1), list: true },
          { value: [...value, value[0]], list: true },
        ]
      : [];
    value.forEach((item, i) => {
      for (const v of variants(item)) out.push({ ...v, value: value.map((x, j) => (j === i ? v.value : x)) });
    });
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Variant[] = [];
    for (const [k, item] of Object.entries(value))
      for (const v of variants(item)) out.push({ ...v, value: { ...value, [k]: v.value } });
    return out;
  }
  return [];
}

const shown = (f: Finding): string => JSON.stringify(toDiagnostics(uri, [f], examplePolicy));

test('sameDiagnostics: never the same when toDiagnostics differs, field by field; rarely different when it agrees', () => {
  const findings = fixtureAndExampleFiles().flatMap(
    (file) => analyzeDocument({ uri, text: fs.readFileSync(file, 'utf8') }, undefined, examplePolicy).findings,
  );
  assert.ok(findings.length > 100, `${findings.length} findings`);
  const seen = new Set<string>();
  let checked = 0;
  let differing = 0;
  let agreeing = 0;
  const overcautious: string[] = [];
  for (const f of findings) {
    // One finding per shape (rule, message, with related information or guards or not) is enough.
    const shape = `${f.code}/${f.messageId}/${f.related.length > 0}/${f.guards.length > 0}/${f.unnecessary.length > 0}`;
    if (seen.has(shape)) continue;
    seen.add(shape);
    assert.ok(sameDiagnostics([f], [f]));
    for (const v of variants(f)) {
      const g = v.value as Finding;
      const same = shown(f) === shown(g);
      const judged = sameDiagnostics([f], [g]);
      // Never "same" when they differ. "Different" when they agree happens only where the
      // diagnostics list a guard once (a repeated guard, or one the related information
      // names): a full report then, still right.
      if (judged) assert.ok(same, `${f.code} ${JSON.stringify(g)}`);
      else if (same) overcautious.push(`${v.list ? 'list' : 'leaf'} ${JSON.stringify(g.guards)}`);
      checked++;
      if (!same) differing++;
      else agreeing++;
    }
  }
  assert.ok(overcautious.length * 20 < agreeing, `${overcautious.length} of ${agreeing}:\n${overcautious.join('\n')}`);
  assert.ok(checked > 500 && differing > 50, `${checked} variants, ${differing} shown differently`);
  assert.ok(!sameDiagnostics(findings, findings.slice(1)));
});
