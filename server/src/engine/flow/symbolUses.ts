// Which libvirt feature a name refers to: a module member (`libvirt.VIR_X`, `libvirt.open`)
// or a method on a typed (or, for distinctive names, untyped) receiver.
import type { FeatureDb, LibvirtModule } from '../../data/featureDb';
import { isDistinctiveMethodName, type ValueType } from '../semantic/receivers';
import type { SymbolFacts } from '../types';

/** The feature `module.name` names, if the database knows it. */
export function moduleMemberSymbol(db: FeatureDb, module: LibvirtModule, name: string): SymbolFacts | undefined {
  const constant = db.constant(module, name);
  if (constant)
    return {
      python: `${module}.${name}`,
      cName: name,
      since: constant.since,
      docsUrl: constant.docsUrl,
      receiverVia: 'module',
    };
  const fn = db.moduleFunction(module, name);
  if (fn)
    return {
      python: `${module}.${name}`,
      cName: fn.cName,
      since: fn.since,
      docsUrl: fn.docsUrl,
      receiverVia: 'module',
    };
  return undefined;
}

/** Whether an unknown module member looks like a libvirt constant (LVG005 territory). */
export function looksLikeConstant(name: string): boolean {
  return /^VIR_[A-Z0-9_]+$/.test(name);
}

/**
 * The feature a method call names, given what is known of its receiver: the method of a
 * typed receiver, or for an unknown receiver a distinctive camelCase name (the oldest of its
 * candidate classes, which are kept for the hover).
 */
export function methodSymbol(db: FeatureDb, receiver: ValueType | undefined, name: string): SymbolFacts | undefined {
  if (receiver?.k === 'object') {
    const f = db.method(receiver.cls, name);
    return f
      ? {
          python: `${receiver.cls}.${name}`,
          cName: f.cName,
          since: f.since,
          docsUrl: f.docsUrl,
          receiverVia: receiver.via,
        }
      : undefined;
  }
  if (receiver || !isDistinctiveMethodName(name)) return undefined;
  const candidates = db.methodsNamed(name);
  const oldest = candidates[0];
  if (!oldest) return undefined;
  return {
    python: `${oldest.pyClass}.${name}`,
    cName: oldest.cName,
    since: oldest.since,
    docsUrl: oldest.docsUrl,
    receiverVia: candidates.length > 1 ? 'oldest-candidate' : 'unique-name',
    ...(candidates.length > 1
      ? { candidates: candidates.map((c) => ({ python: `${c.pyClass}.${name}`, since: c.since })) }
      : {}),
  };
}
