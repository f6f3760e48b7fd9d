// The contract store of one synchronisation on libSQL: one lookup per page (all ids at once), upserts
// in one transaction, and the per-run ledger of listed origin ids that deletion planning reads.
import { and, asc, count, eq, gt, inArray, lt, ne, notExists, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contracts, runSeen } from '../../db/schema';
import type { ContractState } from '../core/contracts';
import type { ContractLookup, ContractStore, SeenRequest, UnseenQuery } from '../ports';
import { chunk } from './chunks';

// Rows per statement: 15 columns × 400 rows stays far below SQLite's 32,766 parameters.
const IN_CHUNK = 1000;
const ROW_CHUNK = 400;

type ContractRow = typeof contracts.$inferSelect;

function toState(row: ContractRow): ContractState {
  return {
    originId: row.originId,
    parentOriginId: row.parentOriginId,
    targetId: row.targetId,
    originHash: row.originHash,
    targetHash: row.targetHash,
    status: row.status,
    lastAction: row.lastAction ?? 'create',
    lastError: row.lastError,
    sourceLastChanged: row.sourceLastChanged,
    sourceLastChecked: row.sourceLastChecked,
    sourceLastSynced: row.sourceLastSynced,
    targetLastChanged: row.targetLastChanged,
    targetLastChecked: row.targetLastChecked,
    targetLastSynced: row.targetLastSynced,
    originData: row.originData,
  };
}

// Every column the engine owns is replaced on conflict; id, org, sync and createdAt stay.
const UPDATABLE = [
  'parentOriginId',
  'targetId',
  'originHash',
  'targetHash',
  'status',
  'lastAction',
  'lastError',
  'sourceLastChanged',
  'sourceLastChecked',
  'sourceLastSynced',
  'targetLastChanged',
  'targetLastChecked',
  'targetLastSynced',
  'originData',
] as const;

const onConflictSet = Object.fromEntries([
  ...UPDATABLE.map((key) => [key, sql.raw(`excluded.${contracts[key].name}`)]),
  ['updatedAt', sql.raw(`excluded.${contracts.updatedAt.name}`)],
]) as Record<(typeof UPDATABLE)[number] | 'updatedAt', SQL>;

export function createContractStore(db: Db, orgId: string, syncId: string): ContractStore {
  const ofSync = and(eq(contracts.orgId, orgId), eq(contracts.synchronisationId, syncId));
  const active = and(ofSync, ne(contracts.status, 'deleted'));

  const unseen = (q: UnseenQuery) => {
    const filters = [
      active,
      notExists(
        db
          .select({ one: sql`1` })
          .from(runSeen)
          .where(and(eq(runSeen.runId, q.runId), eq(runSeen.originId, contracts.originId))),
      ),
    ];
    if (q.onlyOriginIds) filters.push(inArray(contracts.originId, [...q.onlyOriginIds]));
    return and(...filters);
  };

  return {
    async lookup({ runId, page, originIds }: SeenRequest): Promise<ContractLookup> {
      const found: ContractState[] = [];
      const seenInRun: string[] = [];
      for (const ids of chunk(originIds, IN_CHUNK)) {
        const [rows, seen] = await Promise.all([
          db
            .select()
            .from(contracts)
            .where(and(ofSync, inArray(contracts.originId, ids))),
          db
            .select({ originId: runSeen.originId })
            .from(runSeen)
            .where(and(eq(runSeen.runId, runId), inArray(runSeen.originId, ids), ne(runSeen.page, page))),
        ]);
        found.push(...rows.map(toState));
        seenInRun.push(...seen.map((s) => s.originId));
      }
      return { contracts: found, seenInRun };
    },

    async markSeen({ runId, page, originIds }: SeenRequest): Promise<void> {
      if (originIds.length === 0) return;
      await db.transaction(async (tx) => {
        for (const ids of chunk(originIds, ROW_CHUNK * 2)) {
          // The first page that listed an id keeps it; a retried page finds its own rows already there.
          await tx
            .insert(runSeen)
            .values(ids.map((originId) => ({ runId, originId, page })))
            .onConflictDoNothing();
        }
      });
    },

    async upsert(states: readonly ContractState[]): Promise<void> {
      if (states.length === 0) return;
      const now = new Date();
      await db.transaction(async (tx) => {
        for (const rows of chunk(states, ROW_CHUNK)) {
          await tx
            .insert(contracts)
            .values(rows.map((s) => ({ ...s, orgId, synchronisationId: syncId, updatedAt: now })))
            .onConflictDoUpdate({
              target: [contracts.synchronisationId, contracts.originId],
              set: onConflictSet,
            });
        }
      });
    },

    async countActive({ before }): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(contracts)
        .where(and(active, lt(contracts.createdAt, before)));
      return row?.n ?? 0;
    },

    async countUnseen(q: UnseenQuery): Promise<number> {
      const [row] = await db.select({ n: count() }).from(contracts).where(unseen(q));
      return row?.n ?? 0;
    },

    async listUnseen(q): Promise<readonly ContractState[]> {
      const rows = await db
        .select()
        .from(contracts)
        .where(and(unseen(q), q.after === null ? undefined : gt(contracts.originId, q.after)))
        .orderBy(asc(contracts.originId))
        .limit(q.limit);
      return rows.map(toState);
    },
  };
}
