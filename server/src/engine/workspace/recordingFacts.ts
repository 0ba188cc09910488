// A WorkspaceFacts that remembers every question asked and its answer, and a check that the
// same questions still get the same answers. A cached analysis is valid for a file whose
// text and policy are unchanged exactly when every cross-file fact it read is unchanged:
// the CLI's result cache keeps the questions with the findings and replays them.
import type { WorkspaceFacts } from '../semantic/workspaceFacts';

/** One question: the WorkspaceFacts method, its arguments, and the answer (JSON). */
export type FactQuery = readonly [method: string, args: string, answer: string];

type Method = keyof WorkspaceFacts;
const methods: readonly Method[] = [
  'constant',
  'moduleHelperCond',
  'moduleFlagCond',
  'classOf',
  'methodCond',
  'helperInModules',
  'mentionedByImporters',
  'configOptions',
  'confBinding',
  'xmlConfigClass',
  'writesXmlConfigAttribute',
  'raisesUnlessChecked',
  'elementFactory',
  'elementFactoryNames',
];

const json = (value: unknown): string => JSON.stringify(value === undefined ? null : value);

/** Wraps `facts`; every answer it gives is appended to `log` (each distinct question once). */
export function recordingFacts(facts: WorkspaceFacts): { facts: WorkspaceFacts; log: FactQuery[] } {
  const log: FactQuery[] = [];
  const seen = new Set<string>();
  const recorded = {} as Record<Method, (...args: never[]) => unknown>;
  for (const method of methods) {
    recorded[method] = (...args: never[]) => {
      const answer = (facts[method] as (...a: never[]) => unknown)(...args);
      const key = `${method}\n${json(args)}`;
      if (!seen.has(key)) {
        seen.add(key);
        log.push([method, json(args), json(answer)]);
      }
      return answer;
    };
  }
  return { facts: recorded as unknown as WorkspaceFacts, log };
}

/** Whether every recorded question gets the same answer from `facts` now. */
export function factsStillHold(facts: WorkspaceFacts, log: readonly FactQuery[]): boolean {
  for (const [method, args, answer] of log) {
    if (!methods.includes(method as Method)) return false;
    let parsed: unknown;
    try {
      parsed = JSON.parse(args);
    } catch {
      return false;
    }
    if (!Array.isArray(parsed)) return false;
    // JSON wrote an absent argument (xmlConfigClass's module) as null: ask with it absent again.
    const asked = parsed.map((a: unknown) => (a === null ? undefined : a));
    const now = (facts[method as Method] as (...a: unknown[]) => unknown)(...asked);
    if (json(now) !== answer) return false;
  }
  return true;
}
