// Deletion's share under a selection of ids: the threshold (hold for approval above a share of the
// contracts) counts only the selected contracts. Otherwise a wrong path of one object — a 404 for every
// selected id — would delete the whole selection unnoticed, as a sliver of all the contracts.
import { and, count, inArray, lt, ne } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contracts, contractsOfOrg, ofSynchronisation } from '../../db/schema';
import type { ContractStore } from '../ports';
import { chunk } from '../stores/chunks';

export function withinSelection(
  store: ContractStore,
  db: Db,
  scope: { readonly orgId: string; readonly syncId: string; readonly selectedIds: readonly string[] },
): ContractStore {
  if (scope.selectedIds.length === 0) return store;
  return {
    ...store,
    async countActive({ before }) {
      let total = 0;
      for (const ids of chunk(scope.selectedIds, 5000)) {
        const [row] = await db
          .select({ n: count() })
          .from(contracts)
          .where(
            and(
              contractsOfOrg(scope.orgId),
              ofSynchronisation(scope.syncId),
              ne(contracts.status, 'deleted'),
              lt(contracts.createdAt, before),
              inArray(contracts.originId, [...ids]),
            ),
          );
        total += row?.n ?? 0;
      }
      return total;
    },
  };
}
