// How findings about a symbol word it: a method on a receiver of unknown class names its
// candidate classes (`virDomain 0.7.3, virNetwork 0.7.3, …`) rather than one guessed class,
// and an object made by a newer API says where its path starts.
import { formatVersion } from '../../data/version';
import type { UseObservation } from '../flow/observations';
import { producedSince } from '../flow/symbolUses';
import type { SymbolFacts } from '../types';

const shownCandidates = 4;

/** "virDomain 0.7.3, virNetwork 0.7.3, virStoragePool 0.7.3, virInterface 0.7.3 and 2 more". */
export function candidateList(symbol: SymbolFacts): string {
  const list = symbol.candidates ?? [];
  const shown = list.slice(0, shownCandidates).map((c) => `${c.python.split('.')[0]} ${formatVersion(c.since)}`);
  const more = list.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/** The method's name without its class: `isActive`. */
export function methodName(symbol: SymbolFacts): string {
  return symbol.python.slice(symbol.python.lastIndexOf('.') + 1);
}

/** Where a use's path starts for its availability: the path's lower bound, or its receiver's producer. */
export function availableFrom(o: UseObservation): { lo: number; from: string | undefined } {
  const produced = producedSince(o.symbol);
  const producer = o.symbol.receiverVia?.producer;
  return produced > o.ctx.libvirt.lo && producer
    ? { lo: produced, from: `the object comes from ${producer.python}` }
    : { lo: o.ctx.libvirt.lo, from: undefined };
}
