// The rule contract (as typescript-eslint's: metadata, message ids with templates, a report
// function) and what a rule's report function gets: the observations of the flow walk and
// everything needed to word a finding and build its fixes.
import type { FeatureDb } from '../../data/featureDb';
import { formatVersion } from '../../data/version';
import type { Policy } from '../../config/policy';
import type { GateUse, Observation } from '../flow/observations';
import { coveringGuards, type PathContext } from '../flow/pathContext';
import type { FileSemantics } from '../semantic/fileSemantics';
import { Field, NodeKind, type NodeId, type SyntaxTree } from '../syntax/index';
import type { Finding, Fix, GuardFact, Range, Severity, SupportClass, VersionInterval } from '../types';
import type { FixEnv } from './fixes';

export interface RuleMeta {
  readonly code: string;
  /** kebab-case name, as in ruff: 'untested-code-path'. */
  readonly name: string;
  readonly summary: string;
  readonly defaultSeverity: Severity;
  /** Off-by-default rules run only when selected. */
  readonly defaultEnabled: boolean;
  readonly fixKinds: readonly Fix['kind'][];
  /**
   * The kinds of its fixes that may be safe (suppressions aside): the only ones fix-all and
   * `check --fix` apply. Fix-all in the editor reads the fixes of these rules' findings only
   * (a finding's fixes are built when read). A test holds every fixture's fixes to both lists.
   */
  readonly fixAllKinds: readonly Fix['kind'][];
  /** Message templates by id; `{{name}}` is replaced by the finding's data. */
  readonly messages: Readonly<Record<string, string>>;
}

export interface Rule extends RuleMeta {
  report(env: RuleEnv): Finding[];
}

export interface RuleEnv extends FixEnv {
  readonly uri: string;
  readonly policy: Policy;
  readonly db: FeatureDb;
  readonly sem: FileSemantics;
  readonly tree: SyntaxTree;
  readonly observations: readonly Observation[];
  readonly gateUses: ReadonlyMap<string, GateUse>;
  /** The gate expression fixes insert: the first configured one. */
  readonly gate: string | undefined;
  /** How often each identifier occurs in the file (is a constant used elsewhere?). */
  identifierCount(name: string): number;
  /** The version-check callee the file already uses, computed once. */
  readonly existingCheckCallee: string | undefined;
  /**
   * When a finding's fixes are built: `'eager'` as it is made; `'lazy'` when first read (the
   * editor reads them only for the findings a code action asks about); `'none'`: never (a file
   * with a syntax error gets no fixes).
   */
  readonly fixes: FixTiming;
}

type FixTiming = 'eager' | 'lazy' | 'none';

export type MessageData = Readonly<Record<string, string>>;

/** A template split at its placeholders: text, key, text, key, ..., text. */
const templateParts = new Map<string, readonly string[]>();

/** Fills a message template: `{{name}}` → data.name (a placeholder without data stays as written). */
export function renderMessage(template: string, data: MessageData): string {
  let parts = templateParts.get(template);
  if (!parts) templateParts.set(template, (parts = template.split(/\{\{(\w+)\}\}/)));
  if (parts.length === 1) return template;
  // Concatenated, not joined: a message per finding, thousands per file.
  let out = parts[0] ?? '';
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i] as string;
    out += (data[key] ?? `{{${key}}}`) + (parts[i + 1] ?? '');
  }
  return out;
}

export function formatInterval(i: VersionInterval): string {
  return `[${formatVersion(i.lo)}, ${formatVersion(i.hi)})`;
}

function severityOf(env: RuleEnv, code: string, fallback: Severity): Severity {
  return env.policy.severities[code] ?? fallback;
}

/** The CI jobs as "gate 1.2.2, libvirt-latest 1.2.9" (QEMU versions on the QEMU axis). */
export function describeJobs(env: RuleEnv, axis: 'libvirt' | 'qemu' = 'libvirt'): string {
  // Asked for every finding that names its class: once per policy and axis.
  let byAxis = jobDescriptions.get(env.policy);
  if (!byAxis) jobDescriptions.set(env.policy, (byAxis = {}));
  return (byAxis[axis] ??= env.policy.ci
    .map((j) => {
      const v =
        axis === 'qemu'
          ? j.qemu !== undefined
            ? `QEMU ${formatVersion(j.qemu)}`
            : 'QEMU unknown'
          : formatVersion(j.libvirt);
      return `${j.name} ${v}`;
    })
    .join(', '));
}

const jobDescriptions = new WeakMap<Policy, { libvirt?: string; qemu?: string }>();

/** "which no CI job runs (class C; CI: gate 1.2.2)". */
export function classPhrase(env: RuleEnv, cls: SupportClass, axis: 'libvirt' | 'qemu' = 'libvirt'): string {
  const who =
    cls === 'A' ? 'which upstream CI runs' : cls === 'B' ? 'which only third-party CI runs' : 'which no CI job runs';
  return `${who} (class ${cls}; CI: ${describeJobs(env, axis)})`;
}

export type FindingExtra = Partial<
  Pick<Finding, 'symbol' | 'xml' | 'supportClass' | 'related' | 'unnecessary' | 'interval' | 'guards'>
> & {
  /**
   * The finding's fixes, built by a function (called when `env.fixes` says: they read the tree
   * and the file's semantics, which stay as they are, so building them later gives the same).
   */
  readonly fixes?: () => readonly Fix[];
};

