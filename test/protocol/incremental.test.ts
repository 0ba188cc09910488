// What the server reuses between edits: an analysis stays valid while the facts it read of
// other files hold (an edit elsewhere that changes nothing it read leaves it unchanged), and
// hover answers from the last analysis while typing, outside the lines the edits changed
// (lines after them read where they moved to).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TextEdit } from 'vscode-languageserver-protocol';
import { TestClient, applyEdits } from './harness';

const helpersText = ['def has_freeze(host):', '    return host.has_min_version((1, 2, 5))', ''].join('\n');
const driverText = [
  'import libvirt',
  'from helpers import has_freeze',
  '',
  '',
  'def freeze(host, dom):',
  '    if has_freeze(host):',
  '        dom.fsFreeze()',
  '',
].join('\n');

async function workspace(): Promise<{ client: TestClient; folder: string; uriOf: (name: string) => string }> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-incremental-'));
  fs.writeFileSync(path.join(folder, '.libvirt-gate.toml'), 'min-version = "1.0.0"\n');
  fs.writeFileSync(path.join(folder, 'helpers.py'), helpersText);
  fs.writeFileSync(path.join(folder, 'driver.py'), driverText);
  const client = new TestClient({ folder });
  await client.initialize();
  await client.indexed();
  return { client, folder, uriOf: (name) => pathToFileURL(path.join(folder, name)).toString() };
}

const at = (line: number, character: number) => ({ start: { line, character }, end: { line, character } });

/** A workspace with driver.py open as `lines` and its diagnostics pulled (none expected). */
async function openDriver(lines: readonly string[]) {
  const ws = await workspace();
  const driver = ws.uriOf('driver.py');
  await ws.client.open(driver, lines.join('\n'));
  assert.deepEqual(await ws.client.diagnostics(driver), []);
  return { ...ws, driver };
}

/** The hover at column 14 of a line: its third paragraph (where the code runs) and the line of its range. */
async function runsHere(client: TestClient, uri: string, line: number): Promise<{ text: string; line?: number }> {
  const hover = (await client.connection.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: { line, character: 14 },
  })) as { contents: { value: string }; range?: { start: { line: number } } } | null;
  return {
    text: hover?.contents.value.split('\n\n')[2] ?? '',
    ...(hover?.range ? { line: hover.range.start.line } : {}),
  };
}

test('an edit of another file re-analyzes a document only when a fact it read changed', async () => {
  const { client, folder, uriOf } = await workspace();
  const driver = uriOf('driver.py');
  const helpers = uriOf('helpers.py');
  await client.open(driver, driverText);
  await client.open(helpers, helpersText);
  const first = await client.pullDiagnostics(driver);
  assert.deepEqual(first.items, []);

  // A new function in helpers.py changes its summary, not what driver.py asked of it.
  // (Pulling driver.py's diagnostics brings helpers.py's index entry up to date first.)
  await client.change(helpers, 2, [{ range: at(2, 0), text: '\ndef unrelated():\n    return 1\n' }]);
  await client.pullDiagnostics(helpers);
  const second = await client.pullDiagnostics(driver, first.resultId);
  assert.deepEqual(second, { kind: 'unchanged', resultId: first.resultId });

  // The helper stops returning a check: driver.py read that, so it is analyzed again.
  await client.change(helpers, 3, [
    { range: { start: { line: 1, character: 11 }, end: { line: 1, character: 42 } }, text: 'True' },
  ]);
  await client.pullDiagnostics(helpers);
  const third = await client.pullDiagnostics(driver, first.resultId);
  assert.equal(third.kind, 'full');
  assert.notEqual(third.resultId, first.resultId);
  assert.deepEqual(
    third.items?.map((d) => `${d.range.start.line}:${d.range.start.character} ${String(d.code)}`),
    ['6:12 LVG002'],
  );
  assert.equal(await client.shutdown(), 0);
  fs.rmSync(folder, { recursive: true, force: true });
});

