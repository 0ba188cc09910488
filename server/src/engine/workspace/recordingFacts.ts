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
  'xmlConfigAttributeTargets',
  'xmlConstructionTargets',
  'raisesUnlessChecked',
  'elementFactory',
  'elementFactoryNames',
];

const json = (value: unknown): string => JSON.stringify(value === undefined ? null : value);

/** Wraps `facts`; every answer it gives is appended to `log` (each distinct question once). */
export function recordingFacts(facts: WorkspaceFacts): { facts: WorkspaceFacts; log: FactQuery[] } {
  const log: FactQuery[] = [];
  const recorded = {} as Record<Method, (...args: never[]) => unknown>;
  // An object argument (a list of modules) is passed again and again, the same object: written once.
  const written = new WeakMap<object, string>();
  const argument = (value: unknown): string => {
    if (typeof value !== 'object' || value === null) return json(value);
    let text = written.get(value);
    if (text === undefined) written.set(value, (text = json(value)));
    return text;
  };
  for (const method of methods) {
    const seen = new Set<string>();
    recorded[method] = (...args: never[]) => {
      const answer = (facts[method] as (...a: never[]) => unknown)(...args);
      // As JSON.stringify(args) writes it (an absent argument as null).
      const key = `[${args.map(argument).join(',')}]`;
      if (!seen.has(key)) {
        seen.add(key);
        log.push([method, key, json(answer)]);
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
