// Concord's register as a target: objects validated against the schema's JSON Schema (ajv), written a
// batch per statement (see register-rows.ts), soft or hard deleted; every query scoped to the org.
// When synchronisations push the schema's changes out, each batch's changes go into the push outbox in
// the same transaction as the batch (stores/outbox.ts), with the writing synchronisation as origin.
import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { schemas } from '../../db/schema';
import { compileObjectValidator } from '../../services/json-schema';
import { hashValue } from '../core/canonical-json';
import type { ChangeSource } from '../core/fan-out';
import type {
  ChangeOrigin,
  TargetCreate,
  TargetDelete,
  TargetDeleteResult,
  TargetPort,
  TargetUpdate,
  TargetWriteResult,
} from '../ports';
import { changeStatements, recordChanges, type ObjectChange } from '../stores/outbox';
import { isPushed } from '../stores/push-subscribers';
import {
  deleteObjects,
  insertObjects,
  insertStatements,
  loadObjects,
  stableObjectId,
  updateObjects,
  type ExistingObject,
  type ObjectWrite,
  type WriteScope,
} from './register-rows';

export interface RegisterTargetOptions {
  db: Db;
  orgId: string;
  systemId: string;
  registerId: string;
  schemaId: string;
  jsonSchema: Record<string, unknown>;
  /** Told after a batch queued changes in the push outbox. */
  changesQueued?: (change: { orgId: string; schemaId: string }) => void;
}

const MAX_LISTED_PROBLEMS = 5;
const SCHEMA_GONE = 'The target schema was not found: it may have been deleted.';
const CHANGED_MEANWHILE =
  'The register object changed while this run was deciding (a person or another synchronisation wrote ' +
  'it): not written over; it is decided again next run.';

/**
 * Whether the object moved on from what an update's writer saw (`seen`, TargetUpdate.unlessChangedFrom):
 * changed, deleted or gone since — unless it already holds what the update would write.
 */
function movedOn(current: ExistingObject | undefined, seen: string, hash: string): boolean {
  if (!current || current.deletedAt !== null) return true;
  return current.hash !== seen && current.hash !== hash;
}

/**
 * Behaviour worth knowing:
 * - An object invalid for the schema is answered `ok: false, invalid: true` with ajv's reasons and not
 *   written: Concord refuses it before writing, so the run counts it invalid, not failed.
 * - Update of an object someone deleted (hard) re-creates it and answers the NEW id, so the contract
 *   points at it again; an update of a soft-deleted object restores it (clears deletedAt).
 * - A create for a record back after its deletion (`replaces`) restores the object its contract still
 *   names when the schema holds it (soft deleted): the same id, so the record keeps one object.
 * - An update whose data is identical to a live object's writes nothing (the version stays).
 * - Ids of created objects derive from the engine's idempotency key, so a retried step cannot duplicate.
 */
