// What the source is written for an object the register changed: the register's version in the source's
// shape (through the write-back mapping, when there is one) and types, carrying the source's own id.
import { applyMapping } from '../core/mapping/apply';
import { getPath, setPath } from '../core/paths';
import { inHeldTypes } from '../core/two-way/held-types';
import type { Pair, TwoWayContext } from './pairs';
import { withSourceOwnFields } from './source-own-fields';

/**
 * The object to write at the source, or why there is none (a string: the write fails with it). An
 * update carries the source's own id, as the source holds it (an SQL key column, a body id).
 */
export function sourceObjectOf(ctx: TwoWayContext, pair: Pair): Record<string, unknown> | string {
  if (!pair.target) return 'The register object is gone.';
  let object: Record<string, unknown>;
  if (!ctx.reverse) object = structuredClone(pair.target.data);
  else {
    const outcome = applyMapping(ctx.reverse, pair.target.data);
    if (!outcome.ok)
      return `The write-back mapping failed: ${outcome.errors.map((e) => `${e.key}: ${e.message}`).join('; ')}`;
    object = outcome.value;
  }
  // In the source's types: what it holds as the same value in another type stays as it holds it, and a
  // changed value takes its type (core/two-way/held-types.ts) — a number stays a number in a REST API.
  // Nothing is added: a field the write-back leaves out is not sent, even where the source holds null.
  if (pair.source) object = inHeldTypes(object, pair.source, false) as Record<string, unknown>;
  // An update that replaces the source's object carries the fields the synchronisation does not.
  if (pair.source) object = withSourceOwnFields(object, pair.source, ctx.sourceOwnFields);
  const id = pair.source ? getPath(pair.source, ctx.idField) : undefined;
  if (id !== undefined && getPath(object, ctx.idField) === undefined) setPath(object, ctx.idField, id);
  return object;
}
