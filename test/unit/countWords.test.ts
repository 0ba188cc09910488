// The word count behind "is this name used anywhere else" (LVG004, known callers, fixes that
// remove an import): a hand-written scan, checked against the regex it replaced on every
// fixture and example and on random text made of the characters that matter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { countWords } from '../../server/src/engine/semantic/fileModel';
import { mulberry32 } from '../support/mutate';
import { fixtureAndExampleFiles } from '../support/pythonFiles';

/** The previous implementation, kept as the oracle. */
function regexCount(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const re = /[A-Za-z_][A-Za-z0-9_]*|#[^\r\n]*|'''|"""|'|"|\\./g;
  let quote: string | undefined;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const t = m[0];
    if (t[0] === '\\') continue;
    if (t === "'" || t === '"' || t === "'''" || t === '"""') {
      if (!quote) quote = t;
      else if (quote === t) quote = undefined;
      continue;
    }
    if (t[0] === '#') {
      if (quote) re.lastIndex = m.index + 1;
      continue;
    }
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return counts;
}

const sorted = (m: Map<string, number>): [string, number][] => [...m].sort((a, b) => a[0].localeCompare(b[0]));

test('words, strings and comments: what counts', () => {
  assert.deepEqual(sorted(countWords("x = _f(1) # _f in a comment\ny = '_f # not a comment' \"a'b\" 0x1F\n")), [
    ['_f', 2],
    ['a', 2],
    ['b', 1],
    ['comment', 1],
    ['not', 1],
    ['x', 1],
    ['x1F', 1],
    ['y', 1],
  ]);
  assert.deepEqual(sorted(countWords("'''a ' # b'''\\\nc \\'d")), [
    ['a', 1],
    ['b', 1],
    ['c', 1],
    ['d', 1],
  ]);
});

test('the same counts as the regex scan on every fixture and example', () => {
  const files = fixtureAndExampleFiles();
  assert.ok(files.length > 100);
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    assert.deepEqual(sorted(countWords(text)), sorted(regexCount(text)), f);
  }
});

test('the same counts as the regex scan on random text of quotes, hashes, backslashes and line breaks', () => {
  const alphabet = ["'", '"', '#', '\\', '\n', '\r', ' ', 'a', '_b', '9', 'x1', '\u2028', 'é', "'''", '"""'];
  let seed = 20261202;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  for (let k = 0; k < 3000; k++) {
    let text = '';
    const len = next() % 40;
    for (let i = 0; i < len; i++) text += alphabet[next() % alphabet.length];
    assert.deepEqual(sorted(countWords(text)), sorted(regexCount(text)), JSON.stringify(text));
  }
});

test('many distinct words (the table grows and probes): the same counts, in first-occurrence order', () => {
  const rand = mulberry32(4242);
  const next = (): number => Math.floor(rand() * 0x7fffffff);
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789';
  const pool: string[] = [];
  for (let k = 0; k < 6000; k++) {
    // Words of few lengths over few letters: many share a length, a prefix or a table slot.
    let w = letters[next() % 53] ?? 'a';
    for (let i = next() % 4; i > 0; i--) w += letters[next() % 6] ?? 'b';
    pool.push(w);
  }
  const words = Array.from({ length: 40_000 }, () => pool[next() % pool.length] ?? 'x');
  const text = words.join(next() % 2 ? ' ' : '\n');
  const counted = countWords(text);
  assert.deepEqual(sorted(counted), sorted(regexCount(text)));
  assert.deepEqual([...counted.keys()], [...new Set(words)]);
  assert.ok(counted.size > 2000, `${counted.size} distinct words`);
});
