// Every rule the engine reports, in code order: a plain list. A meta-test keeps this list,
// the docs (docs/rules/<code>.md) and the fixtures (test/fixtures/rules/<code>/) in step.
import { LVG001 } from './LVG001';
import { LVG002 } from './LVG002';
import { LVG003 } from './LVG003';
import { LVG004 } from './LVG004';
import { LVG005 } from './LVG005';
import { LVG006 } from './LVG006';
import { LVG007 } from './LVG007';
import { LVG008 } from './LVG008';
import { LVG009 } from './LVG009';
import { LVG010 } from './LVG010';
import type { Rule } from './rule';

export const rules: readonly Rule[] = [LVG001, LVG002, LVG003, LVG004, LVG005, LVG006, LVG007, LVG008, LVG009, LVG010];

const byCode = new Map(rules.map((r) => [r.code, r]));

export function ruleByCode(code: string): Rule | undefined {
  return byCode.get(code);
}

const docsBaseUrl = 'https://github.com/libvirt-gate/libvirt-gate/blob/main/docs/rules/';

export function ruleDocsUrl(code: string): string {
  return `${docsBaseUrl}${code}.md`;
}
