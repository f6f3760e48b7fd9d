// An object made ready for the decision table (decide.ts): the source side — left out by the
// conditions, unusable, or hashed as the contract compares it with its base — for every direction;
// and, for a pull or push, only when the table asks, what the target would be handed (the mapping, the
// target mapping, without the omitted fields, hashed).
import { digestValue, HASH_LENGTH, hashObject, hashValue } from './canonical-json';
import { evaluateConditions } from './conditions';
import type { LeftOut } from './decide';
import { applyMapping } from './mapping/apply';
import type { EngineSettings } from './one-way';
import { unsetPath } from './paths';

/** The source side of one object as the table sees it: its hash, or why it takes no part. */
export type Prepared = { readonly hash: string } | (LeftOut & { readonly keepData?: false });

export function prepare(object: Record<string, unknown>, settings: EngineSettings): Prepared {
  const conditions = evaluateConditions(settings.conditions, object);
  if (!conditions.ok) return { leftOut: 'invalid', reason: conditions.reason };
  if (!conditions.pass) return { leftOut: 'filtered' };
  const hash = hashOrReason(object, settings.hashFields);
  // Not kept as origin data: what cannot be hashed cannot be stored either (both recurse).
  if (typeof hash !== 'string') return { leftOut: 'invalid', reason: hash.reason, keepData: false };
  return { hash };
}

/** What the target is handed: the mapping, the target mapping, without the omitted fields. */
export type Made = {
  readonly mapped: Record<string, unknown>;
  readonly outputHash: string;
  readonly sentHash: string;
};

export function makeOutput(
  object: Record<string, unknown>,
  settings: EngineSettings,
): Made | { reason: string } {
  let mapped: Record<string, unknown> = object;
  if (settings.mapping) {
    const outcome = applyMapping(settings.mapping, object);
    if (!outcome.ok)
      return { reason: `Mapping failed: ${outcome.errors.map((e) => `${e.key}: ${e.message}`).join('; ')}` };
    mapped = outcome.value;
  }
  if (settings.targetMapping) {
    const outcome = applyMapping(settings.targetMapping, mapped);
    if (!outcome.ok) {
      const problems = outcome.errors.map((e) => (e.key ? `${e.key}: ${e.message}` : e.message)).join('; ');
      return { reason: `The target mapping could not make the object: ${problems}` };
    }
    mapped = outcome.value;
  }
  const omit = settings.omitFields;
  if (omit && omit.length > 0) mapped = withoutFields(mapped, omit);
  const digest = orReason(() => digestValue(mapped));
  if (typeof digest !== 'string') return digest;
  const outputHash = digest.slice(0, HASH_LENGTH);
  // Over the whole digests, as when hashes had all 64 characters: a sent hash stored then, cut to 32
  // (migration 0021), equals this one, so upgrading sends no object again.
  const fingerprint = settings.targetFingerprint;
  const sentHash = fingerprint ? hashValue([digest, fingerprint]) : outputHash;
  return { mapped, outputHash, sentHash };
}

/** A copy without the fields at these dot paths (`mapped` may be the source object itself). */
function withoutFields(object: Record<string, unknown>, paths: readonly string[]): Record<string, unknown> {
  const copy = structuredClone(object);
  for (const path of paths) unsetPath(copy, path);
  return copy;
}

// Hashing refuses only data nested deeper than any source sends (canonical-json.ts); that one object is
// invalid, not its whole page.
function hashOrReason(object: unknown, fields: readonly string[] | null): string | { reason: string } {
  return orReason(() => hashObject(object, fields));
}

function orReason(hash: () => string): string | { reason: string } {
  try {
    return hash();
  } catch (error) {
    return { reason: `The object cannot be hashed: ${(error as Error).message}` };
  }
}
