// The oslo.config options a file declares (`cfg.BoolOpt('name', default=..., help=...)`),
// the group each is registered in, and the option lists a new option could be added to, with
// the style the file writes them in. Read from one file's tree; plain data (no node ids), so
// it can be kept in the workspace index and cross worker threads.
//
// Groups come from the file's own registrations: `conf.register_opts(opts, group=grp)` (also
// `register_opt`, `register_cli_opts`, a positional group, `group='libvirt'`, a variable bound
// to `cfg.OptGroup('libvirt', ...)`), and `list_opts()` returning `{grp: opts}` or
// `[(grp, opts)]`. `opts` may be a list, a module-level name of one, `a + b`, `list(...)` or
// `itertools.chain(a, b, ...)` of them (Nova's ALL_OPTS).
import {
  callArguments,
  calleeName,
  dottedName,
  Field,
  indentation,
  NodeKind,
  unparen,
  type NodeId,
  type SyntaxTree,
} from '../syntax/index';
import type { Position, Range } from '../types';
import type { FileModel } from './fileModel';

export interface ConfigOption {
  readonly name: string;
  /** The group it is registered in; undefined when this file does not register it. */
  readonly group: string | undefined;
  /** The option class: 'BoolOpt', 'StrOpt', ... */
  readonly type: string;
  /** Source text of `default=...` (on one line), when given. */
  readonly defaultText?: string;
  readonly defaultRange?: Range;
  /** The value of `help=...` when it is a string literal (or `_('...')`). */
  readonly help?: string;
  /** The option's name string. */
  readonly range: Range;
}

/** How a new option goes into a list, in the list's own style. */
export interface OptionInsertion {
  /** From the list's last element to its `]`: the edits hold only while this text is unchanged. */
  readonly anchor: { readonly range: Range; readonly text: string };
  /** Where the new element's text goes. */
  readonly at: Position;
  /** Where a comma goes after the last element (it has none). */
  readonly commaAt?: Position;
  /** Elements start their own lines (else the list is written on one line). */
  readonly lineBreak: boolean;
  readonly indent: string;
  readonly trailingComma: boolean;
  readonly quote: string;
  /** How the file calls BoolOpt: 'cfg.BoolOpt', 'BoolOpt'. */
  readonly boolOpt: string;
  readonly eol: string;
}

export interface OptionList {
  /** The groups it is registered in (at least one). */
  readonly groups: readonly string[];
  /** `libvirt_general_opts`, or `the list at line 12`. */
  readonly name: string;
  readonly range: Range;
  readonly insertion?: OptionInsertion;
  /** Why a new option cannot be added to it automatically. */
  readonly refusal?: string;
}

export interface ConfigOptionsOfFile {
  readonly options: readonly ConfigOption[];
  /** The lists registered for a known group. */
  readonly lists: readonly OptionList[];
}

const optionClass = /^(?:[A-Z]\w*)?Opt$/;
const notADeclaration = new Set(['DeprecatedOpt']);
const registerCalls = new Set(['register_opts', 'register_opt', 'register_cli_opts', 'register_cli_opt']);
const maxDepth = 8;

/** Whether a text can declare oslo.config options at all (cheap, before parsing). */
export function mayDeclareOptions(text: string): boolean {
  return text.includes('oslo_config') && text.includes('Opt(');
}

/** `'abc'`, `"a" 'b'`, `u'x'`, `_('x')`: the string's value; undefined for anything else (f-strings, bytes). */
export function stringValue(t: SyntaxTree, node: NodeId): string | undefined {
  const n = unparen(t, node);
  const kind = t.kind(n);
  if (kind === NodeKind.String) return literalValue(t.text(n));
  if (kind === NodeKind.ConcatenatedString) {
    const parts = t.children(n).map((c) => (t.kind(c) === NodeKind.String ? literalValue(t.text(c)) : undefined));
    return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
  }
  if (kind === NodeKind.Call && calleeName(t, n) === '_') {
    const args = callArguments(t, n);
    const only = args.positional[0];
    return args.positional.length === 1 && args.keyword.size === 0 && only !== undefined
      ? stringValue(t, only)
      : undefined;
  }
  return undefined;
}

const simpleEscapes: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
};

