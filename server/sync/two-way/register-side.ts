// The register side of a two-way synchronisation: a schema's live objects read by id, by the matching
// field, and those no contract of the synchronisation links to (seed 000's "only on the target").
import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import {
  contracts,
  contractsOfOrg,
  objects,
  objectsOfOrg,
  ofSchema,
  ofSynchronisation,
  schemaSeqOfOrgSql,
  syncSeqOfOrgSql,
} from '../../db/schema';
import { chunk } from '../stores/chunks';

export interface RegisterObject {
  readonly id: string;
  readonly data: Record<string, unknown>;
  /** hashValue(data), kept by the register with every write. */
  readonly hash: string;
  /** When the register last changed it (the register's own clock). */
  readonly updatedAt: Date;
}

export interface RegisterSide {
  byIds(ids: readonly string[]): Promise<Map<string, RegisterObject>>;
  /** Objects whose value at `path` equals one of `values` (compared as text), grouped by that value. */
  byField(path: string, values: readonly string[]): Promise<Map<string, RegisterObject[]>>;
  /** Live objects no contract of the synchronisation links to, in id order after `after` (of `only`, if given). */
  unlinked(after: string | null, limit: number, only?: readonly string[]): Promise<RegisterObject[]>;
}

const COLUMNS = { id: objects.id, data: objects.data, hash: objects.hash, updatedAt: objects.updatedAt };

/** `$."a"."b"`: a dot path as an SQLite JSON path, each key quoted so that any name is taken literally. */
export function jsonPath(path: string): string {
  return `$${path
    .split('.')
    .map((key) => `."${key.replace(/"/g, '""')}"`)
    .join('')}`;
}

export function createRegisterSide(
  db: Db,
  o: { orgId: string; schemaId: string; syncId: string },
): RegisterSide {
  const live = and(objectsOfOrg(o.orgId), ofSchema(o.schemaId), isNull(objects.deletedAt));
  return {
    async byIds(ids) {
      const found = new Map<string, RegisterObject>();
      for (const part of chunk([...new Set(ids)], 500)) {
        const rows = await db
          .select(COLUMNS)
          .from(objects)
          .where(and(live, inArray(objects.id, part)));
        for (const row of rows) found.set(row.id, row);
      }
      return found;
    },

    async byField(path, values) {
      const groups = new Map<string, RegisterObject[]>();
      const value = sql<string>`CAST(json_extract(${objects.data}, ${jsonPath(path)}) AS TEXT)`;
      for (const part of chunk([...new Set(values)], 500)) {
        const rows = await db
          .select({ ...COLUMNS, key: value })
          .from(objects)
          .where(and(live, inArray(value, part)));
        for (const { key, ...row } of rows) {
          const group = groups.get(key) ?? [];
          group.push(row);
          groups.set(key, group);
        }
      }
      return groups;
    },

    async unlinked(after, limit, only) {
      if (only && only.length === 0) return [];
      const linked = db
        .select({ one: sql`1` })
        .from(contracts)
        .where(and(contractsOfOrg(o.orgId), ofSynchronisation(o.syncId), eq(contracts.targetId, objects.id)));
      return db
        .select(COLUMNS)
        .from(objects)
        .where(
          and(
            live,
            sql`NOT EXISTS ${linked}`,
            after === null ? undefined : gt(objects.id, after),
            only ? inArray(objects.id, [...only]) : undefined,
          ),
        )
        .orderBy(asc(objects.id))
        .limit(limit);
    },
  };
}

/** Contracts (not tombstones) of the synchronisation whose register object is gone: deleted in the register. */
export async function countTargetGone(db: Db, o: { orgId: string; schemaId: string; syncId: string }) {
  const result = await db.$client.execute({
    sql: `SELECT count(*) AS n FROM contracts c WHERE c.sync_seq = ${syncSeqOfOrgSql('?1', '?2')}
      AND c.status NOT IN ('deleted', 'conflict') AND c.target_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM objects o WHERE o.id = c.target_id AND o.schema_seq = ${schemaSeqOfOrgSql('?1', '?3')}
        AND o.deleted_at IS NULL)`,
    args: [o.orgId, o.syncId, o.schemaId],
  });
  return Number(result.rows[0]?.['n'] ?? 0);
}

/** Live objects of the schema that no contract of the synchronisation links to. */
export async function countUnlinked(db: Db, o: { orgId: string; schemaId: string; syncId: string }) {
  const result = await db.$client.execute({
    sql: `SELECT count(*) AS n FROM objects o WHERE o.schema_seq = ${schemaSeqOfOrgSql('?1', '?2')} AND o.deleted_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM contracts c WHERE c.sync_seq = ${syncSeqOfOrgSql('?1', '?3')}
        AND c.target_id = o.id)`,
    args: [o.orgId, o.schemaId, o.syncId],
  });
  return Number(result.rows[0]?.['n'] ?? 0);
}
