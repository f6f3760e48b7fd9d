// Bodies of a REST target: its soft delete's, with the moment of deletion filled in, and the hash of
// what the target answered it stored.
import { NOW_PLACEHOLDER } from '../config/sync-config';
import { hashValue } from '../core/canonical-json';
import { isRecord } from '../core/paths';

/** The soft delete's configured body, `{{now}}` values replaced by the deletion's moment. */
export function softDeleteBody(body: Readonly<Record<string, unknown>>, now: Date): Record<string, unknown> {
  const at = now.toISOString();
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [key, value === NOW_PLACEHOLDER ? at : value]),
  );
}

/** The hash of what the target stored, as it answered it; of the whole object when it answered none. */
export function storedHash(answer: unknown, whole: unknown): string {
  return hashValue(isRecord(answer) ? answer : whole);
}
