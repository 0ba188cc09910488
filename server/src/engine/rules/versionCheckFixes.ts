// Fixes that add or raise a version check, shared by every rule that reports a feature newer
// than its path allows (an API symbol; an XML feature, on the libvirt or the QEMU axis).
import { checkCallArguments } from '../semantic/conditions';
import { runtimeVersionComparisons, versionComparisons } from '../semantic/versionExpressions';
import {
  callArguments,
  calleeName,
  compactText,
  dottedName,
  Field,
  NodeKind,
  unparen,
  type NodeId,
  type SyntaxTree,
} from '../syntax/index';
import { formatVersion } from '../../data/version';
import { isUntested, supportClass, type PathContext } from '../flow/pathContext';
import type { Fix, GuardFact, TextEdit } from '../types';
import { constantNameFor, ensureConstant, versionLiteralText, wrapInIf } from './fixes';
import { gateImport, withGateImport } from './confImport';
import { callAt, comparisonAt, writableAt, type RuleEnv } from './rule';

/** The version-check callee the file already uses (`self._host.has_min_version`), if any. */
export function firstCheckCallee(
  t: SyntaxTree,
  calls: readonly NodeId[],
  versionChecks: ReadonlySet<string>,
): string | undefined {
  for (const c of calls) {
    const callee = plainCheckCallee(t, c, calleeName(t, c), versionChecks);
    if (callee) return callee;
  }
  return undefined;
}

/** The callee of `call` (named `name`) when it is a plain version check new code may copy. */
function plainCheckCallee(
  t: SyntaxTree,
  call: NodeId,
  name: string | undefined,
  versionChecks: ReadonlySet<string>,
): string | undefined {
  if (!name || !versionChecks.has(name) || name === 'has_version' || name === '_conn_has_min_version') return undefined;
  // Only a plain dotted name is copied into new code (never text with comments in it).
  const fn = t.field(call, Field.Function);
  return fn === undefined ? undefined : dottedName(t, fn);
}

/** How a version is written in new code: a tuple, an integer (1002005) or a "1.2.5" string. */
type VersionForm = 'tuple' | 'integer' | 'string';

/**
 * How the file checks versions, copied by a new check: a check call with its version form
 * (its receiver and convention as the file writes them), or a comparison of the runtime
 * version (`self._conn.getLibVersion() >= MIN_X`, an integer constant).
 */
type CheckStyle =
  | { readonly k: 'call'; readonly callee: string; readonly form: VersionForm; readonly quote?: string }
  | { readonly k: 'compare'; readonly runtime: string };

/** The form a version literal is written in. */
function writtenForm(kind: NodeKind): VersionForm | undefined {
  if (kind === NodeKind.String) return 'string';
  if (kind === NodeKind.Integer) return 'integer';
  return kind === NodeKind.Tuple || kind === NodeKind.List ? 'tuple' : undefined;
}

const styleMemo = new WeakMap<RuleEnv, Map<string, CheckStyle | null>>();
const fallbackMemo = new WeakMap<RuleEnv, CheckStyle[]>();

/**
 * The file's way of checking, in this order:
 * 1. a plain check call (`self._host.has_min_version`); one on `self.` only from the same
 *    class (or from outside classes);
 * 2. a configured check call that takes the version alone (a tuple, an integer or a string,
 *    written positionally), on `self.` from the same class;
 * 3. a comparison of the runtime version read from `self.<...>` (same class) or
 *    `libvirt.getVersion()`; or, in the same function, from a parameter
 *    (`conn.getLibVersion()` where `conn` is one);
 * 4. Nova's `self._host.has_min_version`, when the policy counts it as a check;
 * 5. a plain check call on `self.` from another class;
 * 6. last, `libvirt.getVersion()` in a file that says `import libvirt`: a check the engine
 *    always reads.
 * None otherwise: a check the policy does not read would not silence the finding.
 */
function checkStyle(env: RuleEnv, at: NodeId): CheckStyle | undefined {
  const cls = env.sem.model.unitOf(at)?.className ?? '';
  let byClass = styleMemo.get(env);
  if (!byClass) styleMemo.set(env, (byClass = new Map()));
  let style = byClass.get(cls);
  if (style === undefined) {
    style = classStyle(env, cls) ?? null;
    byClass.set(cls, style);
  }
  if (style && boundAt(env, style, at)) return style;
  const local = parameterComparison(env, at);
  if (local) return { k: 'compare', runtime: local };
  let fallbacks = fallbackMemo.get(env);
  if (fallbacks === undefined) fallbackMemo.set(env, (fallbacks = fallbackStyles(env)));
  return fallbacks.find((f) => boundAt(env, f, at));
}

