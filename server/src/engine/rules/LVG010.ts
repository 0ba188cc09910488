// LVG010 unguarded-xml-feature: libvirt XML (an element, attribute or value the code writes
// into a document it sends to libvirt) newer than the lower bound of its path, on the libvirt
// axis, or on the QEMU axis where libvirt's docs give a QEMU version. Unguarded when no check
// raised that bound (as LVG002), too weak when one did (as LVG003); the same fixes.
import { formatVersion } from '../../data/version';
import type { XmlObservation } from '../flow/observations';
import type { Finding, Fix, RelatedInformation, XmlFeatureFacts } from '../types';
import { suppressFix } from './fixes';
import { finding, fixes, type Rule, type RuleEnv } from './rule';
import { addCheckFixes, raiseCheckFix } from './versionCheckFixes';

type Axis = 'libvirt' | 'qemu';

const sinceOn = (f: XmlFeatureFacts, axis: Axis): number => (axis === 'qemu' ? (f.qemuSince ?? 0) : f.since);

/** The axis an observation falls short on (libvirt first), if any. */
function shortAxis(o: XmlObservation): Axis | undefined {
  if (o.feature.since > o.ctx.libvirt.lo) return 'libvirt';
  if ((o.feature.qemuSince ?? 0) > o.ctx.qemu.lo) return 'qemu';
  return undefined;
}

/** `DISK_DRIVER_DISCARD` for domain/devices/disk/driver/@discard: the last two elements, the attribute, the value. */
function xmlConstantBase(f: XmlFeatureFacts): string {
  const elements = f.path
    .replace(/\[[^\]]*\]/g, '')
    .split('/')
    .filter((s) => s !== 'domain' && s !== 'devices');
  return [...elements.slice(-2), f.attribute, f.value]
    .filter((s): s is string => !!s)
    .join('_')
    .replace(/[^A-Za-z0-9]+/g, '_');
}

/** `formatdomain.rst:3105`: the evidence's place in libvirt's docs. */
function docRef(f: XmlFeatureFacts): string {
  return f.evidence.replace(/ .*$/s, '');
}

function callerRelated(env: RuleEnv, o: XmlObservation, axis: Axis): RelatedInformation[] {
  if (axis !== 'libvirt') return [];
  return (o.ctx.callers ?? [])
    .filter((c) => c.lvLo < o.feature.since)
    .map((c) => ({ uri: env.uri, range: c.range, message: `called here on libvirt ≥ ${formatVersion(c.lvLo)}` }));
}

const newer = (a: XmlObservation, b: XmlObservation, axis: Axis): boolean =>
  sinceOn(a.feature, axis) > sinceOn(b.feature, axis);

function report(env: RuleEnv): Finding[] {
  // One finding per thing written (a string, a call, an assignment) and axis, at its newest
  // feature: a check that covers it covers the rest. The libvirt axis first.
  const chosen = new Map<string, { o: XmlObservation; axis: Axis }>();
  const newestInStatement = new Map<string, XmlObservation>();
  for (const o of env.observations) {
    if (o.k !== 'xml') continue;
    const axis = shortAxis(o);
    if (!axis) continue;
    const key = `${o.node}`;
    const seen = chosen.get(key);
    if (!seen || (seen.axis === axis && newer(o, seen.o, axis)) || (seen.axis === 'qemu' && axis === 'libvirt'))
      chosen.set(key, { o, axis });
    const stmtKey = `${o.stmt ?? o.node}:${axis}`;
    const newest = newestInStatement.get(stmtKey);
    if (!newest || newer(o, newest, axis)) newestInStatement.set(stmtKey, o);
  }
  const out: Finding[] = [];
  for (const { o, axis } of chosen.values()) {
    const f = o.feature;
    const since = sinceOn(f, axis);
    const guard = o.ctx[axis].loGuard;
    const qemu = axis === 'qemu';
    const newest = newestInStatement.get(`${o.stmt ?? o.node}:${axis}`) ?? o;
    const checkFixes = (): Fix[] =>
      guard
        ? fixes(raiseCheckFix(env, guard, since, xmlConstantBase(f), axis))
        : o.stmt === undefined
          ? []
          : addCheckFixes(env, {
              stmt: o.stmt,
              node: o.node,
              constantBase: xmlConstantBase(newest.feature),
              since: sinceOn(newest.feature, axis),
              ctx: newest.ctx,
              axis,
            });
    const related: RelatedInformation[] = guard
      ? [
          {
            uri: guard.uri,
            range: guard.range,
            message: `the check: ${guard.text} (${qemu ? 'QEMU' : 'libvirt'} ${formatVersion(o.ctx[axis].lo)})`,
          },
        ]
      : callerRelated(env, o, axis);
    const messageId = guard ? (qemu ? 'tooWeakQemu' : 'tooWeak') : qemu ? 'unguardedQemu' : 'unguarded';
    out.push(
      finding(
        env,
        LVG010,
        messageId,
        {
          xml: f.xpath,
          since: formatVersion(since),
          lo: formatVersion(o.ctx[axis].lo),
          doc: docRef(f),
          from: o.ctx.callers?.length ? 'where its callers run it' : 'the minimum supported',
        },
        o.range,
        o.ctx,
        { xml: f, related, fixes: () => fixes(...checkFixes(), suppressFix(env, o.range.start.line, 'LVG010')) },
      ),
    );
  }
  return out;
}

export const LVG010: Rule = {
  code: 'LVG010',
  name: 'unguarded-xml-feature',
  summary:
    'An XML element, attribute or value the code writes is newer than the libvirt (or QEMU) its path runs on, without a strong enough version check.',
  defaultSeverity: 'error',
  defaultEnabled: true,
  fixKinds: ['add-check', 'raise-check', 'suppress'],
  fixAllKinds: [],
  messages: {
    unguarded:
      'XML {{xml}} needs libvirt {{since}} ({{doc}}), but this runs from libvirt {{lo}} ({{from}}) without a version check: hosts with older libvirt reject or ignore it',
    tooWeak:
      'XML {{xml}} needs libvirt {{since}} ({{doc}}), but the version check only ensures libvirt {{lo}}: hosts in between reject or ignore it',
    unguardedQemu:
      'XML {{xml}} needs QEMU {{since}} ({{doc}}), but this runs from QEMU {{lo}} ({{from}}) without a version check: hosts with older QEMU reject or ignore it',
    tooWeakQemu:
      'XML {{xml}} needs QEMU {{since}} ({{doc}}), but the version check only ensures QEMU {{lo}}: hosts in between reject or ignore it',
  },
  report,
};