test('hover while typing answers from the last analysis when lines stayed in place, else from a new one', async () => {
  const { client, folder, driver } = await openDriver([
    'import libvirt',
    '',
    '',
    'def freeze(host, dom):',
    '    if host.has_min_version((1, 2, 5)):',
    '        dom.fsFreeze()',
    '',
  ]);
  const hoverAt = async (line: number): Promise<string> => (await runsHere(client, driver, line)).text;
  assert.equal(await hoverAt(5), 'Runs here on libvirt [1.2.5, ∞) because of `has_min_version((1, 2, 5))` at line 5.');

  // The guard's version changes within its line, no pull yet: the last analysis answers.
  await client.change(driver, 2, [
    { range: { start: { line: 4, character: 35 }, end: { line: 4, character: 36 } }, text: '9' },
  ]);
  assert.equal(await hoverAt(5), 'Runs here on libvirt [1.2.5, ∞) because of `has_min_version((1, 2, 5))` at line 5.');

  // A line break above, with the guard's line changed since the last analysis: where the guard
  // is now is not known from it, so the hover waits for the analysis of the current text.
  await client.change(driver, 3, [{ range: at(3, 0), text: '\n' }]);
  assert.equal(await hoverAt(6), 'Runs here on libvirt [1.2.9, ∞) because of `has_min_version((1, 2, 9))` at line 6.');
  // On a changed line itself it waits too.
  await client.change(driver, 4, [
    { range: { start: { line: 5, character: 35 }, end: { line: 5, character: 36 } }, text: '8' },
  ]);
  const onChangedLine = (await client.connection.sendRequest('textDocument/hover', {
    textDocument: { uri: driver },
    position: { line: 5, character: 12 },
  })) as { contents: { value: string } } | null;
  assert.match(onChangedLine?.contents.value ?? '', /^Version check: libvirt ≥ 1\.2\.8/);
  assert.equal(await client.shutdown(), 0);
  fs.rmSync(folder, { recursive: true, force: true });
});

test('hover while typing where the last analysis had nothing answers nothing, without analyzing', async () => {
  const { client, folder, driver } = await openDriver([
    'import os as lv',
    '',
    '',
    'def flags():',
    '    return lv.VIR_MIGRATE_POSTCOPY',
    '',
  ]);
  const hover = () =>
    client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: driver },
      position: { line: 4, character: 16 },
    }) as Promise<{ contents: { value: string } } | null>;
  assert.equal(await hover(), null);
  // The module becomes libvirt: the constant is libvirt's now, but until an analysis of the
  // current text (the pull after the edit) the hover answers from the last one, on a line the
  // edit left alone.
  await client.change(driver, 2, [
    { range: { start: { line: 0, character: 7 }, end: { line: 0, character: 9 } }, text: 'libvirt' },
  ]);
  assert.equal(await hover(), null);
  await client.diagnostics(driver);
  assert.match((await hover())?.contents.value ?? '', /VIR_MIGRATE_POSTCOPY/);
  assert.equal(await client.shutdown(), 0);
  fs.rmSync(folder, { recursive: true, force: true });
});

