// Messages are filled from templates split once at their placeholders: the same text as
// replacing each `{{key}}` by its data (a placeholder without data stays as written), for
// every message of every rule and odd templates, with data that has every key, some or none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rules } from '../../server/src/engine/api';
import { renderMessage } from '../../server/src/engine/rules/rule';

const byReplace = (template: string, data: Readonly<Record<string, string>>): string =>
  template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => data[key] ?? whole);

test('renderMessage fills every rule message as a regex replace would', () => {
  const templates = [
    ...rules.flatMap((r) => Object.values(r.messages)),
    '',
    'no placeholders',
    '{{a}}',
    '{{a}}{{b}}',
    '{{{a}}}',
    '{{ a }} {{a-b}} {{}} {a} }}{{',
    'x {{a}} y {{a}} z',
    '$& $1 {{a}}',
  ];
  let compared = 0;
  for (const template of templates) {
    const keys = [...template.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] as string);
    const all = Object.fromEntries(keys.map((k, i) => [k, `<${k}:${i} $& $1 {{x}}>`]));
    const some = Object.fromEntries(keys.filter((_, i) => i % 2 === 0).map((k) => [k, `${k}!`]));
    for (const data of [all, some, {}, { [keys[0] ?? 'a']: '' }]) {
      // Twice: the second from the split kept for the template.
      for (let n = 0; n < 2; n++) assert.equal(renderMessage(template, data), byReplace(template, data), template);
      compared++;
    }
  }
  assert.ok(compared >= 120, `${compared} messages compared`);
});
