// The fix that declares a missing opt-in option: `cfg.BoolOpt('<name>', default=False,
// help='...')` appended to the one option list registered for the gate's group, written in
// that list's style (indentation, quotes, trailing commas, how the file names BoolOpt). It
// refuses, saying why in its title, when there is no such list, several, or one it cannot
// edit safely.
import type { OptionInsertion } from '../semantic/configOptions';
import type { GateOptionLookup, LocatedList } from '../semantic/gateOption';
import type { Fix, TextEdit } from '../types';
import type { RuleEnv } from './rule';

const lineWidth = 79;

/** The help text: what the option enables, naming the support classes it gates. */
function optionHelp(env: RuleEnv): string {
  const classes = env.policy.untestedIncludesClassB
    ? 'support classes B and C: only third-party CI or no CI job runs them'
    : 'support class C: no CI job runs them';
  return `Enable code paths that upstream CI does not test (${classes}). Off by default: enable them at your own risk.`;
}

/** `'a b c '` pieces of at most `width` characters each (quotes included), split between words. */
function wrapString(text: string, quote: string, firstWidth: number, width: number): string[] {
  const words = text.split(' ');
  const out: string[] = [];
  let current = '';
  for (const [i, word] of words.entries()) {
    const piece = i < words.length - 1 ? `${word} ` : word;
    const limit = (out.length ? width : firstWidth) - 2;
    if (current && current.length + piece.length > limit) {
      out.push(current);
      current = '';
    }
    current += piece;
  }
  out.push(current);
  return out.map((s) => `${quote}${s}${quote}`);
}

function element(ins: OptionInsertion, name: string, help: string, closing: string): string {
  const q = ins.quote;
  if (!ins.lineBreak) return `${ins.boolOpt}(${q}${name}${q}, default=False, help=${q}${help}${q})${closing}`;
  const pad = `${ins.indent}${' '.repeat(ins.boolOpt.length + 1)}`;
  const helpPad = `${pad}${' '.repeat('help='.length)}`;
  // The closing `),` counts against the last line, so leave room for it on every line.
  const pieces = wrapString(help, q, lineWidth - pad.length - 5 - 2, lineWidth - helpPad.length - 2);
  const lines = [`${ins.indent}${ins.boolOpt}(${q}${name}${q},`, `${pad}default=False,`];
  pieces.forEach((p, i) => lines.push(`${i === 0 ? `${pad}help=` : helpPad}${p}`));
  return `${lines.join(ins.eol)})${closing}`;
}

/** The edits that append the option to a list (positions of the list's file). */
function declarationEdits(ins: OptionInsertion, name: string, help: string): TextEdit[] {
  const closing = ins.trailingComma ? ',' : '';
  const text = (ins.lineBreak ? ins.eol : ' ') + element(ins, name, help, closing);
  const at = { start: ins.at, end: ins.at };
  const c = ins.commaAt;
  if (c && c.line === ins.at.line && c.character === ins.at.character) return [{ range: at, newText: `,${text}` }];
  return [...(c ? [{ range: { start: c, end: c }, newText: ',' }] : []), { range: at, newText: text }];
}

/** The file's name, for titles and messages: `conf.py` (as written when it is not valid percent-encoding). */
export function fileName(uri: string): string {
  const last = uri.replace(/^.*\//, '');
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

function listWhere(l: LocatedList): string {
  return `${l.name} in ${fileName(l.uri)}`;
}

/** Declares the gate's option in the group's option list, or refuses with the reason in its title. */
export function declareOptionFix(env: RuleEnv, lookup: GateOptionLookup): Fix {
  const what = `Declare [${lookup.group}] ${lookup.name}`;
  const refuse = (reason: string): Fix => ({
    title: `${what}: refused, ${reason}`,
    safe: false,
    preferred: false,
    kind: 'declare-option',
    edits: [],
  });
  const lists = lookup.lists;
  const list = lists[0];
  if (list === undefined) return refuse(`no option list is registered for group '${lookup.group}'`);
  if (lists.length > 1) {
    const shown = lists.slice(0, 4).map(listWhere).join(', ');
    const more = lists.length > 4 ? `, and ${lists.length - 4} more` : '';
    return refuse(
      `${lists.length} option lists are registered for group '${lookup.group}' (${shown}${more}): add it to one by hand`,
    );
  }
  const ins = list.insertion;
  if (!ins) return refuse(`${listWhere(list)} cannot take it: ${list.refusal ?? 'unknown layout'}`);
  const edits = declarationEdits(ins, lookup.name, optionHelp(env));
  const title = `${what}: add ${ins.boolOpt}('${lookup.name}', default=False) to ${listWhere(list)}`;
  const base = { title, safe: false, preferred: true, kind: 'declare-option' as const };
  if (list.uri === env.uri) return { ...base, edits };
  return { ...base, edits: [], otherFiles: [{ uri: list.uri, edits, anchor: ins.anchor }] };
}
