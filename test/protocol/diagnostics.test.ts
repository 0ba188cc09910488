// Diagnostics over the wire: exact findings for a fixture, resultIds, incremental edits
// (a guard added by didChange; 200 rapid edits, and random ones, equal a fresh open),
// workspace and push modes.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { TestClient, fixtureUri, fixturesDir, readFixture, summarize, type Pos } from './harness';

const folder = path.join(fixturesDir, 'driver-ws');
const driverUri = fixtureUri('driver-ws', 'nova_like', 'driver.py');
const driverText = readFixture('driver-ws', 'nova_like', 'driver.py');

/** `line code/messageId` (1-based line), with the Unnecessary hints marked: what the fixture must give. */
const expectedDriver = [
  '12 LVG001/untestedUse',
  '12 LVG002/unguarded', // unguarded interfaceAddresses: too new and untested
  '15 LVG001/untestedBranch', // checked, but the branch is class C
  '20 LVG004/obsoleteDeadBranch',
  '22 LVG004/obsoleteDeadBranch unnecessary', // obsolete check; its else-branch is dead
];

type BriefDiagnostic = { range: { start: Pos }; code?: number | string; tags?: number[]; data?: unknown };

function messageIdOf(d: BriefDiagnostic): string {
  const data = d.data as { messageId?: unknown } | undefined;
  return typeof data?.messageId === 'string' ? data.messageId : '?';
}

function brief(diags: readonly BriefDiagnostic[]): string[] {
  return diags
    .map(
      (d) =>
        `${d.range.start.line + 1} ${String(d.code)}/${messageIdOf(d)}${d.tags?.includes(1) ? ' unnecessary' : ''}`,
    )
    .sort();
}

async function started(pull = true): Promise<TestClient> {
  const client = new TestClient({ folder, pull });
  await client.initialize();
  return client;
}

test('the fixture gives exactly the findings of the spec, with docs links, related info and tags', async () => {
  const client = await started();
  await client.open(driverUri, driverText);
  const diags = await client.diagnostics(driverUri);
  assert.deepEqual(brief(diags), expectedDriver);
  for (const d of diags) {
    assert.equal(d.source, 'libvirt-gate');
    assert.equal(
      d.codeDescription?.href,
      `https://github.com/libvirt-gate/libvirt-gate/blob/main/docs/rules/${String(d.code)}.md`,
    );
  }
  const lvg002 = diags.find((d) => d.code === 'LVG002');
  assert.deepEqual(lvg002?.range, { start: { line: 11, character: 19 }, end: { line: 11, character: 37 } });
  assert.equal(lvg002?.severity, 1); // LVG002 defaults to error: the call fails on older hosts
  assert.equal(diags.find((d) => d.code === 'LVG001')?.severity, 2);
  const dead = diags.find((d) => d.tags?.includes(1));
  assert.equal(dead?.severity, 4);
  assert.equal(dead?.relatedInformation?.[0].location.uri, driverUri);
  assert.equal(await client.shutdown(), 0);
});

test('severity overrides from the config apply to the diagnostics', async () => {
  const client = new TestClient({ folder, settings: { severity: { LVG002: 'info' } } });
  await client.initialize();
  // Settings sit under the file, which sets no severity: the setting applies.
  await client.open(driverUri, driverText);
  const diags = await client.diagnostics(driverUri);
  assert.equal(diags.find((d) => d.code === 'LVG002')?.severity, 3);
  assert.equal(diags.find((d) => d.code === 'LVG001')?.severity, 2);
  assert.equal(await client.shutdown(), 0);
});

test('resultId: unchanged while the diagnostics are; an edit that moves them gives a new full report', async () => {
  const client = await started();
  await client.open(driverUri, driverText);
  const first = await client.pullDiagnostics(driverUri);
  assert.equal(first.kind, 'full');
  assert.ok(first.resultId);
  const unchanged = { kind: 'unchanged', resultId: first.resultId };
  assert.deepEqual(await client.pullDiagnostics(driverUri, first.resultId), unchanged);
  // Typing a comment on a line without findings, and a line break below the last finding
  // (above a suppressed one): analyzed again, the same diagnostics, so still "unchanged".
  const insert = (line: number, character: number, text: string) => ({
    range: { start: { line, character }, end: { line, character } },
    text,
  });
  await client.change(driverUri, 2, [insert(10, 29, '  # typing')]);
  assert.deepEqual(await client.pullDiagnostics(driverUri, first.resultId), unchanged);
  await client.change(driverUri, 3, [insert(25, 0, '\n')]);
  assert.deepEqual(await client.pullDiagnostics(driverUri, first.resultId), unchanged);
  // A line break above the findings moves every one of them.
  await client.change(driverUri, 4, [insert(1, 0, '\n')]);
  const second = await client.pullDiagnostics(driverUri, first.resultId);
  assert.equal(second.kind, 'full');
  assert.notEqual(second.resultId, first.resultId);
  assert.deepEqual(
    brief(second.items ?? []),
    expectedDriver.map((d) => d.replace(/^\d+/, (line) => String(Number(line) + 1))),
  );
  assert.deepEqual(await client.pullDiagnostics(driverUri, second.resultId), {
    kind: 'unchanged',
    resultId: second.resultId,
  });
  // A client that missed the last report (it still holds the first) gets it in full.
  assert.equal((await client.pullDiagnostics(driverUri, first.resultId)).kind, 'full');
  assert.equal(await client.shutdown(), 0);
});