test('hover while typing answers from the last analysis below added lines, moved with them', async () => {
  const { client, folder, driver } = await openDriver([
    'import libvirt',
    '',
    'MIN_FREEZE = (1, 2, 5)',
    '',
    '',
    'def freeze(host, dom):',
    '    if host.has_min_version(MIN_FREEZE):',
    '        dom.fsFreeze()',
    '',
  ]);
  const hoverAt = (line: number) => runsHere(client, driver, line);
  assert.deepEqual(await hoverAt(7), {
    text: 'Runs here on libvirt [1.2.5, ∞) because of `has_min_version(MIN_FREEZE)` at line 7.',
    line: 7,
  });
  // A line added above and the constant raised, no pull yet: the last analysis answers (its
  // versions, stale until the next analysis), with the hover and its guard's line moved down.
  await client.change(driver, 2, [{ range: at(1, 0), text: '\n' }]);
  await client.change(driver, 3, [
    { range: { start: { line: 3, character: 20 }, end: { line: 3, character: 21 } }, text: '9' },
  ]);
  assert.deepEqual(await hoverAt(8), {
    text: 'Runs here on libvirt [1.2.5, ∞) because of `has_min_version(MIN_FREEZE)` at line 8.',
    line: 8,
  });
  // After the pull, the analysis of the current text.
  await client.diagnostics(driver);
  assert.deepEqual(await hoverAt(8), {
    text: 'Runs here on libvirt [1.2.9, ∞) because of `has_min_version(MIN_FREEZE)` at line 8.',
    line: 8,
  });
  // The constant lowered and a line added right above the hovered one: the texts differ in one
  // span, from the first change to the last, and a hover inside it waits for the current analysis.
  await client.change(driver, 4, [
    { range: { start: { line: 3, character: 20 }, end: { line: 3, character: 21 } }, text: '7' },
  ]);
  await client.change(driver, 5, [{ range: at(8, 0), text: '        pass\n' }]);
  assert.deepEqual(await hoverAt(9), {
    text: 'Runs here on libvirt [1.2.7, ∞) because of `has_min_version(MIN_FREEZE)` at line 8.',
    line: 9,
  });
  assert.equal(await client.shutdown(), 0);
  fs.rmSync(folder, { recursive: true, force: true });
});

/** A driver whose MIN_LIBVIRT_VERSION (1.0.0: the "auto" minimum) is below fsFreeze's 1.2.5. */
const ownMinimumDriver = [
  'import libvirt',
  '',
  'MIN_LIBVIRT_VERSION = (1, 0, 0)',
  '',
  '',
  'def freeze(dom):',
  '    dom.fsFreeze()',
  '',
].join('\n');

