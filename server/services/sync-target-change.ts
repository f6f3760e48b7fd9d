// A synchronisation keeps the target it has written to. Each of its contracts links an object of its
// source to the object it wrote in its target — a register object's id, a REST API's id, a table's key
// — so pointed at another target (another register schema, another system) those links point nowhere:
// a one-way run found every object "already written" and wrote nothing to the new target, and a two-way
// run found none of them in the new register schema and deleted them all at the source. So the save
// refuses such a change once the synchronisation holds contracts, and says what to do instead. Another
// source record for the same system (the same API, the same database: new credentials, say) is the same
// target. How the same target is written (endpoints, methods, the table) may change: every object is
// sent again (core/prepare.ts, the target's fingerprint).
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { contractCounts, type sources, type synchronisations } from '../db/schema';
import { UserError } from './errors';
import { loadSource } from './sources';

type Row = typeof synchronisations.$inferSelect;
type SourceRow = typeof sources.$inferSelect;
type Target = Pick<Row, 'targetType' | 'targetRegisterId' | 'targetSchemaId' | 'targetSourceId'>;

/** The first field that names another target than the saved one, or null when it is the same target. */
async function changedTargetField(
  db: Db | Tx,
  orgId: string,
  saved: Target,
  next: Target,
): Promise<keyof Target | null> {
  if (saved.targetType !== next.targetType) return 'targetType';
  if (saved.targetType === 'register') {
    if (saved.targetRegisterId !== next.targetRegisterId) return 'targetRegisterId';
    if (saved.targetSchemaId !== next.targetSchemaId) return 'targetSchemaId';
    return null;
  }
  if (saved.targetSourceId === next.targetSourceId) return null;
  if (!saved.targetSourceId || !next.targetSourceId) return 'targetSourceId';
  // A source in use cannot be deleted, so the saved one is there.
  const system = systemOf(await loadSource(db, orgId, saved.targetSourceId));
  const nextSystem = systemOf(await loadSource(db, orgId, next.targetSourceId));
  return system !== null && system === nextSystem ? null : 'targetSourceId';
}

/** Which system a source reaches: a REST API's base URL, a database's server and name; null for others. */
function systemOf(source: SourceRow): string | null {
  const config = source.config;
  if (source.type === 'rest' && typeof config.baseUrl === 'string') {
    try {
      const url = new URL(config.baseUrl);
      return `rest ${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    } catch {
      return null;
    }
  }
  if (source.type === 'sql')
    return `sql ${String(config.dialect)} ${String(config.host).toLowerCase()}:${String(config.port)}/${String(config.database)}`;
  return null;
}

/** Refuses a save that points a synchronisation holding contracts at another target. */
export async function checkTargetKept(db: Db | Tx, orgId: string, saved: Row, next: Target): Promise<void> {
  const field = await changedTargetField(db, orgId, saved, next);
  if (field === null) return;
  // The contracts still linking an object (a deleted one's contract links nothing), from the counts
  // triggers keep exact (contracts.ts, contractCounts).
  const [row] = await db
    .select({ n: sql<number>`coalesce(sum(${contractCounts.n}), 0)`.mapWith(Number) })
    .from(contractCounts)
    .where(
      and(
        eq(contractCounts.orgId, orgId),
        eq(contractCounts.synchronisationId, saved.id),
        ne(contractCounts.status, 'deleted'),
      ),
    );
  const held = row?.n ?? 0;
  if (held === 0) return;
  throw new UserError(
    'BAD_REQUEST',
    `This synchronisation keeps ${held} contract${held === 1 ? '' : 's'} linking its source's objects to ` +
      `the ${held === 1 ? 'object' : 'objects'} it wrote in its target, so it cannot be pointed at another ` +
      'target: those links would point nowhere there (a one-way run would write nothing to it, a ' +
      'two-way run would delete the objects at the source). Create a new synchronisation for the other ' +
      'target; deleting this one leaves what it wrote where it is.',
    field,
  );
}
