// The subscribers of a register schema (the hub): synchronisations that feed it (their target is the
// schema: pull), that it feeds (their source is a register source on the schema: push), and two-way
// ones, which do both. Each with the system on the other end, its mappings and its unsubscribe list.
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client';
import { mappings, schemas, sources, synchronisations, type SourceType } from '../db/schema';
import { storedUnsubscribe } from '../sync/config/unsubscribe';
import type { UnsubscribeConfig } from '../sync/config/sync-config';

/** pull: the system feeds the hub; push: the hub feeds the system; two-way: both. */
export type LegKind = 'pull' | 'push' | 'two-way';

export interface HubLeg {
  syncId: string;
  name: string;
  enabled: boolean;
  kind: LegKind;
  /** The hub receives from this system (pull, two-way). */
  inbound: boolean;
  /** The hub sends to this system (push, two-way). */
  outbound: boolean;
  /** The system on the other end: a source, or another register schema. */
  system: { id: string; name: string; type: SourceType | 'register schema' };
  mappings: string[];
  /** Only for outbound legs: what it unsubscribed from. */
  unsubscribe: UnsubscribeConfig | null;
}

const registerOn = (schemaId: string) =>
  and(eq(sources.type, 'register'), sql`json_extract(${sources.config}, '$.schemaId') = ${schemaId}`);

export async function hubLegs(db: Db, orgId: string, schemaId: string): Promise<HubLeg[]> {
  const targetSource = alias(sources, 'target_source');
  const targetSchema = alias(schemas, 'target_schema');
  const rows = await db
    .select({
      sync: synchronisations,
      source: { id: sources.id, name: sources.name, type: sources.type, config: sources.config },
      targetSource: { id: targetSource.id, name: targetSource.name, type: targetSource.type },
      targetSchema: { id: targetSchema.id, name: targetSchema.name },
    })
    .from(synchronisations)
    .innerJoin(sources, and(eq(sources.id, synchronisations.sourceId), eq(sources.orgId, orgId)))
    .leftJoin(
      targetSource,
      and(eq(targetSource.id, synchronisations.targetSourceId), eq(targetSource.orgId, orgId)),
    )
    .leftJoin(
      targetSchema,
      and(eq(targetSchema.id, synchronisations.targetSchemaId), eq(targetSchema.orgId, orgId)),
    )
    .where(
      and(
        eq(synchronisations.orgId, orgId),
        or(
          and(eq(synchronisations.targetType, 'register'), eq(synchronisations.targetSchemaId, schemaId)),
          registerOn(schemaId),
        ),
      ),
    )
    .orderBy(synchronisations.name);

  const mappingIds = [
    ...new Set(rows.flatMap((r) => [r.sync.mappingId, r.sync.targetMappingId].filter((id) => id !== null))),
  ];
  const mappingNames = new Map(
    mappingIds.length === 0
      ? []
      : (
          await db
            .select({ id: mappings.id, name: mappings.name })
            .from(mappings)
            .where(and(eq(mappings.orgId, orgId), inArray(mappings.id, mappingIds)))
        ).map((m) => [m.id, m.name]),
  );

  return rows.map(({ sync, source, targetSource: toSource, targetSchema: toSchema }): HubLeg => {
    const feeds = sync.targetType === 'register' && sync.targetSchemaId === schemaId;
    const twoWay = feeds && sync.direction === 'two-way';
    const readsHub = source.type === 'register' && source.config['schemaId'] === schemaId;
    const kind: LegKind = twoWay ? 'two-way' : feeds ? 'pull' : 'push';
    // A pull's (or two-way's) system is its source; a push's is what it writes to.
    const system =
      kind !== 'push'
        ? { id: source.id, name: source.name, type: source.type }
        : toSource
          ? { id: toSource.id, name: toSource.name, type: toSource.type }
          : {
              id: toSchema?.id ?? '',
              name: toSchema?.name ?? 'A register schema',
              type: 'register schema' as const,
            };
    const outbound = kind !== 'pull' || readsHub;
    return {
      syncId: sync.id,
      name: sync.name,
      enabled: sync.enabled,
      kind,
      inbound: kind !== 'push',
      outbound,
      system,
      mappings: [sync.mappingId, sync.targetMappingId].flatMap((id) => {
        const name = id ? mappingNames.get(id) : undefined;
        return name ? [name] : [];
      }),
      unsubscribe: outbound ? storedUnsubscribe(sync.unsubscribe, sync.id) : null,
    };
  });
}
