import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { BoundedKeyMemo } from '../../server/src/engine/semantic/xml/boundedMemo';

test('BoundedKeyMemo: each part counts, undefined is not the empty string, an undefined answer is kept', () => {
  const memo = new BoundedKeyMemo<string | undefined>(100);
  let computed = 0;
  const get = (key: (string | number | undefined)[], answer: string | undefined): string | undefined =>
    memo.get(key, () => {
      computed++;
      return answer;
    });
  assert.equal(get([2, 'a', 'b'], 'ab'), 'ab');
  assert.equal(get([2, 'a', 'b'], 'other'), 'ab');
  assert.equal(get([2, 'ab', ''], 'ab|'), 'ab|'); // not the joined "ab"
  assert.equal(get([2, 'a', undefined], 'a-'), 'a-');
  assert.equal(get([2, 'a', ''], 'a|'), 'a|');
  assert.equal(get([2, 'b', 'a'], undefined), undefined);
  assert.equal(get([2, 'b', 'a'], 'late'), undefined);
  assert.equal(computed, 5);
});

test('BoundedKeyMemo: starts again when full, and still answers the key that filled it', () => {
  const memo = new BoundedKeyMemo<number>(3);
  let computed = 0;
  const get = (k: number): number =>
    memo.get([k % 2, k], () => {
      computed++;
      return k * 10;
    });
  for (const k of [1, 2, 3]) assert.equal(get(k), k * 10);
  assert.equal(computed, 3);
  assert.equal(get(4), 40); // the fourth: the memo starts again with it
  assert.equal(get(4), 40);
  assert.equal(computed, 4);
  assert.equal(get(1), 10); // forgotten, computed again
  assert.equal(computed, 5);
});
