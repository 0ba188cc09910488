// oslo.config facts of the workspace's files as inverted maps: option name → files, group →
// option lists, and how files bind CONF (binding → files). Kept apart from the other maps of
// the index; the index feeds it summaries and hands it to worker threads as plain data.
import type { ConfBinding } from '../semantic/confBinding';
import type { ConfigOption, ConfigOptionsOfFile, OptionList } from '../semantic/configOptions';
import type { WorkspaceOptionFacts } from '../semantic/workspaceFacts';

/** What the option maps keep of one file. */
export interface FileOptionFacts {
  readonly configOptions?: ConfigOptionsOfFile;
  readonly confBinding?: ConfBinding;
}

/** The maps as plain data, for a worker thread. */
export type OptionSnapshot = readonly (readonly [string, FileOptionFacts])[];

const byUri = (a: { uri: string }, b: { uri: string }): number => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0);

export class OptionMaps {
  private readonly files = new Map<string, FileOptionFacts>();
  /** Files that declare oslo.config options. */
  private readonly declaring = new Set<string>();
  private readonly optionFiles = new Map<string, Set<string>>();
  private readonly listFiles = new Map<string, Set<string>>();
  private readonly bindingFiles = new Map<string, Set<string>>();

  set(uri: string, facts: FileOptionFacts): void {
    this.remove(uri);
    if (!facts.configOptions && !facts.confBinding) return;
    this.files.set(uri, facts);
    if (facts.configOptions) this.declaring.add(uri);
    for (const o of facts.configOptions?.options ?? []) add(this.optionFiles, o.name, uri);
    for (const l of facts.configOptions?.lists ?? []) for (const g of l.groups) add(this.listFiles, g, uri);
    if (facts.confBinding) add(this.bindingFiles, JSON.stringify(facts.confBinding), uri);
  }

  remove(uri: string): void {
    const old = this.files.get(uri);
    if (!old) return;
    this.files.delete(uri);
    this.declaring.delete(uri);
    for (const o of old.configOptions?.options ?? []) drop(this.optionFiles, o.name, uri);
    for (const l of old.configOptions?.lists ?? []) for (const g of l.groups) drop(this.listFiles, g, uri);
    if (old.confBinding) drop(this.bindingFiles, JSON.stringify(old.confBinding), uri);
  }

  facts(group: string, name: string, exceptUri: string): WorkspaceOptionFacts {
    const declaresOptions = this.declaring.size > (this.declaring.has(exceptUri) ? 1 : 0);
    const options: (ConfigOption & { uri: string })[] = [];
    for (const uri of this.optionFiles.get(name) ?? []) {
      if (uri === exceptUri) continue;
      for (const o of this.files.get(uri)?.configOptions?.options ?? [])
        if (o.name === name) options.push({ ...o, uri });
    }
    const lists: (OptionList & { uri: string })[] = [];
    for (const uri of this.listFiles.get(group) ?? []) {
      if (uri === exceptUri) continue;
      for (const l of this.files.get(uri)?.configOptions?.lists ?? [])
        if (l.groups.includes(group)) lists.push({ ...l, uri });
    }
    // Sorted by file, so the answer does not depend on the order files were indexed in.
    return { declaresOptions, options: options.sort(byUri), lists: lists.sort(byUri) };
  }

  confBinding(exceptUri: string): ConfBinding | undefined {
    let best: { key: string; count: number } | undefined;
    for (const [key, uris] of this.bindingFiles) {
      const count = uris.size - (uris.has(exceptUri) ? 1 : 0);
      if (count > 0 && (!best || count > best.count || (count === best.count && key < best.key))) best = { key, count };
    }
    return best ? (JSON.parse(best.key) as ConfBinding) : undefined;
  }

  snapshot(): OptionSnapshot {
    return [...this.files];
  }

  static fromSnapshot(s: OptionSnapshot): OptionMaps {
    const maps = new OptionMaps();
    for (const [uri, facts] of s) maps.set(uri, facts);
    return maps;
  }
}

function add(map: Map<string, Set<string>>, key: string, uri: string): void {
  const set = map.get(key);
  if (set) set.add(uri);
  else map.set(key, new Set([uri]));
}

function drop(map: Map<string, Set<string>>, key: string, uri: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(uri);
  if (!set.size) map.delete(key);
}
