// What a two-way synchronisation remembers: its contracts with both sides' bases (read and written
// whole, through drizzle: a two-way page is decided from full rows), and its conflicts.
import type { InValue } from '@libsql/client';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import {
  conflicts,
  contractReadColumns,
  type contractStateColumns,
  contractTimeOffsets,
  contractTimeOffsetsOnConflict,
  contracts,
  contractsOfOrg,
  ofSynchronisation,
  syncSeqOfOrg,
} from '../../db/schema';
import type { ConflictKind } from '../../db/schema/conflicts';
import type { ContractState } from '../core/contracts';
import { chunk } from '../stores/chunks';
import { versionOf, versionStatements, type VersionRow } from '../stores/contract-versions';
import { adoptRoundedIds } from '../stores/rounded-ids';
import { withOriginData } from '../stores/source-copies';
import { madeOneWay, oneWayBaseData } from './one-way-base';

/** A contract as a two-way synchronisation sees it: both sides' bases and data. */
export interface PairContract extends ContractState {
  /** Hash of the register object as last synced. */
  readonly targetBaseHash: string | null;
  /** Hash of what Concord last wrote to the source. */
  readonly originSentHash: string | null;
  /** The register object as last synced: the base of a conflict's three-way diff. */
  readonly targetData: Record<string, unknown> | null;
  readonly originData: unknown;
  /** The flap breaker's count of writes since flipsSince. */
  readonly flips: number;
  readonly flipsSince: Date | null;
}

// Read through contractReadColumns (contractStateColumns: the times read, not their stored offsets).
type Row = { [K in keyof typeof contractStateColumns]: (typeof contracts.$inferSelect)[K] };

/**
 * `oneWayBase`: for a contract a one-way run wrote (one-way-base.ts), the register object as it wrote
 * it; its hash is the register side's base, as a two-way run's targetBaseHash is.
 */
function fromRow(row: Row, oneWayBase: ReadonlyMap<string, Record<string, unknown>>): PairContract {
  const oneWay = madeOneWay(row);
  return {
    originId: row.originId,
    parentOriginId: row.parentOriginId,
    targetId: row.targetId,
    originHash: row.originHash,
    targetHash: row.targetHash,
    sentHash: row.sentHash,
    sentData: row.sentData,
    status: row.status,
    lastAction: row.lastAction ?? 'create',
    lastError: row.lastError,
    sourceLastChanged: row.sourceLastChanged,
    sourceLastChecked: row.sourceLastChecked,
    sourceLastSynced: row.sourceLastSynced,
    targetLastChanged: row.targetLastChanged,
    targetLastChecked: row.targetLastChecked,
    targetLastSynced: row.targetLastSynced,
    targetBaseHash: oneWay ? row.targetHash : row.targetBaseHash,
    originSentHash: row.originSentHash,
    targetData: (oneWay ? oneWayBase.get(row.originId) : row.targetData) ?? null,
    originData: row.originData ?? null,
    flips: row.flips,
    flipsSince: row.flipsSince,
  };
}

export interface ConflictRecord {
  readonly originId: string;
  readonly targetId: string | null;
  readonly kind: ConflictKind;
  readonly runId: string;
  readonly baseData: Record<string, unknown> | null;
  readonly sourceData: Record<string, unknown> | null;
  readonly sourceMapped: Record<string, unknown> | null;
  readonly targetData: Record<string, unknown> | null;
  readonly sourceHash: string | null;
  readonly targetHash: string | null;
  readonly sourceUpdatedAt: unknown;
  readonly targetUpdatedAt: unknown;
  /** Settled by the policy at once (it names itself), with the losing version; absent: waits for a person. */
  readonly settled?: { readonly by: string; readonly losingData: Record<string, unknown> | null };
}

/** A conflict a person resolved, waiting for this run to write the result to both sides. */
export interface Resolution {
  readonly id: string;
  readonly originId: string;
  readonly targetId: string | null;
  /** The register's shape; null: the object is deleted on both sides. */
  readonly merged: Record<string, unknown> | null;
}

const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value);