/** Builds fixes; code nested too deeply to build them for gets none (as it gets no analysis). */
function buildFixes(build: () => readonly Fix[]): readonly Fix[] {
  try {
    return build();
  } catch (e) {
    if (e instanceof RangeError) return [];
    throw e;
  }
}

const noFixes: readonly Fix[] = [];

/** `finding` with its fixes, built as `timing` says. */
function withFixes(
  finding: Omit<Finding, 'fixes'>,
  timing: FixTiming,
  build: (() => readonly Fix[]) | undefined,
): Finding {
  if (!build || timing === 'none') return { ...finding, fixes: noFixes };
  if (timing === 'eager') return { ...finding, fixes: build() };
  return new LazyFinding(finding, build);
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
interface LazyFinding extends Omit<Finding, 'fixes'> {}

/**
 * A finding whose fixes are built when first read, once. The getter is the class's: a getter
 * written in each finding's literal is a new function per finding, and V8 then gives every
 * finding its own map or a dictionary (measured: comparing 1,320 findings' diagnostics took
 * 2–8 ms instead of 0.3–1). The fields are the finding's own, in its order; JSON gets the
 * fixes too (`toJSON`), as for a plain finding. Only the editor makes these: a spread or a
 * structured clone would leave the fixes out.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
class LazyFinding {
  readonly #build: () => readonly Fix[];
  #built: readonly Fix[] | undefined;

  constructor(finding: Omit<Finding, 'fixes'>, build: () => readonly Fix[]) {
    Object.assign(this, finding);
    this.#build = build;
  }

  get fixes(): readonly Fix[] {
    return (this.#built ??= buildFixes(this.#build));
  }

  toJSON(): Finding {
    return { ...this, fixes: this.fixes };
  }
}

/** A path's interval and covering guards, as findings on it state them: once per path (findings share them, read-only). */
const pathFacts = new WeakMap<PathContext, { interval?: Finding['interval']; guards?: readonly GuardFact[] }>();

function factsOfPath(ctx: PathContext): { interval?: Finding['interval']; guards?: readonly GuardFact[] } {
  let facts = pathFacts.get(ctx);
  if (!facts) pathFacts.set(ctx, (facts = {}));
  return facts;
}

function intervalOf(ctx: PathContext): Finding['interval'] {
  return (factsOfPath(ctx).interval ??= {
    libvirt: { lo: ctx.libvirt.lo, hi: ctx.libvirt.hi },
    qemu: { lo: ctx.qemu.lo, hi: ctx.qemu.hi },
  });
}

function guardsOf(ctx: PathContext): readonly GuardFact[] {
  return (factsOfPath(ctx).guards ??= coveringGuards(ctx));
}

/** A finding of `rule` worded by one of its messages. */
export function finding(
  env: RuleEnv,
  rule: RuleMeta,
  messageId: string,
  data: MessageData,
  range: Range,
  ctx: PathContext,
  extra: FindingExtra = {},
): Finding {
  const template = rule.messages[messageId];
  if (template === undefined) throw new Error(`${rule.code} has no message ${messageId}`);
  const made: Omit<Finding, 'fixes'> = {
    code: rule.code,
    severity: severityOf(env, rule.code, rule.defaultSeverity),
    range,
    message: renderMessage(template, data),
    messageId,
    data,
    interval: extra.interval ?? intervalOf(ctx),
    guards: extra.guards ?? guardsOf(ctx),
    related: extra.related ?? [],
    unnecessary: extra.unnecessary ?? [],
    ...(extra.symbol ? { symbol: extra.symbol } : {}),
    ...(extra.xml ? { xml: extra.xml } : {}),
    ...(extra.supportClass ? { supportClass: extra.supportClass } : {}),
  };
  return withFixes(made, env.fixes, extra.fixes);
}

export function fixes(...list: (Fix | undefined)[]): Fix[] {
  return list.filter((f): f is Fix => f !== undefined);
}

/** The node a range of this file covers exactly (of this kind, when given). */
export function nodeAtRange(env: RuleEnv, range: Range, kind?: NodeKind): NodeId | undefined {
  const lines = env.tree.lines;
  return env.tree.nodeWithSpan(lines.offset(range.start), lines.offset(range.end), kind);
}

/** The call node a guard fact points at, when it is a call in this file. */
export function callAt(env: RuleEnv, g: GuardFact): NodeId | undefined {
  return g.uri === env.uri ? nodeAtRange(env, g.range, NodeKind.Call) : undefined;
}

/** The comparison a guard fact points at (`conn.getLibVersion() >= X`), when it is one in this file. */
export function comparisonAt(env: RuleEnv, g: GuardFact): NodeId | undefined {
  return g.uri === env.uri ? nodeAtRange(env, g.range, NodeKind.ComparisonOperator) : undefined;
}

/**
 * Whether new code at `node` may say `text`: text on `self.` needs a function whose first
 * parameter is `self` (not a module-level function, not a static method).
 */
export function writableAt(env: RuleEnv, node: NodeId, text: string): boolean {
  if (!text.startsWith('self.')) return true;
  const t = env.tree;
  const fn = env.sem.functionOf(node);
  const params = fn ? t.field(fn.node, Field.Parameters) : undefined;
  const first = params === undefined ? undefined : t.firstChild(params);
  return first !== undefined && t.text(first) === 'self';
}
