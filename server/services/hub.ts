// The hub view of a register schema (seed 004): who feeds it, who it feeds, how each leg is doing, what
// waits in the outbox, and where the latest changes went. And a subscriber's unsubscribe list.
import { and, count, eq, min, sum } from 'drizzle-orm';
import type { Db } from '../db/client';
import { outbox, registers, sources, synchronisations } from '../db/schema';
import type { UnsubscribeConfig } from '../sync/config/sync-config';
import { storedUnsubscribe } from '../sync/config/unsubscribe';
import { recentDeliveries } from '../sync/stores/run-changes';
import { notFound, UserError } from './errors';
import { legHealth } from './hub-health';
import { hubLegs } from './hub-legs';
import { loadSchema } from './registers';

/** How many of the latest changes the hub page lists. */
const RECENT_CHANGES = 10;

export async function hubView(db: Db, orgId: string, schemaId: string) {
  const schema = await loadSchema(db, orgId, schemaId);
  const [register] = await db
    .select({ id: registers.id, name: registers.name })
    .from(registers)
    .where(and(eq(registers.orgId, orgId), eq(registers.id, schema.registerId)));
  const legs = await hubLegs(db, orgId, schemaId);
  const subscribers = await Promise.all(
    legs.map(async (leg) => ({ ...leg, ...(await legHealth(db, orgId, leg.syncId)) })),
  );
  const [backlog] = await db
    .select({ objects: count(), changes: sum(outbox.changes), oldest: min(outbox.createdAt) })
    .from(outbox)
    .where(and(eq(outbox.orgId, orgId), eq(outbox.schemaId, schemaId)));
  return {
    schema: { id: schema.id, name: schema.name, registerId: schema.registerId },
    register: register ?? { id: schema.registerId, name: '' },
    subscribers,
    backlog: {
      objects: backlog?.objects ?? 0,
      changes: Number(backlog?.changes ?? 0),
      oldest: backlog?.oldest ?? null,
    },
    recentChanges: await recentChanges(db, orgId, schemaId, new Map(legs.map((l) => [l.syncId, l.name]))),
  };
}

/** The latest changes delivered from this schema, each with the subscribers it went to. */
async function recentChanges(db: Db, orgId: string, schemaId: string, names: ReadonlyMap<string, string>) {
  const rows = await recentDeliveries(db, orgId, schemaId, RECENT_CHANGES * Math.max(4, names.size));
  const changes = new Map<
    string,
    {
      changeId: string;
      objectId: string;
      at: Date;
      deliveries: { syncId: string; syncName: string; runId: string; outcome: string }[];
    }
  >();
  for (const row of rows) {
    let change = changes.get(row.changeId);
    if (!change) {
      if (changes.size === RECENT_CHANGES) continue;
      change = { changeId: row.changeId, objectId: row.objectId, at: row.createdAt, deliveries: [] };
      changes.set(row.changeId, change);
    }
    const syncName = names.get(row.syncId) ?? 'A synchronisation no longer on this hub';
    change.deliveries.push({ syncId: row.syncId, syncName, runId: row.runId, outcome: row.outcome });
  }
  return [...changes.values()];
}

/**
 * Sets what an outbound subscriber receives. Paused and object ids are routing (the drain reads them);
 * fields change what is written, so only an edit of them counts as a configuration change (the skip
 * rule then looks at every object again on the next run).
 */
export async function setUnsubscribe(db: Db, orgId: string, syncId: string, list: UnsubscribeConfig) {
  const [sync] = await db
    .select()
    .from(synchronisations)
    .where(and(eq(synchronisations.orgId, orgId), eq(synchronisations.id, syncId)));
  if (!sync) throw notFound('The synchronisation');
  const schemaId = await hubOf(db, orgId, sync);
  if (!schemaId)
    throw new UserError(
      'BAD_REQUEST',
      'Only a synchronisation a register schema feeds (a push or a two-way synchronisation) can unsubscribe: this one only brings changes in.',
      'syncId',
    );
  if (sync.direction === 'two-way' && list.fields.length > 0)
    throw new UserError(
      'BAD_REQUEST',
      'A two-way synchronisation cannot leave fields out yet: remove them from its mappings instead, or pause it.',
      'unsubscribe.fields',
    );
  const before = storedUnsubscribe(sync.unsubscribe, sync.id);
  const fieldsChanged = JSON.stringify(before.fields) !== JSON.stringify(list.fields);
  const [row] = await db
    .update(synchronisations)
    .set({ unsubscribe: list, updatedAt: fieldsChanged ? new Date() : sync.updatedAt })
    .where(and(eq(synchronisations.orgId, orgId), eq(synchronisations.id, syncId)))
    .returning({ id: synchronisations.id, unsubscribe: synchronisations.unsubscribe });
  return { syncId: row!.id, unsubscribe: storedUnsubscribe(row!.unsubscribe, row!.id) };
}

/** The schema whose changes this synchronisation receives, or null when it receives none. */
async function hubOf(db: Db, orgId: string, sync: typeof synchronisations.$inferSelect) {
  if (sync.direction === 'two-way' && sync.targetSchemaId) return sync.targetSchemaId;
  const [source] = await db
    .select({ type: sources.type, config: sources.config })
    .from(sources)
    .where(and(eq(sources.orgId, orgId), eq(sources.id, sync.sourceId)));
  const schemaId = source?.type === 'register' ? source.config['schemaId'] : null;
  return typeof schemaId === 'string' ? schemaId : null;
}
