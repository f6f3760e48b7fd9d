// Deletions held for approval, through the API: a run that would delete more than the threshold holds
// them; a person with syncs.write approves (an approval run deletes them) or rejects (the objects stay).
import { TRPCError } from '@trpc/server';
import { and, isNotNull, isNull } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contractReadColumns, contracts, objects, ofSchema, ofSynchronisation } from '@/server/db/schema';
import { callerFor, createMember } from '../factories';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startJsonServer, type JsonServer } from './helpers/json-server';
import { people, restToRegister, runThroughApi } from './helpers/sync-setup';

let db: TestDatabase;
const peers: JsonServer[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.stop()));
});
afterAll(() => db.close());

const REMOVED = Array.from({ length: 30 }, (_, i) => i + 1);

/** 45 people synced, then 30 of them deleted from the source: the next run holds 30 deletions. */
async function withHeldDeletions() {
  const peer = await startJsonServer({ people: people(45) });
  peers.push(peer);
  const setup = await restToRegister(db.db, peer.url);
  const { api, orgId, sync } = setup;
  expect(await runThroughApi(api, orgId, sync.id)).toMatchObject({ result: 'success', created: 45 });
  for (const id of REMOVED) await fetch(`${peer.url}/people/${id}`, { method: 'DELETE' });
  expect(await runThroughApi(api, orgId, sync.id)).toMatchObject({ result: 'warning', held: 30, deleted: 0 });
  const objectsWhere = (deleted: boolean) =>
    db.db
      .select()
      .from(objects)
      .where(
        and(ofSchema(setup.schema.id), deleted ? isNotNull(objects.deletedAt) : isNull(objects.deletedAt)),
      );
  return { ...setup, live: () => objectsWhere(false), gone: () => objectsWhere(true) };
}

async function waitForRun(api: ReturnType<typeof callerFor>, orgId: string, runId: string) {
  for (let i = 0; i < 400; i++) {
    const run = await api.runs.get({ orgId, runId });
    if (run.status === 'finished' || run.status === 'cancelled') return run;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`run ${runId} did not finish`);
}

async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    return error instanceof TRPCError ? error.code : `unexpected ${String(error)}`;
  }
}

describe('held deletions', () => {
  it('counts the held deletions, and approving runs them: 30 objects soft deleted', async () => {
    const { api, orgId, sync, live, gone } = await withHeldDeletions();
    expect(await api.synchronisations.held({ orgId, syncId: sync.id })).toBe(30);
    expect(await live()).toHaveLength(45);

    // An approval of another count than is held now (the page was opened before runs held more) is
    // refused, and deletes nothing; the count the person was shown approves.
    expect(await errorCode(api.synchronisations.approveHeld({ orgId, syncId: sync.id, seen: 12 }))).toBe(
      'CONFLICT',
    );
    expect(await api.synchronisations.held({ orgId, syncId: sync.id })).toBe(30);
    expect(await live()).toHaveLength(45);
    const { runId } = await api.synchronisations.approveHeld({ orgId, syncId: sync.id, seen: 30 });
    const run = await waitForRun(api, orgId, runId);
    expect(run).toMatchObject({ trigger: 'approval', status: 'finished', result: 'success', deleted: 30 });
    // Its log's timeline says what each batch of approved deletions did.
    const timeline = await api.runs.timeline({ orgId, runId, pageSize: 50 });
    expect(timeline.rows.map((e) => [e.kind, e.objects])).toEqual([['deletions', 30]]);
    expect(timeline.rows[0]!.detail).toBe('Batch 1: 30 approved deletions carried out.');

    expect(await api.synchronisations.held({ orgId, syncId: sync.id })).toBe(0);
    expect(await live()).toHaveLength(15);
    const deleted = await gone();
    expect(deleted.map((o) => o.data.name).sort()).toEqual(REMOVED.map((id) => `Person ${id}`).sort());
    // Nothing left to approve.
    expect(await errorCode(api.synchronisations.approveHeld({ orgId, syncId: sync.id }))).toBe('BAD_REQUEST');
  });

  it('rejecting keeps the objects and puts their contracts back to synced', async () => {
    const { api, orgId, sync, live } = await withHeldDeletions();
    expect(await api.synchronisations.rejectHeld({ orgId, syncId: sync.id })).toEqual({ kept: 30 });
    expect(await api.synchronisations.held({ orgId, syncId: sync.id })).toBe(0);
    expect(await live()).toHaveLength(45);
    const rows = await db.db.select(contractReadColumns).from(contracts).where(ofSynchronisation(sync.id));
    expect(rows).toHaveLength(45);
    expect(rows.every((c) => c.status === 'synced')).toBe(true);
    const rejected = rows.filter((c) => c.lastError?.startsWith('Deletion rejected by'));
    expect(rejected).toHaveLength(30);
    expect(await errorCode(api.synchronisations.rejectHeld({ orgId, syncId: sync.id }))).toBe('BAD_REQUEST');
  });

  it('lets a viewer see the count but not approve or reject', async () => {
    const { owner, orgId, sync, live } = await withHeldDeletions();
    const viewer = callerFor(db.db, await createMember(db.db, orgId, owner.user.id, 'viewer'));
    expect(await viewer.synchronisations.held({ orgId, syncId: sync.id })).toBe(30);
    expect(await errorCode(viewer.synchronisations.approveHeld({ orgId, syncId: sync.id }))).toBe(
      'FORBIDDEN',
    );
    expect(await errorCode(viewer.synchronisations.rejectHeld({ orgId, syncId: sync.id }))).toBe('FORBIDDEN');
    const owners = callerFor(db.db, owner.user);
    expect(await owners.synchronisations.held({ orgId, syncId: sync.id })).toBe(30);
    expect(await live()).toHaveLength(45);
  });
});