/** The document's LVG002 diagnostics, as `line:character message`. */
async function lvg002Of(client: TestClient, uri: string): Promise<string[]> {
  return (await client.diagnostics(uri))
    .filter((d) => d.code === 'LVG002')
    .map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message}`);
}

test("a document's own index entry follows its edits after the pull, and a refresh follows when it moved", async () => {
  // min-version is "auto" here: MIN_LIBVIRT_VERSION of the workspace, this file's own.
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-incremental-'));
  const text = ownMinimumDriver;
  fs.writeFileSync(path.join(folder, 'driver.py'), text);
  const client = new TestClient({ folder });
  await client.initialize();
  await client.indexed();
  // The scan's own refresh, so that the one counted below can only be the edit's.
  await client.waitFor('the refresh after the scan', () => client.refreshRequests >= 1);
  const driver = pathToFileURL(path.join(folder, 'driver.py')).toString();
  await client.open(driver, text);
  const lvg002 = async (): Promise<string[]> => (await lvg002Of(client, driver)).map((d) => d.split(' ')[0] ?? '');
  assert.deepEqual(await lvg002(), ['6:8']);

  // The minimum moves past fsFreeze's 1.2.5. The pull right after the edit analyzes the new
  // text; the entry follows in the debounced flush, which requests a refresh because the
  // minimum every document starts from moved.
  const before = client.refreshRequests;
  await client.change(driver, 2, [
    { range: { start: { line: 2, character: 26 }, end: { line: 2, character: 27 } }, text: '3' },
  ]);
  await client.pullDiagnostics(driver);
  await client.waitFor('the refresh after the index entry of driver.py moved', () => client.refreshRequests > before);
  assert.deepEqual(await lvg002(), []);
  assert.equal(await client.shutdown(), 0);
  fs.rmSync(folder, { recursive: true, force: true });
});

test('the first diagnostics of a document opened before any scan indexed it follow its own MIN_LIBVIRT_VERSION', async () => {
  // No workspace folder: the document's index entry comes from its own text when it is first
  // analyzed, and with it the "auto" minimum (1.0.0 here, below fsFreeze's 1.2.5; the default
  // minimum is above it, and would report nothing). Before, that analysis ran under the policy
  // resolved before the entry was made, and was cached as if it were current.
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-incremental-'));
  const text = ownMinimumDriver;
  fs.writeFileSync(path.join(folder, 'driver.py'), text);
  const client = new TestClient();
  await client.initialize();
  const driver = pathToFileURL(path.join(folder, 'driver.py')).toString();
  await client.open(driver, text);
  const lvg002 = (): Promise<string[]> => lvg002Of(client, driver);
  const expected = [
    '6:8 virDomain.fsFreeze needs libvirt 1.2.5, but this runs from libvirt 1.0.0 (the minimum supported) without a version check: it fails on older hosts',
  ];
  assert.deepEqual(await lvg002(), expected);
  // And the same on the next pull (the cached analysis).
  assert.deepEqual(await lvg002(), expected);
  assert.equal(await client.shutdown(), 0);
  fs.rmSync(folder, { recursive: true, force: true });
});

test('a client without pull diagnostics gets new diagnostics for a document when an edit of another file changes what it read', async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-incremental-'));
  fs.writeFileSync(path.join(folder, '.libvirt-gate.toml'), 'min-version = "1.0.0"\n');
  fs.writeFileSync(path.join(folder, 'helpers.py'), helpersText);
  fs.writeFileSync(path.join(folder, 'driver.py'), driverText);
  const client = new TestClient({ folder, pull: false });
  await client.initialize();
  await client.indexed();
  const uriOf = (name: string): string => pathToFileURL(path.join(folder, name)).toString();
  const driver = uriOf('driver.py');
  const helpers = uriOf('helpers.py');
  await client.open(driver, driverText);
  await client.open(helpers, helpersText);
  await client.waitFor('driver.py published', () => client.pushed.get(driver)?.version === 1);
  assert.deepEqual(client.pushed.get(driver)?.diagnostics, []);
  // The helper stops returning a check: helpers.py is published after the edit, and driver.py,
  // which read that, is published again with the use it no longer guards.
  await client.change(helpers, 2, [
    { range: { start: { line: 1, character: 11 }, end: { line: 1, character: 42 } }, text: 'True' },
  ]);
  await client.waitFor('driver.py published with LVG002', () =>
    (client.pushed.get(driver)?.diagnostics ?? []).some((d) => d.code === 'LVG002'),
  );
  assert.deepEqual(
    client.pushed
      .get(driver)
      ?.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${String(d.code)}`),
    ['6:12 LVG002'],
  );
  assert.equal(await client.shutdown(), 0);
  fs.rmSync(folder, { recursive: true, force: true });
});

/** The code actions at a range. */
const quickFixes = (client: TestClient, uri: string, range: ReturnType<typeof at>) =>
  client.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range,
    context: { diagnostics: [] },
  }) as Promise<{ title: string; edit?: { changes?: Record<string, { newText: string }[]> }; data?: unknown }[]>;

/** A driver whose one method's body is `body` (from line 5 on). */
const driverMethod = (...body: string[]): string[] => [
  'import libvirt',
  '',
  '',
  'class Driver:',
  '    def freeze(self, dom):',
  ...body,
  '',
];

