// What a REST target sends: the synchronised object through the sync's target mapping (the body the
// target API expects), and the body of a soft delete with the moment of deletion filled in.
import { applyMapping, type CompiledMapping } from '../core/mapping';
import { NOW_PLACEHOLDER } from '../config/sync-config';

export type Body = { ok: true; value: Record<string, unknown> } | { ok: false; reason: string };

/** The request body for a synchronised object: the target mapping's result, or the object itself. */
export function outgoingBody(
  mapping: CompiledMapping | null | undefined,
  object: Readonly<Record<string, unknown>>,
): Body {
  if (!mapping) return { ok: true, value: object };
  const mapped = applyMapping(mapping, object);
  if (mapped.ok) return { ok: true, value: mapped.value };
  const problems = mapped.errors.map((e) => (e.key ? `${e.key}: ${e.message}` : e.message)).join('; ');
  return { ok: false, reason: `The target mapping could not make a request body: ${problems}` };
}

/** The soft delete's configured body, `{{now}}` values replaced by the deletion's moment. */
export function softDeleteBody(body: Readonly<Record<string, unknown>>, now: Date): Record<string, unknown> {
  const at = now.toISOString();
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [key, value === NOW_PLACEHOLDER ? at : value]),
  );
}
