// Fixes built when first read (the editor's 'lazy' timing) are the fixes built with the
// finding ('eager', the CLI's), on every fixture: same findings, same fixes, same order; a
// lazy finding's fixes are a getter that builds them once.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { allFixtureFiles, analyzeFixture, fixturesDir, ready } from '../support/engineHarness';
import { ruleByCode } from '../../server/src/engine/rules/registry';

before(ready);

test('lazy fixes equal eager fixes on every fixture, and are built once, when read', () => {
  let findings = 0;
  let fixes = 0;
  let noneYet = 0;
  for (const file of allFixtureFiles()) {
    const name = path.relative(fixturesDir, file);
    const eager = analyzeFixture(file, undefined, undefined, undefined, { fixes: 'eager' });
    const lazy = analyzeFixture(file, undefined, undefined, undefined, { fixes: 'lazy' });
    assert.equal(lazy.findings.length, eager.findings.length, name);
    for (const f of lazy.findings) {
      // Behind its class's getter (a file with a syntax error gets plain findings, no fixes);
      // the finding's other fields are its own, as a plain finding's, in the same order.
      const own = Object.getOwnPropertyDescriptor(f, 'fixes');
      const inherited = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(f), 'fixes');
      if (!own && inherited?.get) noneYet++;
    }
    const ownKeys = (f: object, withFixes: boolean): string[] =>
      Object.keys(f).filter((k) => withFixes || k !== 'fixes');
    lazy.findings.forEach((f, i) => {
      const e = eager.findings[i];
      const plain = Object.getOwnPropertyDescriptor(f, 'fixes') !== undefined;
      if (e) assert.deepEqual(ownKeys(f, plain), ownKeys(e, plain), `${name}: keys of finding ${i}`);
    });
    // Read in reverse order: building one finding's fixes must not depend on another's.
    for (const f of [...lazy.findings].reverse()) void f.fixes;
    assert.deepEqual(JSON.parse(JSON.stringify(lazy.findings)), JSON.parse(JSON.stringify(eager.findings)), name);
    for (const f of lazy.findings) {
      // Built once: the value stays (code actions ask again and again).
      assert.equal(f.fixes, f.fixes, name);
    }
    findings += eager.findings.length;
    fixes += eager.findings.reduce((n, f) => n + f.fixes.length, 0);
  }
  // The comparison covers enough to mean something.
  assert.ok(findings >= 250, `${findings} findings`);
  assert.ok(fixes >= 500, `${fixes} fixes`);
  assert.ok(noneYet >= 250, `${noneYet} findings had their fixes behind a getter`);
});

test("'none' (the CLI's text and GitHub reports): the same findings, without fixes", () => {
  let findings = 0;
  for (const file of allFixtureFiles()) {
    const name = path.relative(fixturesDir, file);
    const eager = analyzeFixture(file, undefined, undefined, undefined, { fixes: 'eager' });
    const none = analyzeFixture(file, undefined, undefined, undefined, { fixes: 'none' });
    assert.deepEqual(
      none.findings,
      eager.findings.map((f) => ({ ...f, fixes: [] })),
      name,
    );
    findings += none.findings.length;
  }
  assert.ok(findings >= 250, `${findings} findings`);
});

test("every fixture's fixes are of kinds their rule declares, and the safe ones (suppressions aside) of its fix-all kinds", () => {
  let safe = 0;
  for (const file of allFixtureFiles()) {
    const name = path.relative(fixturesDir, file);
    for (const f of analyzeFixture(file, undefined, undefined, undefined, { fixes: 'eager' }).findings) {
      const rule = ruleByCode(f.code);
      assert.ok(rule, `${name}: ${f.code}`);
      for (const fix of f.fixes) {
        assert.ok(rule.fixKinds.includes(fix.kind), `${name}: ${f.code} fix '${fix.title}' of kind ${fix.kind}`);
        if (!fix.safe || fix.kind === 'suppress') continue;
        // Fix-all in the editor reads only these rules' fixes: a safe fix of another kind would be skipped.
        assert.ok(rule.fixAllKinds.includes(fix.kind), `${name}: ${f.code} safe fix of kind ${fix.kind}`);
        safe++;
      }
    }
  }
  assert.ok(safe >= 10, `${safe} safe fixes`);
});

test('lazy findings keep fast properties (a getter per finding made V8 keep each in a dictionary)', () => {
  // Not a timing: whether V8 stores the fields in place. Dictionary-mode findings made every
  // reader slow (comparing a 15,000-line file's diagnostics per keystroke: 2–8 ms instead of 0.3).
  v8.setFlagsFromString('--allow-natives-syntax');
  const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: unknown) => boolean;
  let checked = 0;
  for (const file of allFixtureFiles()) {
    for (const f of analyzeFixture(file, undefined, undefined, undefined, { fixes: 'lazy' }).findings) {
      assert.ok(
        hasFastProperties(f),
        `${path.relative(fixturesDir, file)}: ${f.code} at line ${f.range.start.line + 1}`,
      );
      checked++;
    }
  }
  assert.ok(checked >= 250, `${checked} findings`);
});
