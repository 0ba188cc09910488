// Hover markdown from the engine's HoverFacts. Pure (facts + policy → text) so the exact
// wording is unit-tested without a server.
import type { GuardFact, HoverFacts, OptionFacts, SupportClass, SymbolFacts, VersionInterval } from '../engine/api';
import type { CiJob, Policy } from '../config/policy';
import { defaultDistros, presets, splitDistros } from '../config/presets';
import { formatVersion } from '../data/version';

export interface HoverContext {
  /** The hovered document, to tell guards in this file ("line 12") from others ("driver.py:12"). */
  readonly uri: string;
  /** Source text of the hovered range (the gate expression, the constant's name). */
  readonly sourceText?: string;
}

const v = formatVersion;
const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

function intervalText(i: VersionInterval): string {
  if (i.lo >= i.hi) return 'no version (dead code)';
  return `[${v(i.lo)}, ${i.hi === Infinity ? '∞' : v(i.hi)})`;
}

/** "libvirt ≥ 1.2.8", "libvirt in [1.0.0, 1.2.8)". */
function rangeText(axis: string, i: VersionInterval): string {
  return i.hi === Infinity ? `${axis} ≥ ${v(i.lo)}` : `${axis} in ${intervalText(i)}`;
}

function contains(i: VersionInterval, x: number): boolean {
  return i.lo <= x && x < i.hi;
}

/** A job's point lies in the path: libvirt in its libvirt interval; QEMU too when the path narrows QEMU. */
function jobRuns(job: CiJob, libvirt: VersionInterval, qemu: VersionInterval, policy: Policy): boolean {
  if (!contains(libvirt, job.libvirt)) return false;
  const qemuNarrowed = qemu.lo > policy.minQemu || qemu.hi !== Infinity;
  if (job.qemu === undefined) return !qemuNarrowed;
  return contains(qemu, job.qemu);
}

/** "gate: ubuntu-14.04 = 1.2.2", or "gate = 1.2.2" when the job is not a preset under another name. */
function jobText(job: CiJob, axis: 'libvirt' | 'qemu'): string {
  const version = axis === 'libvirt' ? v(job.libvirt) : job.qemu === undefined ? '?' : v(job.qemu);
  const label = job.preset && job.preset !== job.name ? `${job.name}: ${job.preset}` : job.name;
  return `${label} = ${version}`;
}

function jobList(jobs: readonly CiJob[], axis: 'libvirt' | 'qemu'): string {
  return jobs.map((j) => jobText(j, axis)).join(', ');
}

/** Which axis the path is narrowed on, for naming the right versions. */
function pathAxis(qemu: VersionInterval, policy: Policy, libvirt: VersionInterval): 'libvirt' | 'qemu' {
  const qemuNarrowed = qemu.lo > policy.minQemu || qemu.hi !== Infinity;
  const libvirtNarrowed = libvirt.lo > policy.minLibvirt || libvirt.hi !== Infinity;
  return qemuNarrowed && !libvirtNarrowed ? 'qemu' : 'libvirt';
}

function classLine(cls: SupportClass, libvirt: VersionInterval, qemu: VersionInterval, policy: Policy): string {
  const axis = pathAxis(qemu, policy, libvirt);
  const where = axis === 'qemu' ? rangeText('QEMU', qemu) : rangeText('libvirt', libvirt);
  const running = policy.ci.filter((j) => jobRuns(j, libvirt, qemu, policy));
  const upstream = running.filter((j) => j.kind === 'upstream');
  const thirdParty = running.filter((j) => j.kind === 'third-party');
  if (cls === 'A') return `Support class A: upstream CI runs it (${jobList(upstream, axis) || 'an upstream job'}).`;
  if (cls === 'B')
    return `Support class B: only third-party CI runs it (${jobList(thirdParty, axis) || 'a third-party job'}); no upstream job runs ${where}.`;
  const all = policy.ci.length ? ` (${jobList(policy.ci, axis)})` : ' (no CI jobs configured)';
  return `Support class C: no CI job runs ${where}${all}.`;
}

/**
 * "Runs on: Ubuntu 24.04, Debian 13; not on: RHEL 9.6." for the CI jobs' presets and the
 * policy's `distros`. Releases below the minimum are named apart: "not on" would suggest the
 * path is the problem there. None for dead code or when there is nothing to name.
 */
