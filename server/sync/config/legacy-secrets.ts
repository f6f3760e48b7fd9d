// Secrets an earlier version saved in plain text in settings: a secret-looking header or query parameter
// (`isSecretSettingName`) with its value, in a REST source's `config.headers`/`query` or a
// synchronisation's own `sourceConfig.headers`/`query`. Pure: which values move where, so that every
// request sends what it sent before. services/legacy-secrets.ts applies it to the stored rows.
import { isSecretSettingName, MASK, sameSecret } from './source-secrets';
import { secretNameOf } from './sync-secrets';

type Json = Record<string, unknown>;
const PLACES = ['headers', 'query'] as const;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Each plain secret value of the settings by its secret name, and the settings without it. */
function plainValues(config: Json, keep: (name: string) => unknown) {
  const next: Json = { ...config };
  const found: [secret: string, value: string][] = [];
  for (const place of PLACES) {
    const pairs = config[place];
    if (!isRecord(pairs)) continue;
    const out: Json = {};
    for (const [name, value] of Object.entries(pairs)) {
      // The mask is no value: a placeholder of a synchronisation's secret (config/sync-secrets.ts).
      if (!isSecretSettingName(name) || typeof value !== 'string' || value === MASK) {
        out[name] = value;
        continue;
      }
      const secret = secretNameOf(place, name);
      found.push([secret, value]);
      const kept = keep(secret);
      if (kept !== undefined) out[name] = kept;
    }
    next[place] = out;
  }
  return { config: next, found };
}

const has = (secrets: Record<string, string>, name: string) =>
  Object.keys(secrets).some((n) => sameSecret(n, name));

/**
 * A REST source's settings split: its plain secret values become its secrets `header:<name>` /
 * `query:<name>` (which the HTTP client puts on every request to its origin, as the plain ones went), out
 * of the settings. A secret of that name already stored went over the plain value on every such request
 * (the client sets its secrets last) and stays: the plain value goes. Null when nothing is plain.
 */
export function moveSourcePlainValues(
  config: Json,
  secrets: Record<string, string>,
): { config: Json; secrets: Record<string, string> } | null {
  const split = plainValues(config, () => undefined);
  if (split.found.length === 0) return null;
  const next = { ...secrets };
  for (const [secret, value] of split.found) if (!has(next, secret)) next[secret] = value;
  return { config: split.config, secrets: next };
}

/**
 * A synchronisation's settings split: its plain secret values become its own secrets, each leaving its
 * placeholder (the mask) in the settings. Its source's secrets as they were before any move
 * (`sourceGiven`) went over its plain values on every request: one of those names was never sent, and
 * goes without a placeholder. Its own secrets already kept stay. Null when nothing is plain.
 */
export function moveSyncPlainValues(
  config: Json,
  kept: Record<string, string>,
  sourceGiven: Record<string, string>,
): { config: Json; secrets: Record<string, string> } | null {
  const split = plainValues(config, (secret) => (has(sourceGiven, secret) ? undefined : MASK));
  if (split.found.length === 0) return null;
  const next = { ...kept };
  for (const [secret, value] of split.found)
    if (!has(sourceGiven, secret) && !has(next, secret)) next[secret] = value;
  return { config: split.config, secrets: next };
}
