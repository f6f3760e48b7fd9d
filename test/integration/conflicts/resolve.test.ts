// Resolving conflicts through the API: the source's version, the target's, or a pick per field each
// save the object the next run writes to both sides (`merged`, in the register's shape) and the losing
// version, and request a run with the trigger `resolution`. Picks must name the conflict's fields and
// settle every conflicting one; a resolved conflict stays as it is; viewers and outsiders cannot resolve.
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conflicts, runs, synchronisations } from '@/server/db/schema';
import { stopEmbeddedRunner } from '@/server/runner/dispatch';
import { resolveConflict } from '@/server/services/conflict-resolution';
import { callerFor, createMember, createOwner } from '../../factories';
import { createPairStore } from '@/server/sync/two-way/pair-store';
import {
  ADA_BASE,
  ADA_SOURCE,
  ADA_SOURCE_MAPPED,
  ADA_TARGET,
  deletedOn,
  insertConflict,
} from '../../factories/conflicts';
import { twoWayPeople } from '../helpers/conflict-setup';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;
let setup: Awaited<ReturnType<typeof twoWayPeople>>;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(3) });
  setup = await twoWayPeople(db.db, peer.url);
});
afterAll(async () => {
  await db.close();
  await peer.stop();
});

const newConflict = (
  overrides: Parameters<typeof insertConflict>[1] extends infer T ? Partial<T> : never = {},
) => insertConflict(db.db, { orgId: setup.orgId, synchronisationId: setup.sync.id, ...overrides });

async function stored(conflictId: string) {
  const [row] = await db.db.select().from(conflicts).where(eq(conflicts.id, conflictId));
  return row!;
}

const resolve = (input: Omit<Parameters<typeof setup.api.conflicts.resolve>[0], 'orgId'>) =>
  setup.api.conflicts.resolve({ orgId: setup.orgId, ...input });