test('typing in a comment: diagnostics unchanged, a quick fix picked after it keeps the typed text, a directive typed is read', async () => {
  const lines = driverMethod('        # freeze the guest', '        dom.fsFreeze()  # now');
  const { client, folder, uriOf } = await workspace();
  const driver = uriOf('driver.py');
  await client.open(driver, lines.join('\n'));
  const first = await client.pullDiagnostics(driver);
  assert.deepEqual(
    first.items?.map((d) => `${String(d.code)}:${d.range.start.line}:${d.range.start.character}`),
    ['LVG002:6:12'],
  );
  // Typing at the end of both comments, pulling after each character.
  let version = 1;
  for (const [line, typed] of [
    [5, ' first'],
    [6, ' and then'],
  ] as const)
    for (const c of typed) {
      const end = (lines[line] ?? '').length;
      lines[line] += c;
      await client.change(driver, ++version, [{ range: at(line, end), text: c }]);
      assert.deepEqual(await client.pullDiagnostics(driver, first.resultId), {
        kind: 'unchanged',
        resultId: first.resultId,
      });
    }
  // The add-check fix re-indents the call's line: its edit is made from the current text, with the typed comment.
  const actions = await quickFixes(client, driver, at(6, 14));
  const addCheck = actions.find((a) => a.title.startsWith('Add a version check:'));
  assert.ok(addCheck, actions.map((a) => a.title).join('\n'));
  const resolved = (addCheck.edit ? addCheck : await client.connection.sendRequest('codeAction/resolve', addCheck)) as {
    edit?: { changes?: Record<string, { newText: string }[]> };
  };
  const fixed = applyEdits(lines.join('\n'), (resolved.edit?.changes?.[driver] ?? []) as TextEdit[]);
  assert.equal(
    fixed,
    [
      'import libvirt',
      '',
      'MIN_LIBVIRT_FS_FREEZE_VERSION = (1, 2, 5)',
      '',
      '',
      'class Driver:',
      '    def freeze(self, dom):',
      '        # freeze the guest first',
      '        if self._host.has_min_version(MIN_LIBVIRT_FS_FREEZE_VERSION):',
      '            dom.fsFreeze()  # now and then',
      '',
    ].join('\n'),
  );
  // A suppression typed into the comment is read at once.
  await client.change(driver, version + 1, [
    {
      range: { start: { line: 6, character: 26 }, end: { line: 6, character: lines[6]?.length ?? 0 } },
      text: 'libvirt-gate: ignore',
    },
  ]);
  assert.deepEqual(await client.pullDiagnostics(driver, first.resultId), {
    kind: 'full',
    resultId: (await client.pullDiagnostics(driver)).resultId,
    items: [],
  });
  assert.equal(await client.shutdown(), 0);
  fs.rmSync(folder, { recursive: true, force: true });
});

test('a blank line added or taken out: the diagnostics move with the lines, the same as an analysis gives', async () => {
  const lines = driverMethod('        dom.fsThaw()', '        dom.fsFreeze()');
  const { client, folder, uriOf } = await workspace();
  const driver = uriOf('driver.py');
  const shown = (items: { code?: unknown; range: { start: { line: number; character: number } } }[] = []) =>
    items.map((d) => `${String(d.code)}:${d.range.start.line}:${d.range.start.character}`);
  await client.open(driver, lines.join('\n'));
  const first = await client.pullDiagnostics(driver);
  assert.deepEqual(shown(first.items), ['LVG002:5:12', 'LVG002:6:12']);
  // Enter at the end of the fsThaw line: the fsFreeze finding moves down one line.
  await client.change(driver, 2, [{ range: at(5, 20), text: '\n        ' }]);
  const moved = await client.pullDiagnostics(driver, first.resultId);
  assert.equal(moved.kind, 'full');
  assert.deepEqual(shown(moved.items), ['LVG002:5:12', 'LVG002:7:12']);
  assert.deepEqual(await client.pullDiagnostics(driver, moved.resultId), {
    kind: 'unchanged',
    resultId: moved.resultId,
  });
  // The same as an analysis of the current text gives (a code action analyzes it).
  const actions = await quickFixes(client, driver, at(7, 14));
  assert.ok(actions.some((a) => a.title.startsWith('Add a version check:')));
  assert.deepEqual(await client.pullDiagnostics(driver, moved.resultId), {
    kind: 'unchanged',
    resultId: moved.resultId,
  });
  // Taken out again: back where they were.
  await client.change(driver, 3, [
    { range: { start: { line: 5, character: 20 }, end: { line: 6, character: 8 } }, text: '' },
  ]);
  const back = await client.pullDiagnostics(driver, moved.resultId);
  assert.equal(back.kind, 'full');
  assert.deepEqual(shown(back.items), ['LVG002:5:12', 'LVG002:6:12']);
  assert.deepEqual(back.items, first.items);
  assert.equal(await client.shutdown(), 0);
  fs.rmSync(folder, { recursive: true, force: true });
});