/** `runId`: the run writing; each state that changes the object also records a version (a record's history). */
export function createPairStore(db: Db, o: { orgId: string; syncId: string; runId?: string }) {
  const ofSync = and(contractsOfOrg(o.orgId), ofSynchronisation(o.syncId));
  const conflictsOfSync = and(eq(conflicts.orgId, o.orgId), eq(conflicts.synchronisationId, o.syncId));

  return {
    async byOriginIds(ids: readonly string[]): Promise<Map<string, PairContract>> {
      const found = new Map<string, PairContract>();
      await adoptRoundedIds((sql, args) => db.$client.execute({ sql, args }), o.orgId, o.syncId, ids);
      for (const part of chunk([...new Set(ids)], 500)) {
        const rows = await db
          .select(contractReadColumns)
          .from(contracts)
          .where(and(ofSync, inArray(contracts.originId, part)));
        const bases = await oneWayBaseData(db, o, rows);
        for (const row of await withOriginData(db, rows)) found.set(row.originId, fromRow(row, bases));
      }
      return found;
    },

    /**
     * The contracts that link these register objects, by register id: a live one before a tombstone (an
     * object a deleted contract still names may have been paired again since).
     */
    async byTargetIds(ids: readonly string[]): Promise<Map<string, PairContract>> {
      const found = new Map<string, PairContract>();
      for (const part of chunk([...new Set(ids)], 500)) {
        const rows = await db
          .select(contractReadColumns)
          .from(contracts)
          .where(and(ofSync, inArray(contracts.targetId, part)));
        const bases = await oneWayBaseData(db, o, rows);
        for (const row of await withOriginData(db, rows)) {
          if (!row.targetId) continue;
          const before = found.get(row.targetId);
          if (!before || before.status === 'deleted') found.set(row.targetId, fromRow(row, bases));
        }
      }
      return found;
    },

    async save(states: readonly PairContract[]): Promise<void> {
      for (const part of chunk(states, 200)) {
        const now = new Date();
        const values = part.map((s) => ({
          // Found among the organisation's synchronisations only (NULL otherwise, which the column refuses).
          syncSeq: syncSeqOfOrg(o.orgId, o.syncId),
          originId: s.originId,
          parentOriginId: s.parentOriginId,
          targetId: s.targetId,
          originHash: s.originHash,
          targetHash: s.targetHash,
          sentHash: s.sentHash ?? null,
          sentData: (s.sentData as Record<string, unknown> | null) ?? null,
          status: s.status,
          lastAction: s.lastAction,
          lastError: s.lastError,
          // Stored as offsets from the creation time given here (an existing contract's are moved to
          // its own by the conflict's set).
          createdAt: now,
          ...contractTimeOffsets(s, now),
          targetBaseHash: s.targetBaseHash,
          originSentHash: s.originSentHash,
          targetData: s.targetData,
          // Kept in the row, as before source copies (stores/source-copies.ts): this store writes
          // whole rows through drizzle. Pointing at no copy lets go of one the contract had (a
          // one-way run of the synchronisation made it).
          originData: s.originData ?? null,
          originCopy: null,
          originCopyAt: null,
          flips: s.flips,
          flipsSince: s.flipsSince,
        }));
        const upsert = db
          .insert(contracts)
          .values(values)
          .onConflictDoUpdate({
            target: [contracts.syncSeq, contracts.originId],
            set: {
              parentOriginId: sqlExcluded('parent_origin_id'),
              targetId: sqlExcluded('target_id'),
              originHash: sqlExcluded('origin_hash'),
              targetHash: sqlExcluded('target_hash'),
              sentHash: sqlExcluded('sent_hash'),
              status: sqlExcluded('status'),
              lastAction: sqlExcluded('last_action'),
              lastError: sqlExcluded('last_error'),
              ...contractTimeOffsetsOnConflict(),
              targetBaseHash: sqlExcluded('target_base_hash'),
              originSentHash: sqlExcluded('origin_sent_hash'),
              targetData: sqlExcluded('target_data'),
              originData: sqlExcluded('origin_data'),
              originCopy: sqlExcluded('origin_copy'),
              originCopyAt: sqlExcluded('origin_copy_at'),
              flips: sqlExcluded('flips'),
              flipsSince: sqlExcluded('flips_since'),
            },
          });
        // The register object as synced is the version; it goes in the contracts' own transaction.
        const versions: VersionRow[] = [];
        if (o.runId)
          for (const s of part) {
            const version = versionOf(s, s.targetData);
            if (version) versions.push(version);
          }
        if (versions.length === 0) {
          await upsert;
          continue;
        }
        const query = upsert.toSQL();
        await db.$client.batch(
          [
            { sql: query.sql, args: query.params as InValue[] },
            ...versionStatements({ orgId: o.orgId, syncId: o.syncId, runId: o.runId! }, versions),
          ],
          'write',
        );
      }
    },

    /** Origin ids with an open conflict (nothing is written for them until it is resolved). */
    async openConflicts(originIds: readonly string[]): Promise<Set<string>> {
      const open = new Set<string>();
      for (const part of chunk([...new Set(originIds)], 500)) {
        const rows = await db
          .select({ originId: conflicts.originId })
          .from(conflicts)
          .where(and(conflictsOfSync, ne(conflicts.status, 'resolved'), inArray(conflicts.originId, part)));
        for (const row of rows) open.add(row.originId);
      }
      return open;
    },

    /**
     * Records a conflict: an open one of the same object is brought up to date (one conflict per object
     * waits at a time); a settled one is kept as history.
     */
    async recordConflict(c: ConflictRecord): Promise<void> {
      const values = {
        targetId: c.targetId,
        kind: c.kind,
        runId: c.runId,
        baseData: c.baseData,
        sourceData: c.sourceData,
        sourceMapped: c.sourceMapped,
        targetData: c.targetData,
        sourceHash: c.sourceHash,
        targetHash: c.targetHash,
        sourceUpdatedAt: text(c.sourceUpdatedAt),
        targetUpdatedAt: text(c.targetUpdatedAt),
      };
      if (c.settled) {
        await db.insert(conflicts).values({
          orgId: o.orgId,
          synchronisationId: o.syncId,
          originId: c.originId,
          ...values,
          status: 'resolved',
          resolvedBy: c.settled.by,
          resolvedAt: new Date(),
          losingData: c.settled.losingData,
          appliedRunId: c.runId,
        });
        return;
      }
      const [open] = await db
        .select({ id: conflicts.id, status: conflicts.status })
        .from(conflicts)
        .where(
          and(
            conflictsOfSync,
            eq(conflicts.originId, c.originId),
            inArray(conflicts.status, ['open', 'resolving']),
          ),
        )
        .limit(1);
      // A person has decided this object's conflict and the run that writes the decision is on its way:
      // a run that read both sides before the decision found the same conflict, not a new one.
      if (open?.status === 'resolving') return;
      if (open) await db.update(conflicts).set(values).where(eq(conflicts.id, open.id));
      else
        await db
          .insert(conflicts)
          .values({ orgId: o.orgId, synchronisationId: o.syncId, originId: c.originId, ...values });
    },

    /** An open conflict whose sides came to agree on their own: resolved, by agreement. */
    async closeAgreed(originIds: readonly string[], runId: string): Promise<void> {
      for (const part of chunk([...new Set(originIds)], 500)) {
        await db
          .update(conflicts)
          .set({ status: 'resolved', resolvedBy: 'agreement', resolvedAt: new Date(), appliedRunId: runId })
          .where(and(conflictsOfSync, eq(conflicts.status, 'open'), inArray(conflicts.originId, part)));
      }
    },

    async resolutions(): Promise<Resolution[]> {
      const rows = await db
        .select({
          id: conflicts.id,
          originId: conflicts.originId,
          targetId: conflicts.targetId,
          resolution: conflicts.resolution,
        })
        .from(conflicts)
        .where(and(conflictsOfSync, eq(conflicts.status, 'resolving')));
      return rows.map((row) => {
        const merged = row.resolution?.merged;
        return {
          id: row.id,
          originId: row.originId,
          targetId: row.targetId,
          merged: merged && typeof merged === 'object' ? (merged as Record<string, unknown>) : null,
        };
      });
    },

    async markApplied(id: string, runId: string): Promise<void> {
      await db
        .update(conflicts)
        .set({ status: 'resolved', appliedRunId: runId })
        .where(and(conflictsOfSync, eq(conflicts.id, id), eq(conflicts.status, 'resolving')));
    },
  };
}

export type PairStore = ReturnType<typeof createPairStore>;

const sqlExcluded = (column: string) => sql.raw(`excluded.${column}`);