export function createRegisterTarget(o: RegisterTargetOptions): TargetPort {
  const scope = { orgId: o.orgId, schemaId: o.schemaId };
  const validate = compileObjectValidator(o.jsonSchema);

  // One query per batch: the schema must still be this organisation's, in this register.
  async function schemaName(): Promise<string | undefined> {
    const [row] = await o.db
      .select({ name: schemas.name })
      .from(schemas)
      .where(
        and(eq(schemas.orgId, o.orgId), eq(schemas.id, o.schemaId), eq(schemas.registerId, o.registerId)),
      );
    return row?.name;
  }

  function invalidReason(name: string, object: unknown): string | null {
    const check = validate(object);
    if (check.ok) return null;
    const listed = check.problems.slice(0, MAX_LISTED_PROBLEMS).join('; ');
    const more =
      check.problems.length > MAX_LISTED_PROBLEMS
        ? ` (and ${check.problems.length - MAX_LISTED_PROBLEMS} more)`
        : '';
    return `invalid for schema "${name}": ${listed}${more}`;
  }

  const inRegister = (origin: ChangeOrigin): WriteScope => ({ ...scope, syncId: origin.syncId });
  const changeSource = (origin: ChangeOrigin): ChangeSource => ({
    systemId: origin.systemId,
    syncId: origin.syncId,
  });

  /**
   * Runs a batch's writes (which load, then write) in one transaction; when the schema's changes are
   * pushed anywhere, with their outbox rows (`write` answers the changes). One question per batch decides.
   */
  async function withOutbox(
    origin: ChangeOrigin,
    write: (tx: Tx) => Promise<readonly ObjectChange[]>,
  ): Promise<void> {
    const source = changeSource(origin);
    const pushed = await isPushed(o.db, o.orgId, o.schemaId, source);
    const queued = await o.db.transaction(async (tx) => {
      const changes = await write(tx);
      if (!pushed || changes.length === 0) return false;
      await recordChanges(tx, scope, changes, source);
      return true;
    });
    if (queued) o.changesQueued?.(scope);
  }

  /**
   * Creates of records back at the source after their deletion (TargetCreate.replaces): the object the
   * contract still names is restored — deleted mark cleared, version + 1, the new data — when the schema
   * still holds it (soft deleted, or left live by the deletion policy _none_). One deleted for good is
   * created anew under the create's own stable id. Retried, the restored object is live with the same
   * data, so nothing is written twice.
   */
  async function restore(
    returning: readonly { item: TargetCreate; row: ObjectWrite }[],
  ): Promise<TargetWriteResult[]> {
    const results: TargetWriteResult[] = [];
    const { origin } = returning[0]!.item;
    await withOutbox(origin, async (tx) => {
      const existing = await loadObjects(
        tx,
        scope,
        returning.flatMap(({ item, row }) =>
          item.replaces === undefined ? [row.id] : [item.replaces, row.id],
        ),
      );
      const restored: ObjectWrite[] = [];
      const created: ObjectWrite[] = [];
      for (const { item, row } of returning) {
        // The object the contract names, else (a handed-over object) the one a failed delivery wrote.
        const current =
          (item.replaces === undefined ? undefined : existing.get(item.replaces)) ??
          (item.resendKey === undefined ? undefined : existing.get(row.id));
        const write = current ? { ...row, id: current.id } : row;
        if (!current) created.push(write);
        else if (current.deletedAt !== null || current.hash !== row.hash) restored.push(write);
        results.push({ originId: item.originId, ok: true, targetId: write.id, targetHash: row.hash });
      }
      await updateObjects(tx, inRegister(origin), restored);
      await insertObjects(tx, inRegister(origin), created);
      return [...restored, ...created].map((row) => ({ objectId: row.id, op: 'upsert' as const }));
    });
    return results;
  }

  return {
    systemId: o.systemId,

    // A test run's question: which objects the schema would refuse. Nothing is written or locked.
    async check(batch) {
      const name = await schemaName();
      if (name === undefined)
        return batch.map(({ originId }) => ({ originId, ok: false, reason: SCHEMA_GONE }));
      return batch.flatMap(({ originId, object }) => {
        const reason = invalidReason(name, object);
        return reason ? [{ originId, ok: false as const, reason, invalid: true as const }] : [];
      });
    },

    async create(batch) {
      const name = await schemaName();
      if (name === undefined)
        return batch.map(({ originId }) => ({ originId, ok: false, reason: SCHEMA_GONE }));
      const results: TargetWriteResult[] = [];
      const rows: ObjectWrite[] = [];
      // Records back after their deletion: the object their contract still names, restored if it is here.
      const returning: { item: TargetCreate; row: ObjectWrite }[] = [];
      for (const item of batch) {
        const reason = invalidReason(name, item.object);
        if (reason) {
          results.push({ originId: item.originId, ok: false, reason, invalid: true });
          continue;
        }
        const id =
          item.resendKey !== undefined
            ? stableObjectId(scope, `resend:${item.resendKey}`, null)
            : stableObjectId(scope, `create:${item.idempotencyKey}`, {
                runId: item.origin.runId,
                page: item.page,
              });
        const hash = item.hash ?? hashValue(item.object);
        // A handed-over object is looked for too: a failed delivery may have written it (under the same
        // key) without its contract, and the one sent again must find it, not write a second.
        if (item.replaces !== undefined || item.resendKey !== undefined) {
          returning.push({ item, row: { id, data: item.object, hash } });
          continue;
        }
        rows.push({ id, data: item.object, hash });
        results.push({ originId: item.originId, ok: true, targetId: id, targetHash: hash });
      }
      if (returning.length > 0) results.push(...(await restore(returning)));
      if (rows.length > 0) {
        const { origin } = batch[0]!;
        const source = changeSource(origin);
        if (await isPushed(o.db, o.orgId, o.schemaId, source)) {
          // The objects and their outbox rows in one batch: atomic, and no transaction held across
          // awaits (stores/outbox.ts says why that matters).
          const changes = rows.map((row) => ({ objectId: row.id, op: 'upsert' as const }));
          const [first, ...rest] = [
            ...insertStatements(o.db, inRegister(origin), rows),
            ...changeStatements(o.db, scope, changes, source),
          ];
          await o.db.batch([first!, ...rest]);
          o.changesQueued?.(scope);
        } else {
          // One statement per batch: atomic without a transaction of its own.
          await insertObjects(o.db, inRegister(origin), rows);
        }
      }
      return results;
    },

    async update(batch) {
      const name = await schemaName();
      if (name === undefined)
        return batch.map(({ originId }) => ({ originId, ok: false, reason: SCHEMA_GONE }));
      const results = new Map<TargetUpdate, TargetWriteResult>();
      const valid: { item: TargetUpdate; hash: string }[] = [];
      for (const item of batch) {
        const reason = invalidReason(name, item.object);
        if (reason) results.set(item, { originId: item.originId, ok: false, reason, invalid: true });
        else valid.push({ item, hash: item.hash ?? hashValue(item.object) });
      }
      if (valid.length > 0) {
        const { origin } = valid[0]!.item;
        await withOutbox(origin, async (tx) => {
          const existing = await loadObjects(
            tx,
            scope,
            valid.map(({ item }) => item.targetId),
          );
          const recreated: ObjectWrite[] = [];
          const changed: ObjectWrite[] = [];
          for (const { item, hash } of valid) {
            const current = existing.get(item.targetId);
            let targetId = item.targetId;
            // Update only: an object the register does not hold (live) is left alone, never created.
            if (item.ifExists && (!current || current.deletedAt !== null)) {
              const reason = 'The register holds no such object (update only).';
              results.set(item, { originId: item.originId, ok: false, reason, absent: true });
              continue;
            }
            if (item.unlessChangedFrom !== undefined && movedOn(current, item.unlessChangedFrom, hash)) {
              results.set(item, {
                originId: item.originId,
                ok: false,
                reason: CHANGED_MEANWHILE,
                transient: true,
              });
              continue;
            }
            if (!current) {
              const { syncId, runId } = item.origin;
              targetId = stableObjectId(
                scope,
                `recreate:${syncId}:${runId}:${item.originId}:${item.targetId}`,
                { runId, page: item.page },
              );
              recreated.push({ id: targetId, data: item.object, hash });
            } else if (current.hash !== hash || current.deletedAt !== null) {
              changed.push({ id: targetId, data: item.object, hash });
            }
            results.set(item, { originId: item.originId, ok: true, targetId, targetHash: hash });
          }
          await updateObjects(tx, inRegister(origin), changed);
          await insertObjects(tx, inRegister(origin), recreated);
          return [...changed, ...recreated].map((row) => ({ objectId: row.id, op: 'upsert' as const }));
        });
      }
      return batch.map(
        (item) => results.get(item) ?? { originId: item.originId, ok: false, reason: 'not written' },
      );
    },

    async delete(
      batch: readonly TargetDelete[],
      policy: 'soft' | 'hard',
    ): Promise<readonly TargetDeleteResult[]> {
      const kept = new Set<TargetDelete>();
      if (batch.length > 0) {
        const { origin } = batch[0]!;
        await withOutbox(origin, async (tx) => {
          // An object changed since the writer saw it (TargetDelete.unlessChangedFrom) is not deleted.
          const guarded = batch.filter((item) => item.unlessChangedFrom !== undefined);
          if (guarded.length > 0) {
            const existing = await loadObjects(
              tx,
              scope,
              guarded.map((item) => item.targetId),
            );
            for (const item of guarded) {
              const current = existing.get(item.targetId);
              if (current && current.deletedAt === null && current.hash !== item.unlessChangedFrom)
                kept.add(item);
            }
          }
          const ids = batch.filter((item) => !kept.has(item)).map((item) => item.targetId);
          const gone = await deleteObjects(tx, { ...scope, syncId: origin.syncId }, ids, policy);
          return gone.map((row) => ({ objectId: row.id, op: 'delete' as const, data: row.data }));
        });
      }
      return batch.map((item) =>
        kept.has(item)
          ? { originId: item.originId, ok: false, reason: CHANGED_MEANWHILE, transient: true }
          : { originId: item.originId, ok: true },
      );
    },
  };
}
