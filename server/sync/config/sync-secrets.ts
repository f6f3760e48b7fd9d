// A synchronisation's own secret headers and query parameters. Its settings (`sourceConfig.headers` /
// `query`) take none (config/source-secrets.ts: they belong in its source's secrets), but an earlier
// version saved some there in plain text. Those values now live encrypted in the synchronisation's own
// secrets (`header:<name>` / `query:<name>`, table synchronisation_secrets), and its settings keep each
// name with the mask as its value: a placeholder, so that the synchronisation is answered exactly as
// before (`***`), a save of that answer keeps the value, and a save without the name drops it.
//
// Why its own secrets and not its source's: its headers went only with its own reading requests (the
// listing, reads by id, a two-way read-back), over its source's plain ones; in the source's secrets they
// would go with every other synchronisation of that source, its writes and its connection test too.
import {
  isSecretSettingName,
  MASK,
  sameSecret,
  SECRET_HEADER,
  SECRET_QUERY,
  settleSensitiveSettings,
  type SettledSettings,
} from './source-secrets';

type Json = Record<string, unknown>;
const PLACES = ['headers', 'query'] as const;
type Place = (typeof PLACES)[number];

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const prefixOf = (place: Place) => (place === 'headers' ? SECRET_HEADER : SECRET_QUERY);

/** The secret name of a header or query parameter (`header:X-Api-Key`, `query:token`). */
export const secretNameOf = (place: Place, name: string) => `${prefixOf(place)}${name}`;

/** Whether a setting is a placeholder of a synchronisation's secret: a secret-looking name, the mask. */
const isPlaceholder = (name: string, value: unknown) => value === MASK && isSecretSettingName(name);

/** Settings with the placeholders' values from `secrets` (as saved before the values moved). */
export function withSecretValues<T extends Json>(config: T, secrets: Record<string, string>): T {
  const next: Json = { ...config };
  for (const place of PLACES) {
    const pairs = config[place];
    if (!isRecord(pairs)) continue;
    next[place] = Object.fromEntries(
      Object.entries(pairs).map(([name, value]) => [
        name,
        isPlaceholder(name, value) ? (secrets[secretNameOf(place, name)] ?? value) : value,
      ]),
    );
  }
  return next as T;
}

/** The settings a run reads: without the placeholders, whose values its requests carry as secrets. */
export function withoutPlaceholders<T extends Json>(config: T): T {
  const next: Json = { ...config };
  for (const place of PLACES) {
    const pairs = config[place];
    if (!isRecord(pairs)) continue;
    next[place] = Object.fromEntries(Object.entries(pairs).filter(([name, v]) => !isPlaceholder(name, v)));
  }
  return next as T;
}

/** The secret names of the placeholders in the settings. */
function placeholderNames(config: Json): string[] {
  return PLACES.flatMap((place) => {
    const pairs = config[place];
    if (!isRecord(pairs)) return [];
    return Object.entries(pairs).flatMap(([name, v]) =>
      isPlaceholder(name, v) ? [secretNameOf(place, name)] : [],
    );
  });
}

/** Whether the settings hold a placeholder of a secret of the synchronisation's own. */
export const hasPlaceholders = (config: Json): boolean => placeholderNames(config).length > 0;

/**
 * The secrets a synchronisation's reading requests carry: its source's, with its own over them (its
 * headers and query parameters went over its source's plain ones before they were secrets). Only its own
 * that its settings (`config`) still hold a placeholder of: the settings say what it sends.
 */
export function withSyncSecrets(
  source: Record<string, string>,
  sync: Record<string, string>,
  config: Json,
): Record<string, string> {
  const held = new Set(placeholderNames(config));
  const own = Object.fromEntries(Object.entries(sync).filter(([name]) => held.has(name)));
  const merged = { ...source };
  for (const name of Object.keys(own))
    for (const stored of Object.keys(merged)) if (sameSecret(stored, name)) delete merged[stored];
  return { ...merged, ...own };
}

/**
 * Checks a synchronisation's own headers and query parameters on save, as a source's: a secret-looking
 * one is refused at `sourceConfig.headers.<name>` / `sourceConfig.query.<name>`, pointing to the source's
 * secrets. The mask sent back for a value saved before (`stored`: the saved settings with their secrets'
 * values, `withSecretValues`) keeps that value — in the synchronisation's secrets, its placeholder in the
 * settings — unless the synchronisation now reads another source (`sourceChanged`), which the value was
 * not given for: then the mask is refused. `secrets` is the whole of what it keeps.
 */
export function settleSyncSettings<T extends Json>(
  config: T,
  stored: unknown,
  sourceChanged: boolean,
): { config: T; secrets: Record<string, string>; issues: SettledSettings<T>['issues'] } {
  const settled = settleSensitiveSettings(config, stored, sourceChanged, 'synchronisation');
  const next: Json = { ...settled.config };
  for (const secret of Object.keys(settled.moved)) {
    const place = secret.startsWith(SECRET_HEADER) ? 'headers' : 'query';
    const name = secret.slice(prefixOf(place).length);
    next[place] = { ...(isRecord(next[place]) ? next[place] : {}), [name]: MASK };
  }
  return { config: next as T, secrets: settled.moved, issues: settled.issues };
}