/**
 * Whether the name a style's code starts with is bound where the check goes: a name of the
 * module (an import, a constant, a function or class), or of the function there (`self` of
 * a method, a parameter, a local). `host.has_min_version` copied from a function whose
 * parameter is `host` into a method that has none would fail with a NameError.
 */
function boundAt(env: RuleEnv, style: CheckStyle, at: NodeId): boolean {
  const text = style.k === 'call' ? style.callee : style.runtime;
  const root = /^\w+/.exec(text)?.[0];
  if (root === undefined) return false;
  const model = env.sem.model;
  if (env.sem.localBindings(root, at).length) return true;
  return (
    model.libvirtModules.has(root) ||
    model.foreignImports.has(root) ||
    model.constants.has(root) ||
    model.classes.has(root) ||
    (model.functionsByName.get(root)?.some((f) => f.className === undefined) ?? false)
  );
}

/**
 * What steps 1 to 3 of checkStyle read, for every class of the file at once (one pass over
 * the calls and one over the comparisons, instead of one per class), in file order.
 */
interface ClassStyles {
  /** Step 1: the first plain check callee of each class ('' outside classes). */
  readonly ownCallee: ReadonlyMap<string, string>;
  /** Step 2: the configured checks that take the version alone, with their class. */
  readonly configured: readonly { readonly style: CheckStyle & { k: 'call' }; readonly cls: string }[];
  /** Step 3: the runtime versions that comparisons bound, with their class. */
  readonly runtime: readonly { readonly text: string; readonly cls: string }[];
}

const classStylesMemo = new WeakMap<RuleEnv, ClassStyles>();

function classStyles(env: RuleEnv): ClassStyles {
  let found = classStylesMemo.get(env);
  if (found) return found;
  const t = env.tree;
  const model = env.sem.model;
  const checks = env.sem.versionChecks;
  const plain = checks.plain();
  const classOf = (n: NodeId): string => model.unitOf(n)?.className ?? '';
  const ownCallee = new Map<string, string>();
  const configured: { style: CheckStyle & { k: 'call' }; cls: string }[] = [];
  for (const call of model.calls) {
    const name = calleeName(t, call);
    if (name === undefined) continue;
    const own = plainCheckCallee(t, call, name, plain);
    if (own && !ownCallee.has(classOf(call))) ownCallee.set(classOf(call), own);
    const spec = checks.spec(name);
    if (!spec || spec.exact || spec.axis !== 'libvirt' || spec.form === 'keywords') continue;
    const fn = t.field(call, Field.Function);
    const callee = fn === undefined ? undefined : dottedName(t, fn);
    const args = callArguments(t, call);
    const arg = (spec.keyword ? args.keyword.get(spec.keyword) : undefined) ?? args.positional[spec.arg];
    if (!callee || arg === undefined) continue;
    // Other arguments of the call are not known: only a check that takes the version alone.
    if (spec.arg !== 0 || args.positional.length + args.keyword.size !== 1) continue;
    const kind = t.kind(unparen(t, arg));
    const form: VersionForm | undefined = spec.form !== 'any' ? spec.form : writtenForm(kind);
    if (!form) continue;
    const quote = kind === NodeKind.String ? quoteOf(t, unparen(t, arg)) : "'";
    configured.push({ style: { k: 'call', callee, form, quote }, cls: classOf(call) });
  }
  // `self._conn.getLibVersion()`, `self._libver`, `libvirt.getVersion()`: not a local name.
  const shared = /^(self(\.\w+)+|libvirt\.getVersion\(\))$|^self(\.\w+)*\.getLibVersion\(\)$/;
  const runtime: { text: string; cls: string }[] = [];
  for (const { node, text } of boundedRuntimes(env, t.root)) {
    if (shared.test(text)) runtime.push({ text, cls: classOf(node) });
  }
  found = { ownCallee, configured, runtime };
  classStylesMemo.set(env, found);
  return found;
}