function literalValue(text: string): string | undefined {
  const m = /^([rRuU]?)('''|"""|'|")([\s\S]*)\2$/.exec(text);
  if (!m) return undefined;
  const body = m[3] ?? '';
  if (m[1] === 'r' || m[1] === 'R') return body;
  return body.replace(/\\(\r\n|\n|\r|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)/g, (whole, e: string) => {
    if (e === '\n' || e === '\r\n' || e === '\r') return '';
    if (e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
    return simpleEscapes[e] ?? whole;
  });
}

/** The names by which the file reaches oslo.config's option classes. */
function optionNames(model: FileModel): { prefixes: Set<string>; bare: Map<string, string> } {
  const prefixes = new Set<string>();
  const bare = new Map<string, string>();
  for (const [local, from] of model.foreignImports) {
    if (from.module === 'oslo_config' && from.name === 'cfg') prefixes.add(local);
    else if (from.module === 'oslo_config.cfg' && from.name === undefined) prefixes.add(local);
    else if (from.module === 'oslo_config' && from.name === undefined && local === 'oslo_config')
      prefixes.add('oslo_config.cfg');
    else if (from.module === 'oslo_config.cfg' && from.name && optionClass.test(from.name)) bare.set(local, from.name);
  }
  return { prefixes, bare };
}

/** The option class of an oslo.config option call (`cfg.BoolOpt(...)` → 'BoolOpt'), if it is one. */
function optionType(
  t: SyntaxTree,
  call: NodeId,
  names: { prefixes: Set<string>; bare: Map<string, string> },
): string | undefined {
  const fn = t.field(call, Field.Function);
  const dotted = fn === undefined ? undefined : dottedName(t, fn);
  if (!dotted) return undefined;
  const dot = dotted.lastIndexOf('.');
  const type = dot < 0 ? names.bare.get(dotted) : dotted.slice(dot + 1);
  if (type === undefined || !optionClass.test(type) || notADeclaration.has(type)) return undefined;
  return dot < 0 || names.prefixes.has(dotted.slice(0, dot)) ? type : undefined;
}

function oneLine(t: SyntaxTree, n: NodeId): string {
  return t.text(n).replace(/\s+/g, ' ');
}

class OptionReader {
  private readonly t: SyntaxTree;
  private readonly groupVars = new Map<string, string>();
  /** List node → groups it is registered in. */
  private readonly listGroups = new Map<NodeId, Set<string>>();
  /** Option call registered alone (`register_opt(cfg.BoolOpt(...), group=...)`) → groups. */
  private readonly optGroups = new Map<NodeId, Set<string>>();

  constructor(
    private readonly model: FileModel,
    private readonly names: { prefixes: Set<string>; bare: Map<string, string> },
  ) {
    this.t = model.tree;
  }

  read(): ConfigOptionsOfFile | undefined {
    const t = this.t;
    const optionCalls = this.model.calls.filter((c) => optionType(t, c, this.names) !== undefined);
    if (!optionCalls.length) return undefined;
    for (const [name, value] of this.model.constants) {
      const v = unparen(t, value);
      if (t.kind(v) !== NodeKind.Call || calleeName(t, v) !== 'OptGroup') continue;
      const args = callArguments(t, v);
      const groupName = args.keyword.get('name') ?? args.positional[0];
      const group = groupName === undefined ? undefined : stringValue(t, groupName);
      if (group) this.groupVars.set(name, group);
    }
    this.readRegistrations();
    this.readListOpts();
    const options: ConfigOption[] = [];
    for (const call of optionCalls) {
      const option = this.option(call);
      if (!option) continue;
      const parent = t.parent(call);
      const groups =
        this.optGroups.get(call) ?? (parent !== undefined ? this.listGroups.get(parent) : undefined) ?? new Set();
      if (!groups.size) options.push({ ...option, group: undefined });
      for (const group of [...groups].sort()) options.push({ ...option, group });
    }
    const lists: OptionList[] = [];
    for (const [list, groups] of this.listGroups) {
      if (groups.size) lists.push(this.optionList(list, [...groups].sort()));
    }
    lists.sort((a, b) => a.range.start.line - b.range.start.line);
    return { options, lists };
  }

  private option(call: NodeId): Omit<ConfigOption, 'group'> | undefined {
    const t = this.t;
    const type = optionType(t, call, this.names);
    const args = callArguments(t, call);
    const nameNode = args.keyword.get('name') ?? args.positional[0];
    const name = nameNode === undefined ? undefined : stringValue(t, nameNode);
    if (!type || nameNode === undefined || !name) return undefined;
    const def = args.keyword.get('default');
    const helpNode = args.keyword.get('help');
    const help = helpNode === undefined ? undefined : stringValue(t, helpNode);
    return {
      name,
      type,
      range: t.range(nameNode),
      ...(def !== undefined ? { defaultText: oneLine(t, def), defaultRange: t.range(def) } : {}),
      ...(help !== undefined ? { help } : {}),
    };
  }

  /** A group expression: `'libvirt'`, `libvirt_group`, `libvirt_group.name`, `None` (DEFAULT). */
  private group(node: NodeId | undefined): string | undefined {
    if (node === undefined) return 'DEFAULT';
    const t = this.t;
    const n = unparen(t, node);
    const kind = t.kind(n);
    if (kind === NodeKind.None) return 'DEFAULT';
    if (kind === NodeKind.Identifier) return this.groupVars.get(t.text(n));
    if (kind === NodeKind.Attribute) {
      const obj = t.field(n, Field.Object);
      const attr = t.field(n, Field.Attribute);
      if (obj !== undefined && attr !== undefined && t.text(attr) === 'name' && t.kind(obj) === NodeKind.Identifier)
        return this.groupVars.get(t.text(obj));
      return undefined;
    }
    return stringValue(t, n);
  }

  /** The list literals an option-list expression stands for. */
  private lists(node: NodeId, depth = 0): NodeId[] {
    if (depth > maxDepth) return [];
    const t = this.t;
    const n = unparen(t, node);
    switch (t.kind(n)) {
      case NodeKind.List: {
        const out: NodeId[] = [];
        let plain = false;
        for (const e of t.children(n)) {
          if (t.kind(e) === NodeKind.ListSplat) {
            const inner = t.firstChild(e);
            if (inner !== undefined) out.push(...this.lists(inner, depth + 1));
          } else plain = true;
        }
        return plain || !t.firstChild(n) ? [n, ...out] : out;
      }
      case NodeKind.Identifier: {
        const value = this.model.constants.get(t.text(n));
        return value === undefined ? [] : this.lists(value, depth + 1);
      }
      case NodeKind.BinaryOperator: {
        const op = t.field(n, Field.Operator);
        const left = t.field(n, Field.Left);
        const right = t.field(n, Field.Right);
        if (op === undefined || t.text(op) !== '+' || left === undefined || right === undefined) return [];
        return [...this.lists(left, depth + 1), ...this.lists(right, depth + 1)];
      }
      case NodeKind.Call: {
        const name = calleeName(t, n);
        if (name !== 'list' && name !== 'tuple' && name !== 'chain') return [];
        const args = callArguments(t, n).positional;
        return (name === 'chain' ? args : args.slice(0, 1)).flatMap((a) => this.lists(a, depth + 1));
      }
      default:
        return [];
    }
  }

  private note(list: NodeId, group: string): void {
    const set = this.listGroups.get(list);
    if (set) set.add(group);
    else this.listGroups.set(list, new Set([group]));
  }

  private readRegistrations(): void {
    const t = this.t;
    for (const call of this.model.calls) {
      const name = calleeName(t, call);
      if (!name || !registerCalls.has(name) || t.kind(t.field(call, Field.Function) ?? call) !== NodeKind.Attribute)
        continue;
      const args = callArguments(t, call);
      const what = args.keyword.get(name.endsWith('opts') ? 'opts' : 'opt') ?? args.positional[0];
      const group = this.group(args.keyword.get('group') ?? args.positional[1]);
      if (what === undefined || group === undefined) continue;
      if (name.endsWith('opts')) {
        for (const list of this.lists(what)) this.note(list, group);
        continue;
      }
      let opt = unparen(t, what);
      if (t.kind(opt) === NodeKind.Identifier) opt = this.model.constants.get(t.text(opt)) ?? opt;
      if (t.kind(opt) === NodeKind.Call && optionType(t, opt, this.names)) {
        const set = this.optGroups.get(opt) ?? new Set<string>();
        set.add(group);
        this.optGroups.set(opt, set);
      }
    }
  }

  /** `def list_opts(): return {grp: opts}` or `[(grp, opts), ...]` (the oslo-config-generator entry point). */
  private readListOpts(): void {
    const t = this.t;
    for (const fn of this.model.functionsByName.get('list_opts') ?? []) {
      if (fn.className) continue;
      const body = t.field(fn.node, Field.Body);
      if (body === undefined) continue;
      for (const ret of t.descendantsOfKind(body, NodeKind.ReturnStatement)) {
        if (this.model.unitOf(ret)?.node !== fn.node) continue;
        const value = t.firstChild(ret);
        if (value !== undefined) this.readGroupPairs(unparen(t, value));
      }
    }
  }

  private readGroupPairs(value: NodeId): void {
    const t = this.t;
    const kind = t.kind(value);
    const pairs: [NodeId | undefined, NodeId | undefined][] = [];
    if (kind === NodeKind.Dictionary) {
      for (const p of t.children(value))
        if (t.kind(p) === NodeKind.Pair) pairs.push([t.field(p, Field.Key), t.field(p, Field.Value)]);
    } else if (kind === NodeKind.List || kind === NodeKind.Tuple) {
      for (const e of t.children(value)) {
        const item = unparen(t, e);
        const parts = t.kind(item) === NodeKind.Tuple ? t.children(item) : [];
        if (parts.length === 2) pairs.push([parts[0], parts[1]]);
      }
    }
    for (const [key, lists] of pairs) {
      if (key === undefined || lists === undefined) continue;
      const group = this.group(key);
      if (group !== undefined) for (const list of this.lists(lists)) this.note(list, group);
    }
  }

  private optionList(list: NodeId, groups: string[]): OptionList {
    const t = this.t;
    const assignment = t.parent(list);
    const left =
      assignment !== undefined && t.kind(assignment) === NodeKind.Assignment
        ? t.field(assignment, Field.Left)
        : undefined;
    const name =
      left !== undefined && t.kind(left) === NodeKind.Identifier
        ? t.text(left)
        : `the list at line ${t.lines.lineAt(t.start(list)) + 1}`;
    const base = { groups, name, range: t.range(list) };
    const insertion = this.insertion(list);
    return typeof insertion === 'string' ? { ...base, refusal: insertion } : { ...base, insertion };
  }

  /** Where and how a new element goes at the end of the list, or why it cannot. */
  private insertion(list: NodeId): OptionInsertion | string {
    const t = this.t;
    if (t.problems.length) return 'the file has syntax errors';
    const elements = t.children(list);
    const last = elements[elements.length - 1];
    if (last === undefined) return 'the list is empty';
    const style = [...elements].reverse().find((e) => t.kind(e) === NodeKind.Call && optionType(t, e, this.names));
    if (style === undefined) return 'it holds no option written out to copy the style of';
    const fn = t.field(style, Field.Function);
    const callee = fn === undefined ? '' : (dottedName(t, fn) ?? '');
    const dot = callee.lastIndexOf('.');
    const boolOpt =
      dot >= 0 ? `${callee.slice(0, dot)}.BoolOpt` : [...this.names.bare].find(([, cls]) => cls === 'BoolOpt')?.[0];
    if (!boolOpt) return 'the file does not import BoolOpt';
    const styleName = callArguments(t, style).positional[0];
    const quote = styleName === undefined ? "'" : (/^[rRuU]?(['"])/.exec(t.text(styleName))?.[1] ?? "'");
    const lines = t.lines;
    const src = t.source;
    const closing = t.end(list) - 1;
    const gap = src.slice(t.end(last), closing);
    if (gap.includes('\\')) return 'a line continuation follows its last element';
    // After the last element: an optional comma (right after it), then comments and the `]`.
    const m = /^([ \t]*)(,?)/.exec(gap);
    const trailingComma = m?.[2] === ',';
    const afterElement = trailingComma ? t.end(last) + (m?.[0].length ?? 0) : t.end(last);
    if (!trailingComma && gap.replace(/#[^\r\n]*/g, '').includes(','))
      return 'a comma stands apart from its last element';
    const lastLine = lines.lineAt(t.start(last));
    const lineBreak =
      lastLine > lines.lineAt(t.start(list)) &&
      indentation(lines.lineText(lastLine)).length === t.start(last) - lines.lineStart(lastLine);
    const endLine = lines.lineAt(afterElement);
    const restIsBlank =
      lines.lineEnd(endLine) < closing && /^[ \t]*(#.*)?$/.test(src.slice(afterElement, lines.lineEnd(endLine)));
    const at = lineBreak && restIsBlank ? lines.position(lines.lineEnd(endLine)) : lines.position(afterElement);
    return {
      anchor: { range: lines.range(t.start(last), t.end(list)), text: src.slice(t.start(last), t.end(list)) },
      at,
      ...(trailingComma ? {} : { commaAt: lines.position(t.end(last)) }),
      lineBreak,
      indent: lineBreak ? indentation(lines.lineText(lastLine)) : '',
      trailingComma,
      quote,
      boolOpt,
      eol: lines.eol,
    };
  }
}

/** The oslo.config options the file declares and its option lists; undefined when it declares none. */
export function readConfigOptions(model: FileModel): ConfigOptionsOfFile | undefined {
  const names = optionNames(model);
  if (!names.prefixes.size && !names.bare.size) return undefined;
  return new OptionReader(model, names).read();
}

/** `CONF.<group>.<name>` (possibly `cfg.CONF.<group>.<name>`): the option a gate reads. */
export function gateOption(gate: string): { group: string; name: string } | undefined {
  const m = /^(?:[A-Za-z_]\w*\.)*CONF\.([A-Za-z_]\w*)\.([A-Za-z_]\w*)$/.exec(gate.replace(/[\s\\]+/g, ''));
  return m?.[1] && m[2] ? { group: m[1], name: m[2] } : undefined;
}
