// The flow analysis of a file: the module level first, then each function, entered with the
// join of its call sites' paths when all its callers are known (a private function called
// only under a version check runs only there), re-walked while those entries change.
import type { FeatureDb } from '../../data/featureDb';
import type { Policy } from '../../config/policy';
import type { FileSemantics } from '../semantic/fileSemantics';
import type { FunctionInfo } from '../semantic/fileModel';
import type { XmlEmissions } from '../semantic/xml/xmlEmissions';
import type { NodeId } from '../syntax/index';
import { mayReadRuntimeVersion } from '../semantic/versionExpressions';
import { nodeXml, prepareReuse, storeWalks, unitXml, type FlowCache, type UnitWalk } from './flowCache';
import { FlowWalker, type UnitResult } from './flowWalker';
import type { HoverSource } from './hoverFacts';
import type { GateUse, Observation } from './observations';
import { isDead, joinContexts, rootContext, sameBounds, type CallerSite, type PathContext } from './pathContext';

/** A function is walked at most this often while its callers' paths settle. */
const MAX_WALKS_PER_FUNCTION = 4;
const moduleUnit = -1;

export interface FlowResult {
  readonly observations: readonly Observation[];
  /** What the hovers are about, in walk order (their facts are built when asked: hoverFacts.ts). */
  readonly hovers: readonly HoverSource[];
  readonly gateUses: ReadonlyMap<string, GateUse>;
  /** Some code nested too deeply was not analyzed. */
  readonly truncated: boolean;
}

/**
 * Private functions whose every use is a call in this file: no file that imports this one
 * mentions the name, and the file mentions it only in those calls (and its `def`). Public
 * functions may be called from anywhere (a driver's methods are called by code that loads it
 * by name), so they always start from the minimum supported version.
 */
function functionsWithKnownCallers(sem: FileSemantics): Set<NodeId> {
  const model = sem.model;
  const known = new Set<NodeId>();
  for (const f of model.functions) {
    const name = f.name;
    if (f.isProperty || !name.startsWith('_') || /^__.*__$/.test(name)) continue;
    if ((model.functionsByName.get(name)?.length ?? 0) !== 1) continue;
    if (sem.workspace.mentionedByImporters(sem.uri, name)) continue;
    const callCount = model.callsNamed(name).length;
    // Every other mention of the name (a callback, a string; not a comment: see countWords) makes the callers unknown.
    if (callCount > 0 && model.wordCount(name) === callCount + 1) known.add(f.node);
  }
  return known;
}

const noResult = (): UnitResult => ({ observations: [], hovers: [], sites: new Map() });
/** `LIBVIRT_GATE_INERT=walk` walks every unit (for the differential test and measurements). */
const skipInert = (): boolean => process.env.LIBVIRT_GATE_INERT !== 'walk';

