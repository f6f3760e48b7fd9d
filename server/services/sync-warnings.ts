// What a synchronisation's save answers and its page shows besides errors: configurations that work but
// probably do not do what was meant (a schema another synchronisation also writes into; a hub's ids
// written into a system's own ids; a two-way write-back that would send the register's field names).
// Never a refusal.
import type { Db } from '../db/client';
import { foreignIdWarning } from './foreign-id-warning';
import { renamedFieldsWarning } from './renamed-fields-warning';
import { sharedSchemaWarning, type SaveWarning } from './shared-schema';
import { loadSource } from './sources';
import { resolvedWriteBack, type loadSynchronisation } from './synchronisations';

type SyncRow = Awaited<ReturnType<typeof loadSynchronisation>>;

export async function syncWarnings(db: Db, orgId: string, row: SyncRow): Promise<SaveWarning[]> {
  const twoWay =
    row.direction === 'two-way'
      ? Promise.all([resolvedWriteBack(db, orgId, row), loadSource(db, orgId, row.sourceId)]).then(
          ([writeBack, source]) =>
            Promise.all([
              foreignIdWarning(db, orgId, row, writeBack, `“${source.name}”`),
              renamedFieldsWarning(db, orgId, row, `“${source.name}”`),
            ]),
        )
      : Promise.resolve([]);
  const [shared, writeBack] = await Promise.all([sharedSchemaWarning(db, orgId, row), twoWay]);
  return [shared, ...writeBack].filter((w): w is SaveWarning => w !== null);
}
