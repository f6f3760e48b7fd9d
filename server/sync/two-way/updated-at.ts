// Each side's updated-at value, read one way wherever a pair's dates count: the newer-wins tie-break
// (pairs.ts) and the dates a conflict shows a person (conflict-records.ts).
import { getPath } from '../core/paths';
import type { Pair, TwoWayContext } from './pairs';

/** A side's updated-at value: the configured field, or for the register its own clock. */
export function updatedAtOf(ctx: TwoWayContext, pair: Pair) {
  const paths = ctx.twoWay.updatedAt;
  const source = pair.source && paths.source ? getPath(pair.source, paths.source) : null;
  const target = pair.target
    ? paths.target
      ? getPath(pair.target.data, paths.target)
      : pair.target.updatedAt.toISOString()
    : null;
  return { source: source ?? null, target: target ?? null };
}
