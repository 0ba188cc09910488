// The extension's guard around diagnostics pulls: a cancelled pull's report never reaches the client.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { unlessCancelled } from '../../client/src/pullDiagnostics';

class Cancelled extends Error {}
const report = { kind: 'full', items: [] as string[] };

test('a pull that was not cancelled resolves to its report', async () => {
  const token = { isCancellationRequested: false };
  assert.equal(await unlessCancelled(Promise.resolve(report), token, () => new Cancelled()), report);
  assert.equal(await unlessCancelled(report, token, () => new Cancelled()), report);
});

test('a pull cancelled while it ran rejects instead of handing its (empty) report on', async () => {
  const token = { isCancellationRequested: false };
  let answer: (r: typeof report) => void = () => {};
  const pull = new Promise<typeof report>((resolve) => (answer = resolve));
  const guarded = unlessCancelled(pull, token, () => new Cancelled());
  token.isCancellationRequested = true; // the file changed: the client cancels and re-pulls
  answer(report);
  await assert.rejects(guarded, Cancelled);
});
