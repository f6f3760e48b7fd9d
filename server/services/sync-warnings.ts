// What a synchronisation's save answers and its page shows besides errors: configurations that work but
// probably do not do what was meant (a schema another synchronisation also writes into; a hub's ids
// written into a system's own ids). Never a refusal.
import type { Db } from '../db/client';
import { foreignIdWarning } from './foreign-id-warning';
import { sharedSchemaWarning, type SaveWarning } from './shared-schema';
import { loadSource } from './sources';
import { resolvedWriteBack, type loadSynchronisation } from './synchronisations';

type SyncRow = Awaited<ReturnType<typeof loadSynchronisation>>;

export async function syncWarnings(db: Db, orgId: string, row: SyncRow): Promise<SaveWarning[]> {
  const [shared, foreign] = await Promise.all([
    sharedSchemaWarning(db, orgId, row),
    row.direction === 'two-way'
      ? Promise.all([resolvedWriteBack(db, orgId, row), loadSource(db, orgId, row.sourceId)]).then(
          ([writeBack, source]) => foreignIdWarning(db, orgId, row, writeBack, `“${source.name}”`),
        )
      : null,
  ]);
  return [shared, foreign].filter((w): w is SaveWarning => w !== null);
}