test('a flag imported from another file guards where it is read, and an edit of its value is seen there', async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-incremental-'));
  fs.writeFileSync(path.join(folder, '.libvirt-gate.toml'), 'min-version = "1.0.0"\n');
  const capsText = ['import libvirt', '', 'HAS_FREEZE = libvirt.getVersion() >= 1002005', ''].join('\n');
  const readerText = [
    'from host_caps import HAS_FREEZE',
    '',
    '',
    'def freeze(dom):',
    '    if HAS_FREEZE:',
    '        dom.fsFreeze()',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(folder, 'host_caps.py'), capsText);
  fs.writeFileSync(path.join(folder, 'reader.py'), readerText);
  const client = new TestClient({ folder });
  await client.initialize();
  await client.indexed();
  const caps = pathToFileURL(path.join(folder, 'host_caps.py')).toString();
  const reader = pathToFileURL(path.join(folder, 'reader.py')).toString();
  await client.open(reader, readerText);
  await client.open(caps, capsText);
  const first = await client.pullDiagnostics(reader);
  assert.deepEqual(first.items, []);
  // The flag checks an older version: the use is guarded too weakly (LVG003), at the use.
  await client.change(caps, 2, [
    { range: { start: { line: 2, character: 37 }, end: { line: 2, character: 44 } }, text: '1002000' },
  ]);
  await client.pullDiagnostics(caps);
  const second = await client.pullDiagnostics(reader, first.resultId);
  assert.equal(second.kind, 'full');
  assert.deepEqual(
    second.items?.map((d) => `${d.range.start.line}:${d.range.start.character} ${String(d.code)}`),
    ['5:12 LVG003'],
  );
  // The flag no longer holds a check: the use is unguarded.
  await client.change(caps, 3, [
    { range: { start: { line: 2, character: 13 }, end: { line: 2, character: 44 } }, text: 'True' },
  ]);
  await client.pullDiagnostics(caps);
  const third = await client.pullDiagnostics(reader, second.resultId);
  assert.deepEqual(
    third.items?.map((d) => `${d.range.start.line}:${d.range.start.character} ${String(d.code)}`),
    ['5:12 LVG002'],
  );
  assert.equal(await client.shutdown(), 0);
  fs.rmSync(folder, { recursive: true, force: true });
});

test("a helper of another file whose check takes its version parameter guards each call with the call's argument, and an edit of the helper is seen there", async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-incremental-'));
  fs.writeFileSync(path.join(folder, '.libvirt-gate.toml'), 'min-version = "1.0.0"\n');
  const utilsText = ['def at_least(conn, version):', '    return conn.getLibVersion() >= version', ''].join('\n');
  const readerText = [
    'from host_utils import at_least',
    '',
    '',
    'def freeze(conn, dom):',
    '    if at_least(conn, 1002005):',
    '        dom.fsFreeze()',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(folder, 'host_utils.py'), utilsText);
  fs.writeFileSync(path.join(folder, 'reader.py'), readerText);
  const client = new TestClient({ folder });
  await client.initialize();
  await client.indexed();
  const utils = pathToFileURL(path.join(folder, 'host_utils.py')).toString();
  const reader = pathToFileURL(path.join(folder, 'reader.py')).toString();
  await client.open(reader, readerText);
  await client.open(utils, utilsText);
  const first = await client.pullDiagnostics(reader);
  assert.deepEqual(first.items, []);
  // The helper compares with a fixed, older version instead of its parameter: LVG003 at the use.
  await client.change(utils, 2, [
    { range: { start: { line: 1, character: 35 }, end: { line: 1, character: 42 } }, text: '1002000' },
  ]);
  await client.pullDiagnostics(utils);
  const second = await client.pullDiagnostics(reader, first.resultId);
  assert.equal(second.kind, 'full');
  assert.deepEqual(
    second.items?.map((d) => `${d.range.start.line}:${d.range.start.character} ${String(d.code)}`),
    ['5:12 LVG003'],
  );
  assert.equal(await client.shutdown(), 0);
  fs.rmSync(folder, { recursive: true, force: true });
});
