// The oslo.config option behind a gate `CONF.<group>.<name>`: this file's declarations (from
// its tree) and the other files' (from the workspace index), for the opt-in option rules,
// their fixes and the gate's hover.
import type { SyntaxTree } from '../syntax/index';
import {
  gateOption,
  mayDeclareOptions,
  readConfigOptions,
  type ConfigOption,
  type ConfigOptionsOfFile,
  type OptionList,
} from './configOptions';
import type { FileSemantics } from './fileSemantics';

type LocatedOption = ConfigOption & { readonly uri: string };
export type LocatedList = OptionList & { readonly uri: string };

export interface GateOptionLookup {
  readonly group: string;
  readonly name: string;
  /** Some file (this one included) declares oslo.config options. */
  readonly declaresOptions: boolean;
  /** Options named `name` in `group`, or in a group no file says: this file's first, then by uri. */
  readonly declarations: readonly LocatedOption[];
  /** Options named `name` registered in another group only. */
  readonly otherGroups: readonly LocatedOption[];
  /** Option lists registered for `group`: this file's first, then by uri. */
  readonly lists: readonly LocatedList[];
}

const ownCache = new WeakMap<SyntaxTree, ConfigOptionsOfFile | null>();

/** This file's own option declarations, read once per tree. */
export function ownConfigOptions(sem: FileSemantics): ConfigOptionsOfFile | undefined {
  const t = sem.tree;
  let cached = ownCache.get(t);
  if (cached === undefined) {
    cached = (mayDeclareOptions(t.source) ? readConfigOptions(sem.model) : undefined) ?? null;
    ownCache.set(t, cached);
  }
  return cached ?? undefined;
}

export function lookupGateOption(sem: FileSemantics, gate: string): GateOptionLookup | undefined {
  const wanted = gateOption(gate);
  if (!wanted) return undefined;
  const { group, name } = wanted;
  const own = ownConfigOptions(sem);
  const others = sem.workspace.configOptions(group, name, sem.uri);
  const named = [
    ...(own?.options ?? []).filter((o) => o.name === name).map((o) => ({ ...o, uri: sem.uri })),
    ...others.options,
  ];
  // A list registered in no group this file or others say cannot be told apart: it counts as declared.
  const declarations = named.filter((o) => o.group === group || o.group === undefined);
  const declaredHere = new Set(declarations.map((o) => `${o.uri}#${o.range.start.line}:${o.range.start.character}`));
  return {
    group,
    name,
    declaresOptions: own !== undefined || others.declaresOptions,
    declarations,
    otherGroups: named.filter(
      (o) =>
        o.group !== undefined &&
        o.group !== group &&
        !declaredHere.has(`${o.uri}#${o.range.start.line}:${o.range.start.character}`),
    ),
    lists: [
      ...(own?.lists ?? []).filter((l) => l.groups.includes(group)).map((l) => ({ ...l, uri: sem.uri })),
      ...others.lists,
    ],
  };
}