/** Steps 1 to 3 of checkStyle, for code in class `cls` ('' outside classes). */
function classStyle(env: RuleEnv, cls: string): CheckStyle | undefined {
  // `self.<...>` is copied from the same class (a `Host` class calls `self.has_min_version`,
  // the driver `self._host.has_min_version`).
  const usable = (text: string, at: string): boolean => !text.startsWith('self.') || at === cls;
  const plain = env.existingCheckCallee;
  if (plain && !plain.startsWith('self.')) return { k: 'call', callee: plain, form: 'tuple' };
  const styles = classStyles(env);
  const own = plain ? styles.ownCallee.get(cls) : undefined;
  if (own) return { k: 'call', callee: own, form: 'tuple' };
  const configured = styles.configured.find((c) => usable(c.style.callee, c.cls));
  if (configured) return configured.style;
  const runtime = styles.runtime.find((r) => usable(r.text, r.cls));
  return runtime ? { k: 'compare', runtime: runtime.text } : undefined;
}

/** Steps 4 to 6 of checkStyle, in order: the first whose code is bound where the check goes is taken. */
function fallbackStyles(env: RuleEnv): CheckStyle[] {
  const out: CheckStyle[] = [];
  if (env.sem.versionChecks.has('has_min_version'))
    out.push({ k: 'call', callee: 'self._host.has_min_version', form: 'tuple' });
  if (env.existingCheckCallee) out.push({ k: 'call', callee: env.existingCheckCallee, form: 'tuple' });
  // A module-level `import libvirt` (the name is known without one: the file must bind it).
  if (
    /^import libvirt[ \t]*(#.*)?$/m.test(env.tree.source) &&
    env.sem.model.libvirtModules.get('libvirt') === 'libvirt'
  )
    out.push({ k: 'compare', runtime: 'libvirt.getVersion()' });
  return out;
}

/** `conn.getLibVersion()` as a comparison of the function at `at` reads it, `conn` being one of its parameters. */
function parameterComparison(env: RuleEnv, at: NodeId): string | undefined {
  const fn = env.sem.model.unitOf(at);
  if (!fn) return undefined;
  const t = env.tree;
  const params = new Set<string>();
  const list = t.field(fn.node, Field.Parameters);
  for (const p of list === undefined ? [] : t.children(list)) {
    const name = t.kind(p) === NodeKind.Identifier ? p : t.field(p, Field.Name);
    if (name !== undefined && t.kind(name) === NodeKind.Identifier) params.add(t.text(name));
  }
  for (const { node, text } of boundedRuntimes(env, fn.node)) {
    const root = /^([A-Za-z_]\w*)(\.\w+)*\.getLibVersion\(\)$/.exec(text)?.[1];
    if (root !== undefined && root !== 'self' && params.has(root) && env.sem.model.unitOf(node) === fn) return text;
  }
  return undefined;
}

/**
 * The operands of the comparisons under `root` that bound the libvirt runtime version
 * (`v >= X`, or `v < X` before an early return: either way `v` is the version as read there),
 * in file order.
 */
function* boundedRuntimes(env: RuleEnv, root: NodeId): Generator<{ readonly node: NodeId; readonly text: string }> {
  const t = env.tree;
  for (const { node, bounds } of runtimeVersionComparisons(env.sem, env.sem.model, root)) {
    const relation = bounds.length === 1 && bounds[0]?.axis === 'libvirt' ? bounds[0].relation : undefined;
    if (relation !== 'atLeast' && relation !== 'below') continue;
    for (const operand of t.children(node)) yield { node, text: compactText(t, operand) };
  }
}

/** A new check at `at` in the file's style; none when it would call `self.` where there is no `self`. */
function styleAt(env: RuleEnv, at: NodeId, axis: 'libvirt' | 'qemu'): CheckStyle | undefined {
  const style = checkStyle(env, at);
  // Only has_min_version(lv_ver, hv_ver) is known to take a QEMU version.
  if (axis === 'qemu' && (style?.k !== 'call' || !/(^|\.)_?has_min_version$/.test(style.callee))) return undefined;
  const text = style?.k === 'call' ? style.callee : style?.runtime;
  return text !== undefined && writableAt(env, at, text) ? style : undefined;
}

/** The condition a new check writes for `constant` in a style. */
function checkText(style: CheckStyle, constant: string, axis: 'libvirt' | 'qemu'): string {
  if (style.k === 'compare') return `${style.runtime} >= ${constant}`;
  if (axis === 'qemu') return `${style.callee}(hv_ver=${constant})`;
  return `${style.callee}(${constant})`;
}

/** A feature that needs `since` at a statement: what the check fixes cover. */
export interface NeededFeature {
  /** The statement to wrap. */
  readonly stmt: NodeId;
  /** The node at which the feature is used (decides the function, hence `self`). */
  readonly node: NodeId;
  /** Base of the new MIN_* constant's name (`fsFreeze` → MIN_LIBVIRT_FS_FREEZE_VERSION). */
  readonly constantBase: string;
  readonly since: number;
  readonly ctx: PathContext;
  /** The axis `since` is on (libvirt by default); a QEMU check passes it as `hv_ver=`. */
  readonly axis?: 'libvirt' | 'qemu';
}

/** `if <check>:` around the statement (and a variant behind the gate when the path is untested). */
export function addCheckFixes(env: RuleEnv, need: NeededFeature): Fix[] {
  const t = env.tree;
  const axis = need.axis ?? 'libvirt';
  const style = styleAt(env, need.node, axis);
  if (!style) return [];
  const constant = ensureConstant(
    env,
    env.sem.model.constants,
    constantNameFor(need.constantBase, axis),
    need.since,
    (n) => env.sem.resolveVersion(n),
    style.k === 'call' ? style.form : 'integer',
    style.k === 'call' ? style.quote : undefined,
  );
  const stmtLine = t.lines.lineAt(t.start(need.stmt));
  if (constant.edits.some((e) => e.range.start.line === stmtLine)) return [];
  const out: Fix[] = [];
  const check = checkText(style, constant.name, axis);
  const wrap = wrapInIf(env, need.stmt, check);
  if (wrap)
    out.push({
      title: `Add a version check: 'if ${check}:'`,
      safe: false,
      preferred: true,
      kind: 'add-check',
      edits: [...constant.edits, ...wrap],
    });
  const raised = { lo: need.since, hi: need.ctx[axis].hi };
  const cls =
    axis === 'qemu'
      ? supportClass(need.ctx.libvirt, raised, env.policy)
      : supportClass(raised, need.ctx.qemu, env.policy);
  if (env.gate && !need.ctx.gates.length && isUntested(cls, env.policy) && writableAt(env, need.node, env.gate)) {
    const wrapped = wrapInIf(env, need.stmt, `${env.gate} and ${check}`);
    if (wrapped) {
      const gated = withGateImport(gateImport(env), [...constant.edits, ...wrapped]);
      out.push({
        title: `Add a version check behind the opt-in gate: 'if ${env.gate} and ${check}:'${gated.note}`,
        safe: false,
        preferred: false,
        kind: 'add-check',
        edits: gated.edits,
      });
    }
  }
  return out;
}

/** Raises the version a too-weak check asks for (on its libvirt or QEMU axis) to `version`. */
export function raiseCheckFix(
  env: RuleEnv,
  guard: GuardFact,
  version: number,
  constantBase: string,
  axis: 'libvirt' | 'qemu' = 'libvirt',
): Fix | undefined {
  if ((guard.kind !== 'version-check' && guard.kind !== 'helper') || guard.axis !== axis) return undefined;
  const place = raisePlace(env, guard, axis);
  if (!place) return undefined;
  const t = env.tree;
  const { target, form, extra } = place;
  const title = `Raise the check to ${axis === 'qemu' ? 'QEMU' : 'libvirt'} ${formatVersion(version)}`;
  const kind = t.kind(target);
  const quote = kind === NodeKind.String ? quoteOf(t, target) : "'";
  if (kind === formKinds[form] || (form === 'tuple' && kind === NodeKind.List)) {
    const newText = digitsLike(t.text(target), versionLiteralText(version, form, quote));
    const edits = [...extra, { range: t.range(target), newText }];
    return { title, safe: false, preferred: true, kind: 'raise-check', edits };
  }
  if (kind === NodeKind.Identifier) {
    const name = t.text(target);
    const value = env.sem.model.constants.get(name);
    const uses = env.identifierCount(name);
    if (value !== undefined && uses === 2 && t.kind(value) === formKinds[form]) {
      const newText = digitsLike(
        t.text(value),
        versionLiteralText(version, form, t.kind(value) === NodeKind.String ? quoteOf(t, value) : quote),
      );
      return {
        title: `${title} (${name} = ${newText})`,
        safe: false,
        preferred: true,
        kind: 'raise-check',
        edits: [...extra, { range: t.range(value), newText }, ...versionNoteEdit(env, value, version)],
      };
    }
  }
  if (kind !== NodeKind.Identifier && place.literalOnly) return undefined;
  const constant = ensureConstant(
    env,
    env.sem.model.constants,
    constantNameFor(constantBase, axis),
    version,
    (n) => env.sem.resolveVersion(n),
    form,
    quote,
  );
  return {
    title: `${title} (new constant ${constant.name})`,
    safe: false,
    preferred: true,
    kind: 'raise-check',
    edits: [...constant.edits, ...extra, { range: t.range(target), newText: constant.name }],
  };
}

const formKinds = { tuple: NodeKind.Tuple, integer: NodeKind.Integer, string: NodeKind.String } as const;

/** `1_002_004` raised is written `1_002_005`: digits grouped as the replaced integer had them. */
function digitsLike(old: string, text: string): string {
  return /^\d+(_\d+)+$/.test(old) && /^\d+$/.test(text) ? text.replace(/\B(?=(\d{3})+$)/g, '_') : text;
}

function quoteOf(t: SyntaxTree, str: NodeId): string {
  return /^[rRuUbB]*(["'])/.exec(t.text(str))?.[1] ?? "'";
}

/**
 * Where a raised version goes: the version argument of a check call (in the form its
 * convention or its text gives), or the version side of a runtime comparison, where a strict
 * `>` becomes `>=` (`extra`). `literalOnly`: anything but a name or a literal of that form is
 * left alone (a call's argument may be an expression the check reads in its own way).
 */
function raisePlace(
  env: RuleEnv,
  guard: GuardFact,
  axis: 'libvirt' | 'qemu',
): { target: NodeId; form: VersionForm; extra: TextEdit[]; literalOnly: boolean } | undefined {
  const t = env.tree;
  const call = callAt(env, guard);
  // A helper's guard: the argument its call gives for the version its check takes (see
  // FileSemantics.helperVersionArgument); a helper read otherwise has no place here.
  const given = guard.kind === 'helper' && call !== undefined ? env.sem.helperVersionArgument(call, axis) : undefined;
  if (guard.kind === 'helper' && !given) return undefined;
  const check = given?.check ?? call;
  if (check !== undefined) {
    const name = calleeName(t, check);
    const spec = name === undefined ? undefined : env.sem.versionChecks.spec(name);
    // A version in separate keyword parts (major=, minor=) has no one place to raise.
    if (spec?.form === 'keywords') return undefined;
    const args = given ? undefined : checkCallArguments(t, check, env.sem.versionChecks);
    const arg = given?.arg ?? (axis === 'qemu' ? args?.hv : args?.lv);
    if (arg === undefined) return undefined;
    const target = unparen(t, arg);
    // A name: the form of the constant it holds, if it is one.
    const held = t.kind(target) === NodeKind.Identifier ? env.sem.model.constants.get(t.text(target)) : undefined;
    const kind = t.kind(held ?? target);
    const form: VersionForm = spec && spec.form !== 'any' ? spec.form : (writtenForm(kind) ?? 'tuple');
    return { target, form, extra: [], literalOnly: true };
  }
  const cmp = comparisonAt(env, guard);
  const children = cmp === undefined ? [] : t.children(cmp);
  const [left, op, right] = children;
  if (cmp === undefined || children.length !== 3 || left === undefined || op === undefined || right === undefined)
    return undefined;
  const bounds = versionComparisons(env.sem, cmp);
  const relation = bounds.length === 1 && bounds[0]?.axis === axis ? bounds[0].relation : undefined;
  if (relation !== 'atLeast' && relation !== 'below') return undefined;
  // `v >= X`, `X <= v` (a check), `v < X`, `X > v` (its negation: an early return): the operator
  // that makes X itself the bound, so the new version is written as it is.
  const opText = t.text(op);
  const runtimeLeft = relation === 'atLeast' ? opText.startsWith('>') : opText.startsWith('<');
  const wanted = relation === 'atLeast' ? (runtimeLeft ? '>=' : '<=') : runtimeLeft ? '<' : '>';
  const extra: TextEdit[] = opText === wanted ? [] : [{ range: t.range(op), newText: wanted }];
  return { target: unparen(t, runtimeLeft ? right : left), form: 'integer', extra, literalOnly: false };
}

/** `MIN_X = 1002005  # 1.2.5`: the note after a raised integer constant says the new version. */
function versionNoteEdit(env: RuleEnv, value: NodeId, version: number): TextEdit[] {
  const t = env.tree;
  if (t.kind(value) !== NodeKind.Integer) return [];
  const line = t.lines.lineAt(t.end(value));
  const note = t.comments.find((c) => c.start >= t.end(value) && t.lines.lineAt(c.start) === line);
  if (!note || !/^#\s*\d+\.\d+(\.\d+)?\s*$/.test(t.source.slice(note.start, note.end))) return [];
  const dotted = formatVersion(version);
  return [{ range: t.lines.range(note.start, note.end), newText: `# ${dotted}` }];
}