export function analyzeFlow(
  sem: FileSemantics,
  policy: Policy,
  db: FeatureDb,
  xml?: XmlEmissions,
  wantHovers = true,
  /** Neither hovers nor version paths are wanted (the CLI's check). */
  findingsOnly = false,
  /** The walks of the document's last analysis (the language server's, per open document). */
  cache?: FlowCache,
): FlowResult {
  const t = sem.tree;
  const knownCallers = functionsWithKnownCallers(sem);
  const skip = skipInert();
  const walker = new FlowWalker(sem, policy, db, knownCallers, xml, wantHovers, findingsOnly);
  const root = rootContext(policy);
  const byUnit = new Map<NodeId, UnitResult>();
  /** Which units (function nodes, or the module) call a function: to re-join its entry fast. */
  const callersOf = new Map<NodeId, Set<NodeId>>();
  // What else a walk depends on, besides its function, entry and XML (see flowCache.ts).
  const cacheKey = cache
    ? [
        wantHovers,
        findingsOnly,
        skip,
        xml !== undefined,
        mayReadRuntimeVersion(sem.model),
        [...knownCallers].map((n) => sem.model.functionAt(n)?.name ?? '').sort(),
      ].join('/')
    : '';
  const analysisKey = { tree: t, model: sem.model, uri: sem.uri, policy, key: cacheKey };
  const reuse = cache && prepareReuse(cache, analysisKey);
  const xmlNodes = cache && xml ? [...xml.keys()].sort((a, b) => a - b) : [];
  const cachedWalks = new Map<NodeId, UnitWalk[]>();
  if (cache) {
    cache.reused = 0;
    cache.walked = 0;
  }

  const walkOf = (fn: FunctionInfo | undefined, entry: PathContext): UnitResult => {
    // A function entered on the root path that can produce nothing is not walked.
    const inert = (f: FunctionInfo): boolean => entry === root && skip && walker.isInertUnit(f);
    if (!cache || !fn) return fn && inert(fn) ? noResult() : walker.walkUnit(fn, entry);
    const entryKey = entry === root ? null : entry;
    const unitXmlText = xml ? unitXml(t, fn.node, xml, xmlNodes) : '';
    // What a walk read of the file's pending XML (see UnitWalk.xmlRead), as it reads now.
    const readText = (nodes: readonly number[]): string =>
      xml ? nodes.map((rel) => nodeXml(t, fn.node, xml, fn.node + rel)).join('') : '';
    let w = reuse?.walk(fn, entryKey, unitXmlText, (read) => readText(read.nodes) === read.text);
    if (w) {
      walker.replay(w.marks, w.truncated);
      cache.reused++;
    } else {
      const walked = inert(fn)
        ? { result: noResult(), marks: [], truncated: false, xmlRead: [] }
        : walker.walkUnit(fn, entry, true);
      const { xmlRead, ...rest } = walked;
      const nodes = [...new Set(xmlRead)].map((n) => n - fn.node);
      w = {
        entry: entryKey,
        ...rest,
        xml: unitXmlText,
        ...(nodes.length ? { xmlRead: { nodes, text: readText(nodes) } } : {}),
      };
      cache.walked++;
    }
    const list = cachedWalks.get(fn.node);
    if (list) list.push(w);
    else cachedWalks.set(fn.node, [w]);
    return w.result;
  };

  const walk = (key: NodeId, fn: FunctionInfo | undefined, entry: PathContext): void => {
    const result = walkOf(fn, entry);
    byUnit.set(key, result);
    for (const calleeId of result.sites.keys()) {
      const set = callersOf.get(calleeId);
      if (set) set.add(key);
      else callersOf.set(calleeId, new Set([key]));
    }
  };

  const entryFromSites = (calleeId: NodeId): PathContext | null => {
    let entry: PathContext | null = null;
    const callers: CallerSite[] = [];
    for (const unitKey of callersOf.get(calleeId) ?? []) {
      for (const site of byUnit.get(unitKey)?.sites.get(calleeId) ?? []) {
        if (isDead(site.ctx)) continue;
        entry = joinContexts(entry, site.ctx);
        // A function's own definition (see definitionEntry) is no call.
        if (site.node !== calleeId) callers.push({ range: t.range(site.node), lvLo: site.ctx.libvirt.lo });
      }
    }
    return entry && callers.length ? { ...entry, callers } : entry;
  };

  walk(moduleUnit, undefined, root);
  const entries = new Map<NodeId, PathContext>();
  const walks = new Map<NodeId, number>();
  const queue: FunctionInfo[] = sem.model.functions.filter((f) => !knownCallers.has(f.node));
  const queued = new Set(queue.map((f) => f.node));
  for (const f of queue) entries.set(f.node, root);
  const enqueueCallees = (unitKey: NodeId): void => {
    for (const cid of byUnit.get(unitKey)?.sites.keys() ?? []) {
      const callee = sem.model.functionAt(cid);
      if (!callee || (walks.get(cid) ?? 0) >= MAX_WALKS_PER_FUNCTION || queued.has(cid)) continue;
      const entry = entryFromSites(cid);
      if (!entry) continue;
      const old = entries.get(cid);
      if (old && sameBounds(old, entry)) continue;
      entries.set(cid, entry);
      queue.push(callee);
      queued.add(cid);
    }
  };
  enqueueCallees(moduleUnit);
  for (let head = 0; head < queue.length; head++) {
    const fn = queue[head];
    if (!fn) break;
    const id = fn.node;
    queued.delete(id);
    walks.set(id, (walks.get(id) ?? 0) + 1);
    // Sites may have changed since it was queued: join them now (its calls, when its callers
    // are known; its definition, when that is on a narrowed path).
    const entry = entryFromSites(id) ?? entries.get(id);
    if (entry) entries.set(id, entry);
    walk(id, fn, entry ?? root);
    enqueueCallees(id);
  }
  // Known-caller functions whose calls are never reached run as if called from anywhere.
  for (const f of sem.model.functions) if (!walks.has(f.node)) walk(f.node, f, root);
  const observations: Observation[] = [];
  const hovers: HoverSource[] = [];
  for (const unit of byUnit.values()) {
    // Loops, not push(...list): a spread puts every element on the stack (a literal of 50,000
    // elements writes 300,000 features in one unit, past the stack's size).
    for (const o of unit.observations) observations.push(o);
    for (const h of unit.hovers) hovers.push(h);
  }
  if (cache) storeWalks(cache, analysisKey, cachedWalks);
  return { observations, hovers, gateUses: walker.gateUses, truncated: walker.truncated };
}
