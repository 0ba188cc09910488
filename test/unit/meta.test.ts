// Keeps the rule registry, the docs and the fixtures in step: every rule has a docs page
// with the sections users rely on, and fixtures that exercise it.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rules } from '../../server/src/engine/api';
import { allFixtureFiles, analyzeFixture, fixturePolicy, ready } from '../support/engineHarness';

const root = path.join(__dirname, '..', '..');

before(ready);

/** `CODE/messageId` of every finding over all fixtures (rules run with their fixture's policy, all rules selected). */
let reportedCache: Set<string> | undefined;
function reportedMessageIds(): Set<string> {
  if (reportedCache) return reportedCache;
  reportedCache = new Set();
  for (const file of allFixtureFiles()) {
    const policy = { ...fixturePolicy(file), select: rules.map((r) => r.code) };
    for (const f of analyzeFixture(file, policy).findings) reportedCache.add(`${f.code}/${f.messageId}`);
  }
  return reportedCache;
}

test('rule codes are unique, ordered, and named in kebab-case', () => {
  const codes = rules.map((r) => r.code);
  assert.deepEqual(codes, [...codes].sort());
  assert.equal(new Set(codes).size, codes.length);
  for (const r of rules) assert.match(r.name, /^[a-z]+(-[a-z]+)*$/, r.code);
});

for (const rule of rules) {
  test(`${rule.code} has a docs page with what/why/example/fix sections`, () => {
    const file = path.join(root, 'docs', 'rules', `${rule.code}.md`);
    assert.ok(fs.existsSync(file), `missing ${file}`);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, new RegExp(`^# ${rule.code}: ${rule.name}`, 'm'));
    for (const section of ['## What it does', '## Why is this bad?', '## Example'])
      assert.ok(text.includes(section), `${rule.code}: no "${section}"`);
    assert.ok(/## (Use instead|How to fix)/.test(text), `${rule.code}: no fix section`);
  });

  test(`${rule.code} lists each of its message ids in its docs page, and every id is reported by some fixture`, () => {
    const text = fs.readFileSync(path.join(root, 'docs', 'rules', `${rule.code}.md`), 'utf8');
    const section = text.slice(text.indexOf('## Messages'));
    assert.ok(text.includes('## Messages'), `${rule.code}: no "## Messages" section`);
    for (const id of Object.keys(rule.messages))
      assert.ok(section.includes(`| \`${id}\` |`), `${rule.code}: message ${id} not in the docs`);
    for (const template of Object.values(rule.messages))
      assert.doesNotMatch(template, /\{\{(?!\w+\}\})/, `${rule.code}: malformed template ${template}`);
    const reported = reportedMessageIds();
    for (const id of Object.keys(rule.messages))
      assert.ok(reported.has(`${rule.code}/${id}`), `${rule.code}: no fixture reports message ${id}`);
  });

  test(`${rule.code} has fixtures, and some fixture reports it`, () => {
    const dir = path.join(root, 'test', 'fixtures', 'rules', rule.code);
    assert.ok(fs.existsSync(dir), `missing ${dir}`);
    const snaps = fs.readdirSync(dir).filter((f) => f.endsWith('.snap'));
    assert.ok(snaps.length >= 2, `${rule.code}: fewer than 2 fixtures`);
    assert.ok(
      snaps.some((f) => fs.readFileSync(path.join(dir, f), 'utf8').includes(` ${rule.code} `)),
      `${rule.code}: no fixture reports it`,
    );
  });
}

test("nothing at run time imports web-tree-sitter or tree-sitter-python (they are the tests' oracle)", () => {
  const offenders: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (
        /\.(ts|js|mjs)$/.test(entry.name) &&
        /from '(web-tree-sitter|tree-sitter-python)|require\('(web-tree-sitter|tree-sitter-python)/.test(
          fs.readFileSync(file, 'utf8'),
        )
      )
        offenders.push(path.relative(root, file));
    }
  };
  for (const dir of ['server/src', 'client/src']) walk(path.join(root, dir));
  assert.deepEqual(offenders, []);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  assert.ok(!('web-tree-sitter' in pkg.dependencies) && !('tree-sitter-python' in pkg.dependencies));
});