describe('resolving a conflict', () => {
  it('keeps the source version: it is written to both sides, the target version is kept as the loser', async () => {
    const c = await newConflict();
    const result = await resolve({ conflictId: c.id, take: 'source' });
    expect(result.merged).toEqual(ADA_SOURCE_MAPPED);
    expect(await stored(c.id)).toMatchObject({
      status: 'resolving',
      resolution: { take: 'source', merged: ADA_SOURCE_MAPPED },
      resolvedBy: 'person',
      resolvedByUserId: setup.owner.user.id,
      losingData: ADA_TARGET,
      appliedRunId: null,
    });
    expect((await stored(c.id)).resolvedAt).toBeInstanceOf(Date);
  });

  it('requests a run with the trigger “resolution”, which the conflict page links to', async () => {
    const c = await newConflict();
    const { runId } = await resolve({ conflictId: c.id, take: 'target' });
    const [run] = await db.db.select().from(runs).where(eq(runs.id, runId!));
    expect(run).toMatchObject({
      trigger: 'resolution',
      synchronisationId: setup.sync.id,
      requestedBy: setup.owner.user.id,
      test: false,
    });
    const page = await setup.api.conflicts.get({ orgId: setup.orgId, conflictId: c.id });
    expect(page.run?.id).toBe(runId);
  });

  it('keeps the target version: the source version (as the source holds it) is kept as the loser', async () => {
    const c = await newConflict();
    expect((await resolve({ conflictId: c.id, take: 'target' })).merged).toEqual(ADA_TARGET);
    expect(await stored(c.id)).toMatchObject({
      resolution: { take: 'target', merged: ADA_TARGET },
      losingData: ADA_SOURCE,
    });
  });

  it('merges picked fields; unpicked ones come from the side that changed them', async () => {
    const c = await newConflict();
    const result = await resolve({ conflictId: c.id, take: 'fields', fields: { name: 'source' } });
    // name: picked from the source; email: only the source changed it; city: only the register did.
    const merged = { name: 'Ada L.', email: 'ada@new.test', city: 'Utrecht' };
    expect(result.merged).toEqual(merged);
    expect(await stored(c.id)).toMatchObject({
      resolution: { take: 'fields', fields: { name: 'source' }, merged },
      losingData: null,
    });
    const picked = await resolve({
      conflictId: c.id,
      take: 'fields',
      fields: { name: 'target', email: 'target', city: 'source' },
    });
    expect(picked.merged).toEqual({ name: 'Ada King', email: 'ada@old.test', city: 'Leiden' });
  });

  it('refuses picks that are not fields of the conflict, or that leave a conflicting field open', async () => {
    const c = await newConflict();
    await expect(
      resolve({ conflictId: c.id, take: 'fields', fields: { name: 'source', nmae: 'target' } }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: '“nmae” is not a field of this conflict. Pick sides for the fields the table shows.',
    });
    await expect(
      resolve({ conflictId: c.id, take: 'fields', fields: { city: 'target' } }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Both sides changed “name”: pick the source or the target for it.',
    });
    expect((await stored(c.id)).status).toBe('open');
  });

  it('writes a deletion to both sides when the side that deleted the object is kept', async () => {
    const c = await newConflict(deletedOn('source'));
    expect((await resolve({ conflictId: c.id, take: 'source' })).merged).toBeNull();
    expect(await stored(c.id)).toMatchObject({
      resolution: { take: 'source', merged: null },
      losingData: ADA_TARGET,
    });
    const t = await newConflict(deletedOn('target'));
    expect((await resolve({ conflictId: t.id, take: 'source' })).merged).toEqual(ADA_SOURCE_MAPPED);
    await expect(
      resolve({ conflictId: t.id, take: 'fields', fields: { name: 'source' } }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message:
        'This object was deleted in the register, so its fields cannot be picked one by one. Keep the source version or the target version.',
    });
  });

  it('lets a person change a resolution until a run applies it, and never after', async () => {
    const c = await newConflict();
    await resolve({ conflictId: c.id, take: 'source' });
    await resolve({ conflictId: c.id, take: 'target' });
    expect((await stored(c.id)).resolution).toMatchObject({ take: 'target' });
    // The engine applies it.
    await db.db.update(conflicts).set({ status: 'resolved' }).where(eq(conflicts.id, c.id));
    await expect(resolve({ conflictId: c.id, take: 'source' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message:
        'This conflict is already resolved and its result written to both sides. Edit the object itself to change it again.',
    });
    expect((await stored(c.id)).resolution).toMatchObject({ take: 'target' });
  });

  it('saves the resolution of a disabled synchronisation without a run, for its next run', async () => {
    const where = eq(synchronisations.id, setup.sync.id);
    await db.db.update(synchronisations).set({ enabled: false }).where(where);
    try {
      const c = await newConflict();
      const before = await db.db.select().from(runs).where(eq(runs.synchronisationId, setup.sync.id));
      expect(await resolve({ conflictId: c.id, take: 'source' })).toMatchObject({ runId: null });
      expect((await stored(c.id)).status).toBe('resolving');
      const after = await db.db.select().from(runs).where(eq(runs.synchronisationId, setup.sync.id));
      expect(after).toHaveLength(before.length);
    } finally {
      await db.db.update(synchronisations).set({ enabled: true }).where(where);
    }
  });

  it('queues one run behind a running one, and no second while one waits', async () => {
    // The service alone, with no executor to take the queued run meanwhile.
    await stopEmbeddedRunner(db.db);
    const settle = () =>
      db.db
        .update(runs)
        .set({ status: 'cancelled', finishedAt: new Date() })
        .where(and(eq(runs.synchronisationId, setup.sync.id), inArray(runs.status, ['queued', 'running'])));
    await settle(); // the runs earlier tests requested
    const [running] = await db.db
      .insert(runs)
      .values({
        orgId: setup.orgId,
        synchronisationId: setup.sync.id,
        trigger: 'manual',
        status: 'running',
        startedAt: new Date(),
      })
      .returning();
    const userId = setup.owner.user.id;
    try {
      const a = await resolveConflict(db.db, setup.orgId, userId, {
        conflictId: (await newConflict()).id,
        take: 'source',
      });
      expect(a.run?.id).not.toBe(running!.id);
      expect(a.alreadyActive).toBe(false);
      const b = await resolveConflict(db.db, setup.orgId, userId, {
        conflictId: (await newConflict()).id,
        take: 'target',
      });
      expect(b).toMatchObject({ alreadyActive: true, run: { id: a.run!.id } });
      const queued = await db.db
        .select()
        .from(runs)
        .where(and(eq(runs.synchronisationId, setup.sync.id), eq(runs.status, 'queued')));
      expect(queued.map((r) => r.id)).toEqual([a.run!.id]);
    } finally {
      await settle();
    }
  });

  it('answers a viewer FORBIDDEN, and another organisation NOT_FOUND', async () => {
    const c = await newConflict();
    const viewer = await createMember(db.db, setup.orgId, setup.owner.user.id, 'viewer');
    await expect(
      callerFor(db.db, viewer).conflicts.resolve({ orgId: setup.orgId, conflictId: c.id, take: 'source' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const outsider = await createOwner(db.db);
    const theirs = callerFor(db.db, outsider.user);
    await expect(
      theirs.conflicts.resolve({ orgId: outsider.org.id, conflictId: c.id, take: 'source' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'The conflict was not found' });
    await expect(
      theirs.conflicts.resolve({ orgId: setup.orgId, conflictId: c.id, take: 'source' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await stored(c.id)).status).toBe('open');
  });

  it('does not open a second conflict when a run that read both sides before the decision finds it again', async () => {
    const c = await newConflict();
    await resolve({ conflictId: c.id, take: 'source' });
    // A run that started before the person decided reaches the object: the same disagreement again.
    const store = createPairStore(db.db, { orgId: setup.orgId, syncId: setup.sync.id });
    await store.recordConflict({
      originId: c.originId,
      targetId: c.targetId,
      kind: 'both-changed',
      runId: 'run_started_before',
      baseData: ADA_BASE,
      sourceData: ADA_SOURCE,
      sourceMapped: ADA_SOURCE_MAPPED,
      targetData: ADA_TARGET,
      sourceHash: c.sourceHash,
      targetHash: c.targetHash,
      sourceUpdatedAt: null,
      targetUpdatedAt: null,
    });
    const ofObject = await db.db
      .select()
      .from(conflicts)
      .where(and(eq(conflicts.synchronisationId, setup.sync.id), eq(conflicts.originId, c.originId)));
    expect(ofObject.map((r) => [r.id, r.status])).toEqual([[c.id, 'resolving']]);
    expect(ofObject[0]!.resolution).toMatchObject({ take: 'source' });
  });
});
