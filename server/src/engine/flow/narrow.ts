// How a condition splits a path: the contexts of its true and false branches.
import type { Cond } from '../semantic/conditions';
import {
  joinContexts,
  lowerHigh,
  raiseLow,
  withGate,
  withProtectAll,
  withProtected,
  type PathContext,
} from './pathContext';

export interface Branches {
  readonly t: PathContext;
  readonly f: PathContext;
}

/**
 * The branches of `c` from `ctx`. `known`: branches already worked out from the same `ctx` for
 * some parts of `c` (a chain `a and b and c` narrows each operator in turn, and each one's left
 * operand is the one before).
 */
export function narrow(c: Cond, ctx: PathContext, known?: ReadonlyMap<Cond, Branches>): Branches {
  const before = known?.get(c);
  if (before) return before;
  switch (c.k) {
    case 'check':
      if (c.exact) {
        const t = lowerHigh(raiseLow(ctx, c.axis, c.version, c.guard), c.axis, c.version + 1, c.guard);
        return { t, f: ctx };
      }
      return { t: raiseLow(ctx, c.axis, c.version, c.guard), f: lowerHigh(ctx, c.axis, c.version, c.guard) };
    case 'gate':
      return { t: withGate(ctx, c.gate, c.guard), f: ctx };
    case 'hasattr':
      return { t: withProtected(ctx, c.symbol, c.guard), f: ctx };
    case 'probe':
      // A probe's true branch may use what it probed (everything, for a configured probe).
      return {
        t: c.symbols ? c.symbols.reduce((acc, s) => withProtected(acc, s, c.guard), ctx) : withProtectAll(ctx, c.guard),
        f: ctx,
      };
    case 'not': {
      const b = narrow(c.c, ctx, known);
      return { t: b.f, f: b.t };
    }
    case 'and': {
      const a = narrow(c.a, ctx, known);
      const b = narrow(c.b, a.t);
      return { t: b.t, f: joinContexts(a.f, b.f) ?? a.f };
    }
    case 'or': {
      const a = narrow(c.a, ctx, known);
      const b = narrow(c.b, a.f);
      return { t: joinContexts(a.t, b.t) ?? a.t, f: b.f };
    }
    default:
      return { t: ctx, f: ctx };
  }
}
