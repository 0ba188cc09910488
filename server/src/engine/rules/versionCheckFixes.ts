// Fixes that add or raise a version check, shared by every rule that reports a feature newer
// than its path allows (an API symbol; an XML feature, on the libvirt or the QEMU axis).
import { checkCallArguments } from '../semantic/conditions';
import { dottedName, Field, NodeKind, calleeName, unparen, type NodeId, type SyntaxTree } from '../syntax/index';
import { formatVersion } from '../../data/version';
import { isUntested, supportClass, type PathContext } from '../flow/pathContext';
import type { Fix, GuardFact } from '../types';
import { constantNameFor, ensureConstant, versionTuple, wrapInIf } from './fixes';
import { gateImport, withGateImport } from './confImport';
import { callAt, type RuleEnv } from './rule';

/** The version-check callee the file already uses (`self._host.has_min_version`), if any. */
export function firstCheckCallee(
  t: SyntaxTree,
  calls: readonly NodeId[],
  versionChecks: ReadonlySet<string>,
): string | undefined {
  for (const c of calls) {
    const name = calleeName(t, c);
    if (name && versionChecks.has(name) && name !== 'has_version' && name !== '_conn_has_min_version') {
      // Only a plain dotted name is copied into new code (never text with comments in it).
      const fn = t.field(c, Field.Function);
      const callee = fn === undefined ? undefined : dottedName(t, fn);
      if (callee) return callee;
    }
  }
  return undefined;
}

/** The callee for a new check at `at`: the file's own, if `self` is there to call it on. */
function checkCallee(env: RuleEnv, at: NodeId): string | undefined {
  const callee = env.existingCheckCallee ?? 'self._host.has_min_version';
  if (callee.startsWith('self.')) {
    const t = env.tree;
    const fn = env.sem.functionOf(at);
    const params = fn ? t.field(fn.node, Field.Parameters) : undefined;
    const first = params === undefined ? undefined : t.firstChild(params);
    if (first === undefined || t.text(first) !== 'self') return undefined;
  }
  return callee;
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
  const callee = checkCallee(env, need.node);
  // Only has_min_version(lv_ver, hv_ver) is known to take a QEMU version.
  if (!callee || (axis === 'qemu' && !/(^|\.)_?has_min_version$/.test(callee))) return [];
  const constant = ensureConstant(
    env,
    env.sem.model.constants,
    constantNameFor(need.constantBase, axis),
    need.since,
    (n) => env.sem.resolveVersion(n),
  );
  const stmtLine = t.lines.lineAt(t.start(need.stmt));
  if (constant.edits.some((e) => e.range.start.line === stmtLine)) return [];
  const out: Fix[] = [];
  const check = axis === 'qemu' ? `${callee}(hv_ver=${constant.name})` : `${callee}(${constant.name})`;
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
  if (env.gate && !need.ctx.gates.length && isUntested(cls, env.policy)) {
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
  if (guard.kind !== 'version-check' || guard.axis !== axis) return undefined;
  const t = env.tree;
  const call = callAt(env, guard);
  const args = call === undefined ? undefined : checkCallArguments(t, call, env.sem.versionChecks);
  const arg = axis === 'qemu' ? args?.hv : args?.lv;
  if (arg === undefined) return undefined;
  const target = unparen(t, arg);
  const title = `Raise the check to ${axis === 'qemu' ? 'QEMU' : 'libvirt'} ${formatVersion(version)}`;
  const kind = t.kind(target);
  if (kind === NodeKind.Tuple || kind === NodeKind.Integer || kind === NodeKind.List) {
    const newText = kind === NodeKind.Integer ? String(version) : versionTuple(version);
    return { title, safe: false, preferred: true, kind: 'raise-check', edits: [{ range: t.range(target), newText }] };
  }
  if (kind === NodeKind.Identifier) {
    const name = t.text(target);
    const value = env.sem.model.constants.get(name);
    const uses = env.identifierCount(name);
    if (value !== undefined && uses === 2 && (t.kind(value) === NodeKind.Tuple || t.kind(value) === NodeKind.Integer)) {
      const newText = t.kind(value) === NodeKind.Integer ? String(version) : versionTuple(version);
      return {
        title: `${title} (${name} = ${newText})`,
        safe: false,
        preferred: true,
        kind: 'raise-check',
        edits: [{ range: t.range(value), newText }],
      };
    }
    const constant = ensureConstant(env, env.sem.model.constants, constantNameFor(constantBase, axis), version, (n) =>
      env.sem.resolveVersion(n),
    );
    return {
      title: `${title} (new constant ${constant.name})`,
      safe: false,
      preferred: true,
      kind: 'raise-check',
      edits: [...constant.edits, { range: t.range(target), newText: constant.name }],
    };
  }
  return undefined;
}