test('didChange that adds a version check removes the LVG002', async () => {
  const client = await started();
  await client.open(driverUri, driverText);
  assert.ok(brief(await client.diagnostics(driverUri)).includes('12 LVG002/unguarded'));
  // Line 12 (0-based 11): `        return dom.interfaceAddresses(0)` → guarded by the check.
  await client.change(driverUri, 2, [
    {
      range: { start: { line: 11, character: 0 }, end: { line: 11, character: 8 } },
      text: '        if self._host.has_min_version(MIN_LIBVIRT_IFACE_ADDR_VERSION):\n            ',
    },
  ]);
  const after = brief(await client.diagnostics(driverUri));
  assert.ok(!after.some((d) => d.includes(' LVG002/')), after.join('\n'));
  assert.ok(after.includes('12 LVG001/untestedBranch'), after.join('\n')); // the check is still untested
  assert.equal(await client.shutdown(), 0);
});

/** The position of an offset in a text. */
function positionIn(text: string, offset: number): Pos {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** The edited driver's diagnostics equal those of its final text opened fresh; then the client stops. */
async function assertSameAsFreshOpen(client: TestClient, finalText: string): Promise<void> {
  const incremental = summarize(await client.diagnostics(driverUri));
  const freshUri = fixtureUri('driver-ws', 'nova_like', 'driver_fresh.py');
  await client.open(freshUri, finalText);
  const fresh = summarize(await client.diagnostics(freshUri));
  assert.ok(incremental.length > 0, 'the edits leave findings to compare');
  assert.deepEqual(incremental, fresh);
  assert.equal(await client.shutdown(), 0);
}

/**
 * Typing a method at the end of the file, one character per edit, with some backspaces; every
 * tenth notification also inserts and removes a character mid-file in one batch (the ranges of
 * a batch are relative to the text after the previous change).
 */
function* rapidEdits(
  initial: string,
  count: number,
): Generator<{ changes: { range: { start: Pos; end: Pos }; text: string }[]; text: string }> {
  const snippet =
    '\n    def typed(self, dom):\n        dom.fsFreeze()\n        flags = libvirt.VIR_MIGRATE_POSTCOPY\n        return dom.interfaceAddresses(flags)\n';
  let text = initial;
  let typed = 0;
  let seed = 42;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const pos = (offset: number): Pos => positionIn(text, offset);
  const apply = (start: number, end: number, newText: string): { range: { start: Pos; end: Pos }; text: string } => {
    const change = { range: { start: pos(start), end: pos(end) }, text: newText };
    text = text.slice(0, start) + newText + text.slice(end);
    return change;
  };
  for (let i = 0; i < count; i++) {
    const changes = [];
    const remaining = count - i;
    const backspace = typed > 0 && rand(5) === 0 && remaining > snippet.length - typed + 2;
    if (backspace) {
      changes.push(apply(text.length - 1, text.length, ''));
      typed--;
    } else if (typed < snippet.length) {
      changes.push(apply(text.length, text.length, snippet[typed]));
      typed++;
    }
    if (i % 10 === 9 || changes.length === 0) {
      const at = rand(initial.length);
      changes.push(apply(at, at, 'x'));
      changes.push(apply(at, at + 1, ''));
    }
    yield { changes, text };
  }
  if (typed !== snippet.length) throw new Error('edit script did not finish typing');
}

test('200 rapid edits end with the same diagnostics as a fresh open of the final text', async () => {
  const client = await started();
  await client.open(driverUri, driverText);
  await client.diagnostics(driverUri);
  let version = 1;
  let finalText = driverText;
  const pending: Promise<unknown>[] = [];
  for (const edit of rapidEdits(driverText, 200)) {
    pending.push(client.change(driverUri, ++version, edit.changes));
    // Like an editor: a pull after some edits, without waiting for it.
    if (version % 7 === 0) pending.push(client.pullDiagnostics(driverUri).catch(() => undefined));
    finalText = edit.text;
  }
  await Promise.all(pending);
  await assertSameAsFreshOpen(client, finalText);
});

test('random edits anywhere, with pulls between, end with the diagnostics of a fresh open', async () => {
  // Nine copies of the fixture's class: large enough that an edit is parsed again alone.
  const classText = driverText.slice(driverText.indexOf('class Driver'));
  const initial =
    driverText + [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `\n\n${classText.replace('Driver', `Driver${n}`)}`).join('');
  const client = await started();
  await client.open(driverUri, initial);
  await client.diagnostics(driverUri);
  let seed = 20261202;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  let text = initial;
  let version = 1;
  const pos = (offset: number): Pos => positionIn(text, offset);
  const edit = async (start: number, end: number, insert: string): Promise<void> => {
    await client.change(driverUri, ++version, [{ range: { start: pos(start), end: pos(end) }, text: insert }]);
    text = text.slice(0, start) + insert + text.slice(end);
    await client.pullDiagnostics(driverUri);
  };
  const snippets = [
    'x',
    ' ',
    '\n',
    '(',
    ')',
    ':',
    '#',
    "'",
    'dom.fsFreeze()',
    '\n    def m(self):\n        return 1\n',
  ];
  for (let step = 0; step < 60; step++) {
    // A statement before a random line, at its indentation (not before an else or except:
    // that would break the code), or a random snippet anywhere, taken out by the next edit.
    const lines = text.split('\n');
    const line = rand(lines.length);
    const current = lines[line] ?? '';
    const offset = lines.slice(0, line).join('\n').length + (line ? 1 : 0);
    if (rand(2) === 0 && current.trim() && !/^\s*(else|elif|except|finally)\b/.test(current)) {
      const indent = /^\s*/.exec(current)?.[0] ?? '';
      await edit(offset, offset, `${indent}n${step} = dom.fsFreeze()\n`);
    } else {
      const at = rand(text.length + 1);
      const snippet = snippets[rand(snippets.length)] ?? 'x';
      await edit(at, at, snippet);
      await edit(at, at + snippet.length, '');
    }
  }
  await assertSameAsFreshOpen(client, text);
});

test('workspace/diagnostic reports files that are not open, then unchanged', async () => {
  const client = await started();
  await client.indexed();
  await client.open(driverUri, driverText);
  type Report = {
    items: {
      uri: string;
      kind: string;
      resultId?: string;
      items?: { code?: string | number; range: { start: Pos } }[];
    }[];
  };
  const report = (await client.connection.sendRequest('workspace/diagnostic', { previousResultIds: [] })) as Report;
  const byUri = new Map(report.items.map((i) => [i.uri, i]));
  assert.ok(!byUri.has(driverUri), 'open documents are pulled per document');
  assert.deepEqual(brief(byUri.get(fixtureUri('driver-ws', 'nova_like', 'migration.py'))?.items ?? []), [
    '5 LVG001/untestedUse',
    '5 LVG002/unguarded',
  ]);
  assert.deepEqual(byUri.get(fixtureUri('driver-ws', 'nova_like', 'clean.py'))?.items, []);
  const again = (await client.connection.sendRequest('workspace/diagnostic', {
    previousResultIds: report.items.map((i) => ({ uri: i.uri, value: i.resultId })),
  })) as Report;
  assert.ok(again.items.every((i) => i.kind === 'unchanged'));
  assert.equal(await client.shutdown(), 0);
});

test('push mode publishes the same diagnostics as pull mode', async () => {
  const pullClient = await started(true);
  await pullClient.open(driverUri, driverText);
  const pulled = summarize(await pullClient.diagnostics(driverUri));
  await pullClient.shutdown();
  const pushClient = await started(false);
  await pushClient.open(driverUri, driverText);
  await pushClient.waitFor('pushed diagnostics', () => pushClient.pushed.has(driverUri));
  assert.deepEqual(summarize(pushClient.pushed.get(driverUri)?.diagnostics ?? []), pulled);
  // An edit re-publishes, with the new version.
  await pushClient.change(driverUri, 2, [
    { range: { start: { line: 11, character: 0 }, end: { line: 12, character: 0 } }, text: '' },
  ]);
  await pushClient.waitFor('re-published', () => pushClient.pushed.get(driverUri)?.version === 2);
  assert.ok(!brief(pushClient.pushed.get(driverUri)?.diagnostics ?? []).includes('12 LVG002/unguarded'));
  assert.equal(await pushClient.shutdown(), 0);
});
