// A two-way synchronisation without a write-back mapping sends the register's objects back to the source
// as they are. When its mapping renames the source's fields on the way in (the register's `code` from the
// source's `id`, `city` from `address.city`) or makes them (a template, a fixed value), the source would be
// sent the register's names — fields it may not have — and never its own. Not refused (a source that
// takes any field is possible): the save answers a warning, and the synchronisation's page keeps it until
// a write-back mapping is chosen.
import type { Db, Tx } from '../db/client';
import { classifyMappingValue, mappingConfigSchema, ROOT_REPLACEMENT_KEY } from '../sync/core/mapping/config';
import { readStored } from '../sync/config/stored';
import { loadMapping } from './mappings';
import type { SaveWarning } from './shared-schema';

interface SyncFacts {
  readonly direction: string;
  readonly mappingId: string | null;
  readonly writeBackMappingId: string | null;
}

const SHOWN = 3;
const topField = (path: string) => path.split('.')[0] ?? path;

/** The mapping's keys that do not come from a source field of the same name: `key` ← what fills it. */
type Renamed = { key: string; from: string | null };

function renamed(mapping: Record<string, string>): Renamed[] {
  return Object.entries(mapping).flatMap(([key, expression]): Renamed[] => {
    if (key === ROOT_REPLACEMENT_KEY) return [{ key, from: null }];
    const kind = classifyMappingValue(expression);
    if (kind !== 'path') return [{ key, from: null }];
    return topField(expression) === topField(key) ? [] : [{ key, from: expression }];
  });
}

export async function renamedFieldsWarning(
  db: Db | Tx,
  orgId: string,
  sync: SyncFacts,
  sourceName: string,
): Promise<SaveWarning | null> {
  if (sync.direction !== 'two-way' || sync.writeBackMappingId || !sync.mappingId) return null;
  const row = await loadMapping(db, orgId, sync.mappingId).catch(() => null);
  const parsed = row ? readStored(mappingConfigSchema, row.config, `mapping ${sync.mappingId}`) : null;
  if (!parsed?.success) return null;
  const rooted = parsed.data.root !== undefined && parsed.data.root !== '';
  const fields = renamed(parsed.data.mapping);
  if (fields.length === 0 && !rooted) return null;
  const shown = fields
    .slice(0, SHOWN)
    .map(({ key, from }) => (from ? `“${key}” from its “${from}”` : `“${key}” made by the mapping`));
  const more = fields.length > SHOWN ? `, and ${fields.length - SHOWN} more` : '';
  const what = rooted
    ? `takes the register's objects from inside ${sourceName}'s (at “${parsed.data.root}”)`
    : `fills the register's ${shown.join(', ')}${more}`;
  const example = fields.find((f) => f.from !== null);
  return {
    field: 'writeBackMappingId',
    others: [],
    message:
      `The mapping ${what}. There is no write-back mapping, so the register's objects go back to ` +
      `${sourceName} as they are: it would be sent the register's fields${example ? ` (“${example.key}”)` : ''}, ` +
      `which it may not have, instead of its own${example ? ` (“${example.from}”)` : ''}. Choose a write-back ` +
      `mapping that maps them back${example ? ` (“${example.from}” from “${example.key}”)` : ''}.`,
  };
}
