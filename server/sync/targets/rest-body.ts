// The body of a REST target's soft delete, with the moment of deletion filled in.
import { NOW_PLACEHOLDER } from '../config/sync-config';

/** The soft delete's configured body, `{{now}}` values replaced by the deletion's moment. */
export function softDeleteBody(body: Readonly<Record<string, unknown>>, now: Date): Record<string, unknown> {
  const at = now.toISOString();
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [key, value === NOW_PLACEHOLDER ? at : value]),
  );
}
