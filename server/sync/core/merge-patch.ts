// JSON merge patches (RFC 7396) between what a target was last sent and what it is sent now: only what
// changed, nested objects merged key by key, a removed key as null, arrays replaced whole. Hand-written
// (a dozen lines): json-merge-patch, the package for it, has seen no release in years.
import { isRecord } from './paths';
import { canonicalJson } from './canonical-json';

type Json = Readonly<Record<string, unknown>>;

/** The patch that turns `before` into `after`; `{}` when nothing changed. */
export function mergePatch(before: Json, after: Json): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  // defineProperty: a key named `__proto__` (JSON.parse makes such own keys) must stay a plain key.
  const set = (key: string, value: unknown) =>
    Object.defineProperty(patch, key, { value, enumerable: true, writable: true, configurable: true });
  for (const key of Object.keys(before)) if (!Object.hasOwn(after, key)) set(key, null);
  for (const [key, value] of Object.entries(after)) {
    const old = before[key];
    if (isRecord(old) && isRecord(value)) {
      const inner = mergePatch(old, value);
      if (Object.keys(inner).length > 0) set(key, inner);
    } else if (!Object.hasOwn(before, key) || canonicalJson(old) !== canonicalJson(value)) {
      set(key, value);
    }
  }
  return patch;
}
