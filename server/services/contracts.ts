// Contracts of a synchronisation: a server-side paged, filtered list and one contract in full.
import { and, count, desc, eq, like, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { contracts } from '../db/schema';
import type { ContractAction, ContractStatus } from '../sync/core/contracts';
import { notFound } from './errors';
import { loadSynchronisation } from './synchronisations';

export interface ContractQuery {
  syncId: string;
  status?: ContractStatus;
  lastAction?: ContractAction;
  /** Matches the start of the origin id or the target id. */
  search?: string;
  page: number;
  pageSize: number;
}

export async function listContracts(db: Db, orgId: string, q: ContractQuery) {
  await loadSynchronisation(db, orgId, q.syncId);
  const filters: (SQL | undefined)[] = [
    eq(contracts.orgId, orgId),
    eq(contracts.synchronisationId, q.syncId),
  ];
  if (q.status) filters.push(eq(contracts.status, q.status));
  if (q.lastAction) filters.push(eq(contracts.lastAction, q.lastAction));
  if (q.search) {
    const prefix = `${q.search.replace(/[%_]/g, '')}%`;
    filters.push(or(like(contracts.originId, prefix), like(contracts.targetId, prefix)));
  }
  const where = and(...filters);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(contracts)
      .where(where)
      .orderBy(desc(contracts.updatedAt), desc(contracts.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(contracts).where(where),
  ]);
  return { rows, total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
}

export async function getContract(db: Db, orgId: string, contractId: string) {
  const [row] = await db
    .select()
    .from(contracts)
    .where(and(eq(contracts.orgId, orgId), eq(contracts.id, contractId)));
  if (!row) throw notFound('The contract');
  return row;
}
