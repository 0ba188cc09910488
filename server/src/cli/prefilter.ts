// A cheap text test that lets `check` skip analyzing files that cannot hold libvirt use.
// It must never skip a file the engine would report on; docs/cli.md states the rule.
// (Every file still enters the workspace index: others may call into it.)
import type { Policy } from '../config/policy';
import type { FeatureDb } from '../data/featureDb';
import { isDistinctiveMethodName } from '../engine/api';
import type { XmlFeatureDb } from '../data/xmlFeatureDb';

export interface Prefilter {
  mayMatter(text: string): boolean;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A file is analyzed when its text contains any of:
 * 1. `libvirt` (imports, `libvirt.X`, `libvirt_qemu`, annotations, the gate's usual name);
 * 2. `MIN_` (version constants);
 * 3. the name of a version-check function of the policy;
 * 4. the last name of a gate expression (`enable_untested_features`);
 * 5. a receiver-map name followed by `.` (`dom.`, `guest._domain.`, `_get_connection().`);
 * 6. `.name` where `name` is a method name that identifies a libvirt class on a receiver of unknown
 *    type (camelCase such as `fsFreeze`, or a lowercase name only one class defines and that is not a
 *    common Python method name, such as `migrate3`);
 * 7. XML it may write: `<name` for an element name of the XML feature table, `Element(` (ElementTree and
 *    lxml builders) or `format_dom` (a config class).
 * A file that fails all of them is still analyzed when it names a config class of the workspace
 * (`configClassMention`, asked once the index is complete): it may construct one or set its
 * attributes; or when it calls an element factory of the workspace (`factoryCallMention`).
 */
export function buildPrefilter(policy: Policy, db: FeatureDb, xmlDb: XmlFeatureDb): Prefilter {
  const words = new Set<string>(['libvirt', 'MIN_', ...policy.versionChecks]);
  for (const gate of policy.gates) {
    const last = /([A-Za-z_]\w*)\W*$/.exec(gate);
    if (last) words.add(last[1]);
  }
  const receiverNames = [
    ...new Set(Object.keys(policy.receivers).map((r) => r.replace(/\(\)$/, '').split('.').at(-1) ?? r)),
  ];
  const receiverRe = receiverNames.length
    ? new RegExp(`(?<![\\w])(?:${receiverNames.map(escapeRe).join('|')})\\s*(?:\\(\\s*\\))?\\s*\\.`)
    : undefined;
  const attributeRe = /\.\s*([A-Za-z]\w*)/g;
  const distinctive = new Map<string, boolean>();
  const isLibvirtMethod = (name: string): boolean => {
    let known = distinctive.get(name);
    if (known === undefined) {
      known = isDistinctiveMethodName(db, name);
      distinctive.set(name, known);
    }
    return known;
  };
  words.add('format_dom');
  const wordList = [...words];
  const names = [...xmlDb.elementNames].sort((a, b) => b.length - a.length).map(escapeRe);
  const xmlRe = new RegExp(`<(?:${names.join('|')})[\\s/>'"]|\\bElement\\s*\\(`);
  return {
    mayMatter(text: string): boolean {
      for (const w of wordList) if (text.includes(w)) return true;
      if (receiverRe?.test(text)) return true;
      if (text.includes('<') || text.includes('Element')) if (xmlRe.test(text)) return true;
      attributeRe.lastIndex = 0;
      for (let m = attributeRe.exec(text); m; m = attributeRe.exec(text)) if (isLibvirtMethod(m[1])) return true;
      return false;
    },
  };
}

/**
 * Whether a text names one of the workspace's config classes (rule 7's complement; see
 * buildPrefilter): a capitalized word of the text that is one of them (a use resolves a class
 * by such a name only). Made once per list: one pass over a text's capitalized words, not a
 * search of the text per name (Nova's tree has hundreds of class names: 5 % of its `check`).
 */
export function configClassMention(classNames: readonly string[]): (text: string) => boolean {
  const names = new Set(classNames);
  return (text) => {
    if (!names.size) return false;
    const word = /\b[A-Z]\w*/g;
    for (let m = word.exec(text); m; m = word.exec(text)) if (names.has(m[0])) return true;
    return false;
  };
}

/**
 * Whether a text calls a name of one of the workspace's element factories (`name(`): it may
 * create XML through it. The names are few: a search per name.
 */
export function factoryCallMention(names: readonly string[]): (text: string) => boolean {
  const calls = names.map((n) => `${n}(`);
  return (text) => calls.some((c) => text.includes(c));
}
