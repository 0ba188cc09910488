// The word count behind "is this name used anywhere else" (LVG004, known callers, fixes that
// remove an import): a hand-written scan, checked against the regex it replaced on every
// fixture and example and on random text made of the characters that matter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { countWords, DocumentWords, type WordCounts } from '../../server/src/engine/semantic/fileModel';
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

const sorted = (m: WordCounts): [string, number][] => [...m].sort((a, b) => a[0].localeCompare(b[0]));

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

test('a document edited many times: its chunked counts equal a fresh count after every edit', () => {
  // Edits of the characters that open and close strings and comments, at chunk edges too: an
  // edit that opens a string must count on until the old chunking is clean again, and the next
  // one that closes it again must find the chunks after it.
  const rand = mulberry32(7312);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const base = fs.readFileSync(fixtureAndExampleFiles()[0] ?? '', 'utf8');
  let text = Array.from({ length: 40 }, () => base).join('\n'); // many chunks
  const unbalanced = ["'", '"', "'''", '"""', '#', '\\', '\\\n'];
  const balanced = ['\n', 'word ', '_private', 'x = "a#b"\n', "'s'", '"""doc\nstring"""', '# note\n', ''];
  const doc = new DocumentWords();
  assert.deepEqual(sorted(doc.update(text)), sorted(countWords(text)));
  let opened: { at: number; what: string } | undefined;
  for (let k = 0; k < 600; k++) {
    const before = text;
    const previous = doc.update(text);
    if (opened && rand() < 0.5) {
      // Close what the last unbalanced edit opened: the chunks after it become reusable again.
      text = text.slice(0, opened.at) + text.slice(opened.at + opened.what.length);
      opened = undefined;
    } else {
      const start = rand() < 0.2 ? Math.floor(rand() * 20) * 4096 : Math.floor(rand() * text.length);
      const end = Math.min(text.length, start + (rand() < 0.7 ? 0 : Math.floor(rand() * 30)));
      const what = rand() < 0.15 ? pick(unbalanced) : pick(balanced);
      opened = end === start && unbalanced.includes(what) ? { at: Math.min(start, text.length), what } : undefined;
      text = text.slice(0, start) + what + text.slice(end);
    }
    const after = doc.update(text);
    if (text !== before) assert.notEqual(after, previous, 'a new map for a new text');
    const fresh = countWords(text);
    assert.deepEqual(sorted(after), sorted(fresh), `edit ${k}`);
    assert.equal(after.size, fresh.size, `edit ${k}: size`);
    // The earlier text's counts stay as they were (an earlier analysis reads them).
    if (k % 50 === 0) assert.deepEqual(sorted(previous), sorted(countWords(before)), `edit ${k}: the earlier view`);
    assert.equal(doc.update(text), after, 'the same text gives the same map');
  }
});

test('an edit across a chunk boundary that puts a line break back in the same place: counted again, not reused', () => {
  // Lines of 100 characters: chunks end after the line break at 4,100 and 8,200. The edit
  // replaces [4,050, 4,150) with other words and a line break at the old place (4,099): the new
  // scan reaches 4,100 again, but the text after it changed up to 4,150.
  const line = (c: string): string => `${c.repeat(99)}\n`;
  const text = Array.from({ length: 100 }, () => line('a')).join('');
  const doc = new DocumentWords();
  doc.update(text);
  const edited = `${text.slice(0, 4050)}${'b'.repeat(49)}\n${'c'.repeat(50)}${text.slice(4150)}`;
  assert.equal(edited.length, text.length);
  assert.deepEqual(sorted(doc.update(edited)), sorted(countWords(edited)));
});

test('a document whose edits change thousands of distinct words: views stay exact across the folds', () => {
  // Each edit replaces a line of 20 new words: past 2,048 changed words the changes are folded
  // into a new base, and the views made before keep theirs.
  const words = (k: number): string => Array.from({ length: 20 }, (_, i) => `w${k}_${i}`).join(' ');
  let text = Array.from({ length: 300 }, (_, k) => words(k)).join('\n');
  const doc = new DocumentWords();
  const views: [WordCounts, string][] = [[doc.update(text), text]];
  for (let k = 0; k < 300; k++) {
    const lines = text.split('\n');
    lines[k] = words(1000 + k);
    text = lines.join('\n');
    views.push([doc.update(text), text]);
  }
  for (const [view, at] of [views[0], views[120], views[300]] as [WordCounts, string][]) {
    const fresh = countWords(at);
    assert.deepEqual(sorted(view), sorted(fresh));
    assert.equal(view.size, fresh.size);
    assert.equal(view.get('w0_0'), fresh.get('w0_0'));
    assert.equal(view.get('w1000_0'), fresh.get('w1000_0'));
  }
});