function distroLine(libvirt: VersionInterval, qemu: VersionInterval, policy: Policy): string | undefined {
  if (libvirt.lo >= libvirt.hi || qemu.lo >= qemu.hi) return undefined;
  const names = [...policy.ci.flatMap((j) => (j.preset ? [j.preset] : [])), ...(policy.distros ?? defaultDistros)];
  const split = splitDistros(names, libvirt, qemu, { libvirt: policy.minLibvirt, qemu: policy.minQemu });
  const labels = (list: readonly string[]): string => list.map((n) => presets[n].label).join(', ');
  const parts = [split.runs.length ? `Runs on: ${labels(split.runs)}` : 'Runs on none of the listed releases'];
  if (split.notRuns.length) parts.push(`not on: ${labels(split.notRuns)}`);
  if (split.unsupported.length) parts.push(`below the minimum: ${labels(split.unsupported)}`);
  return split.runs.length + split.notRuns.length + split.unsupported.length ? `${parts.join('; ')}.` : undefined;
}

/** The last part of a uri, decoded (as written when it is not valid percent-encoding). */
function fileNameOf(uri: string): string {
  const last = uri.replace(/^.*\//, '');
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

function guardWhere(g: GuardFact, ctx: HoverContext): string {
  const line = `line ${g.range.start.line + 1}`;
  if (g.uri === ctx.uri) return line;
  const file = fileNameOf(g.uri);
  return `${file}:${g.range.start.line + 1}`;
}

/** `self._host.has_min_version(X)` → `has_min_version(X)`: the receiver chain is noise in a sentence. */
function shortGuard(text: string): string {
  const m = /^(?:not\s+)?[A-Za-z_][\w.]*\.([A-Za-z_]\w*\(.*)$/s.exec(text);
  if (!m) return text;
  return text.startsWith('not ') ? `not ${m[1]}` : m[1];
}

function guardsSentence(guards: readonly GuardFact[], ctx: HoverContext): string {
  const parts = guards.map((g) => `${code(shortGuard(g.text))} at ${guardWhere(g, ctx)}`);
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

const versionGuardKinds: ReadonlySet<GuardFact['kind']> = new Set([
  'version-check',
  'exact-version-check',
  'helper',
  'caller',
]);

/**
 * Where the interval comes from: version checks narrow it; a symbol newer than the path
 * starts at its own version; hasattr/except AttributeError protect availability only.
 */
function runsHereLine(
  libvirt: VersionInterval,
  qemu: VersionInterval,
  facts: HoverFacts,
  policy: Policy,
  ctx: HoverContext,
): string {
  const versionGuards = facts.guards.filter((g) => versionGuardKinds.has(g.kind));
  const protecting = facts.guards.filter(
    (g) => g.kind === 'hasattr' || g.kind === 'except-attributeerror' || g.kind === 'except-importerror',
  );
  const qemuPart = qemu.lo > policy.minQemu || qemu.hi !== Infinity ? ` and QEMU ${intervalText(qemu)}` : '';
  const reasons: string[] = [];
  if (versionGuards.length) reasons.push(`because of ${guardsSentence(versionGuards, ctx)}`);
  const needs = facts.symbol?.since ?? facts.xml?.since;
  const checked = Math.max(
    policy.minLibvirt,
    ...versionGuards.filter((g) => g.axis !== 'qemu').map((g) => g.version ?? 0),
  );
  const versionsKnown = versionGuards.every((g) => g.version !== undefined);
  const producer = facts.symbol?.receiverVia?.producer;
  if (needs !== undefined && versionsKnown && needs > checked && libvirt.lo === needs)
    reasons.push(`${versionGuards.length ? 'and ' : 'because '}it needs libvirt ≥ ${v(needs)}`);
  else if (producer && versionsKnown && producer.since > checked && libvirt.lo === producer.since)
    reasons.push(
      `${versionGuards.length ? 'and ' : 'because '}its object comes from ${code(producer.python)} (libvirt ≥ ${v(producer.since)})`,
    );
  let line = `Runs here on libvirt ${intervalText(libvirt)}${qemuPart}`;
  line += reasons.length
    ? ` ${reasons.join(' ')}.`
    : `: no version check narrows this path (minimum ${v(policy.minLibvirt)}, from ${policy.minLibvirtSource}).`;
  if (protecting.length)
    line += ` Protected by ${guardsSentence(protecting, ctx)}: that keeps it from failing, not tested.`;
  return line;
}

function gatedLine(facts: HoverFacts): string {
  const gate = facts.guards.find((g) => g.kind === 'gate');
  if (!facts.gated) return 'Gated: no.';
  return gate ? `Gated: yes (${code(gate.text)}).` : 'Gated: yes.';
}

/** Why the receiver was taken for its class: "Typed as `virDomain` because `dom = conn.lookupByName(...)` at line 12." */
function receiverLine(s: SymbolFacts, policy: Policy): string | undefined {
  const via = s.receiverVia;
  if (!via || via.kind === 'oldest-candidate') return undefined; // the candidates paragraph says it
  const dot = s.python.lastIndexOf('.');
  const cls = code(s.python.slice(0, dot));
  const method = code(s.python.slice(dot + 1));
  const line = `line ${via.range.start.line + 1}`;
  let text: string;
  switch (via.kind) {
    case 'return-type':
      text = `Typed as ${cls} because ${code(via.text)} at ${line}.`;
      break;
    case 'annotation':
      text = `Typed as ${cls} because of the annotation ${code(via.text)} at ${line}.`;
      break;
    case 'name-map':
      text = `Typed as ${cls} by the receiver name map (setting \`receivers\`: ${code(via.text)} → ${cls}).`;
      break;
    case 'unique-name':
      text = `Typed as ${cls} because no other libvirt class defines ${method} (the receiver's type is not known).`;
      break;
  }
  const producer = via.producer;
  if (producer && producer.since > policy.minLibvirt)
    text += ` It exists only where ${code(producer.python)} (libvirt ≥ ${v(producer.since)}) ran.`;
  return text;
}

function symbolHover(facts: HoverFacts, policy: Policy, ctx: HoverContext): string[] {
  const s = facts.symbol;
  if (!s) return [];
  const lines = [`${code(s.python)} → C ${code(s.cName)}, since libvirt ${v(s.since)}`];
  const typed = receiverLine(s, policy);
  if (typed) lines.push(typed);
  const use: VersionInterval = { lo: Math.max(facts.interval.libvirt.lo, s.since), hi: facts.interval.libvirt.hi };
  lines.push(runsHereLine(use, facts.interval.qemu, facts, policy, ctx));
  lines.push(classLine(facts.supportClass, use, facts.interval.qemu, policy));
  const distros = distroLine(use, facts.interval.qemu, policy);
  if (distros) lines.push(distros);
  lines.push(gatedLine(facts));
  if (s.candidates && s.candidates.length > 1) {
    const list = s.candidates.map((c) => `- ${code(c.python)} since ${v(c.since)}`).join('\n');
    lines.push(`The receiver's class is not known; candidates (the oldest counts):\n${list}`);
  }
  lines.push(`[libvirt documentation](${s.docsUrl})`);
  return lines;
}

const xmlWriters: Record<NonNullable<HoverFacts['xml']>['via'], string> = {
  builder: 'an ElementTree/lxml call',
  template: 'an XML string',
  'config-attribute': 'a config object attribute',
};

function xmlHover(facts: HoverFacts, policy: Policy, ctx: HoverContext): string[] {
  const x = facts.xml;
  if (!x) return [];
  const qemu = x.qemuSince !== undefined ? ` and QEMU ${v(x.qemuSince)}` : '';
  const since = x.dated
    ? `since libvirt ${v(x.since)}${qemu}`
    : `no libvirt version documented (always available)${qemu}`;
  const scope = x.scope ? `; documented for ${x.scope}` : '';
  const lines = [`libvirt XML ${code(x.xpath)}, ${since}${scope}`];
  lines.push(runsHereLine(facts.interval.libvirt, facts.interval.qemu, facts, policy, ctx));
  lines.push(classLine(facts.supportClass, facts.interval.libvirt, facts.interval.qemu, policy));
  const distros = distroLine(facts.interval.libvirt, facts.interval.qemu, policy);
  if (distros) lines.push(distros);
  lines.push(gatedLine(facts));
  const writer = x.configAttribute
    ? `Written through ${code(x.configAttribute)}: its class writes this XML when the attribute is set.`
    : `Written by ${xmlWriters[x.via]}.`;
  const others =
    x.otherPaths > 0
      ? ` The code could also mean ${x.otherPaths} other path${x.otherPaths > 1 ? 's' : ''} (its outer elements are not in view); the oldest counts.`
      : '';
  lines.push(`${writer}${others}`);
  lines.push(`Documented in libvirt 11.3.0: ${x.evidence.replace(/`/g, "'")}`);
  lines.push(`[libvirt documentation](${x.docsUrl})`);
  return lines;
}

function checkHover(facts: HoverFacts, policy: Policy, ctx: HoverContext): string[] {
  const c = facts.check;
  if (!c) return [];
  const axisName = c.axis === 'qemu' ? 'QEMU' : 'libvirt';
  const what =
    facts.kind === 'constant'
      ? `Version constant${ctx.sourceText ? ` ${code(ctx.sourceText)}` : ''}`
      : c.helper !== undefined
        ? `Version check through ${code(c.helper)}`
        : 'Version check';
  const relation = c.exact
    ? `${axisName} ${c.negated ? '≠' : '='} ${v(c.version)}${c.negated ? '' : ' exactly'}`
    : `${axisName} ${c.negated ? '<' : '≥'} ${v(c.version)}`;
  const lines = [`${what}: ${relation}`];
  const satisfying = policy.ci.filter((j) => {
    const x = c.axis === 'qemu' ? j.qemu : j.libvirt;
    return x !== undefined && contains(c.thenInterval, x);
  });
  lines.push(
    satisfying.length
      ? `CI jobs that pass it: ${satisfying.map((j) => `${jobText(j, c.axis)} (${j.kind})`).join(', ')}.`
      : 'No CI job passes it.',
  );
  const minimum = c.axis === 'qemu' ? policy.minQemu : policy.minLibvirt;
  // The branch where it fails raises or exits: the check is what makes the minimum hold.
  const enforcing = `${axisName} ${v(minimum)} is the minimum, and this check enforces it: the code refuses to run below it.`;
  lines.push(
    c.thenInterval.lo >= c.thenInterval.hi
      ? c.enforcesMinimum
        ? `Then-branch: runs on no supported host: ${enforcing}`
        : `Then-branch: never runs: no supported host (${axisName} ≥ ${v(minimum)}, the minimum) passes the check.`
      : `Then-branch: ${axisName} ${intervalText(c.thenInterval)}, class ${c.thenClass}.`,
  );
  lines.push(
    c.elseInterval.lo >= c.elseInterval.hi
      ? c.enforcesMinimum
        ? `Else-branch: runs on no supported host: ${enforcing}`
        : `Else-branch: never runs: every supported host has ${axisName} ≥ ${v(minimum)} (the minimum), so the check is obsolete.`
      : `Else-branch: ${axisName} ${intervalText(c.elseInterval)}, class ${c.elseClass}.`,
  );
  return lines;
}

const helpLimit = 600;

/** Text from a Python file shown as markdown: characters markdown would read as markup are escaped. */
function plainText(s: string): string {
  return s.replace(/[\\`*_[\]<>#|~]/g, (c) => `\\${c}`);
}

/** The option's help as a quote, paragraph by paragraph (long help is cut). */
function helpQuote(help: string): string | undefined {
  const trimmed = help.trim();
  if (!trimmed) return undefined;
  const cut = trimmed.length > helpLimit ? `${trimmed.slice(0, helpLimit).replace(/\s+\S*$/, '')} …` : trimmed;
  return cut
    .split(/\n\s*\n/)
    .map((p) => `> ${plainText(p.replace(/\s+/g, ' ').trim())}`)
    .join('\n>\n');
}

/** Where the option is declared, what it defaults to, and its help; or that it is not declared. */
function optionLines(option: OptionFacts, ctx: HoverContext): string[] {
  const name = code(`[${option.group}] ${option.name}`);
  const d = option.declaration;
  if (!d)
    return [
      `Option ${name} is not declared: no oslo.config option of the workspace has that name in that group (LVG008).`,
    ];
  const where = d.uri === ctx.uri ? `line ${d.range.start.line + 1}` : `${fileNameOf(d.uri)}:${d.range.start.line + 1}`;
  // Parentheses in the target would end the markdown link early; brackets in the text, its label.
  const target = d.uri.replace(/\(/g, '%28').replace(/\)/g, '%29');
  const link = `[${plainText(where)}](${target}#L${d.range.start.line + 1})`;
  const def =
    d.defaultText === undefined
      ? 'no default (None: off)'
      : d.defaultText === 'True'
        ? `default ${code('True')}: the code behind it runs unless operators opt out (LVG009)`
        : `default ${code(d.defaultText)}`;
  const lines = [`Option ${name} (${d.type}), ${def}; declared at ${link}.`];
  const quote = d.help === undefined ? undefined : helpQuote(d.help);
  if (quote) lines.push(quote);
  return lines;
}

function gateHover(facts: HoverFacts, policy: Policy, ctx: HoverContext): string[] {
  const text = ctx.sourceText ?? facts.guards.find((g) => g.kind === 'gate')?.text ?? policy.gates[0] ?? 'the gate';
  const lines = [
    `Opt-in gate ${code(text)}: the code behind it runs only when the operator enables untested features.`,
    ...(facts.option ? optionLines(facts.option, ctx) : []),
  ];
  const { libvirt, qemu } = facts.interval;
  lines.push(classLine(facts.supportClass, libvirt, qemu, policy));
  const distros = distroLine(libvirt, qemu, policy);
  if (distros) lines.push(distros);
  lines.push(
    facts.supportClass === 'A'
      ? 'The gate is no longer needed here: upstream CI tests this path.'
      : 'The gate is still needed: no upstream CI job tests this path.',
  );
  return lines;
}

/** Markdown for one HoverFacts: paragraphs separated by blank lines. */
export function hoverMarkdown(facts: HoverFacts, policy: Policy, ctx: HoverContext): string {
  let lines: string[];
  switch (facts.kind) {
    case 'symbol':
      lines = symbolHover(facts, policy, ctx);
      break;
    case 'check':
    case 'constant':
      lines = checkHover(facts, policy, ctx);
      break;
    case 'gate':
      lines = gateHover(facts, policy, ctx);
      break;
    case 'xml':
      lines = xmlHover(facts, policy, ctx);
      break;
  }
  return lines.join('\n\n');
}
