// Follow-up synchronisations through the API and the embedded runner (the Run button's path): a chain
// A → B → C runs in order, each follow-up in its parent's test/force mode and naming the run that
// requested it; nothing follows a run that ended in error; a loop is refused when saved, named.
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runs } from '@/server/db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(6) });
});
afterAll(async () => {
  await peer?.stop();
  await db?.close();
});

/** Three synchronisations of one organisation, A → B → C. */
async function chain() {
  const a = await restToRegister(db.db, peer.url, { name: 'A' });
  const { api, orgId } = a;
  const make = (name: string) => api.synchronisations.create({ orgId, ...a.input, name });
  const c = await make('C');
  const b = await api.synchronisations.create({ orgId, ...a.input, name: 'B', followUpIds: [c.id] });
  await api.synchronisations.update({ orgId, syncId: a.sync.id, ...a.input, name: 'A', followUpIds: [b.id] });
  return { api, orgId, a: a.sync, b, c, input: a.input };
}

const runsOf = (syncId: string) =>
  db.db.select().from(runs).where(eq(runs.synchronisationId, syncId)).orderBy(asc(runs.createdAt));

/** Waits until `syncId` has `count` finished runs. */
async function finishedRuns(syncId: string, count: number) {
  for (let i = 0; i < 600; i++) {
    const rows = await runsOf(syncId);
    const done = rows.filter((r) => r.status === 'finished');
    if (done.length >= count && rows.every((r) => r.status === 'finished')) return done;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${count} finished run(s) of ${syncId}`);
}

describe('follow-up synchronisations', () => {
  it('runs a chain in order, each naming the run that requested it', async () => {
    const { api, orgId, a, b, c } = await chain();
    const saved = await api.synchronisations.get({ orgId, syncId: a.id });
    expect(saved.followUps.map((f) => f.name)).toEqual(['B']);
    expect((await api.synchronisations.get({ orgId, syncId: b.id })).followedBy.map((f) => f.name)).toEqual([
      'A',
    ]);

    const first = await runThroughApi(api, orgId, a.id);
    expect(first).toMatchObject({ result: 'success', created: 6 });
    expect(first.message).toContain('Follow-ups started: “B”.');
    const [runB] = await finishedRuns(b.id, 1);
    const [runC] = await finishedRuns(c.id, 1);
    expect(runB).toMatchObject({
      trigger: 'follow-up',
      requestedByRunId: first.id,
      result: 'success',
      created: 6,
    });
    expect(runC).toMatchObject({ trigger: 'follow-up', requestedByRunId: runB!.id, result: 'success' });
    expect(runB!.message).toContain(`Started as a follow-up of “A” (run ${first.id}).`);
    expect(runC!.message).toContain('Started as a follow-up of “B”');
    // In order: each starts after its parent finished.
    expect(runB!.startedAt!.getTime()).toBeGreaterThanOrEqual(first.finishedAt!.getTime());
    expect(runC!.startedAt!.getTime()).toBeGreaterThanOrEqual(runB!.finishedAt!.getTime());
    // The follow-up's log names its parent through the API as well.
    expect(await api.runs.get({ orgId, runId: runB!.id })).toMatchObject({ requestedByRunId: first.id });
  });

  it('passes the test and force modes on', async () => {
    const { api, orgId, a, b, c } = await chain();
    await runThroughApi(api, orgId, a.id, { test: true });
    const [testB] = await finishedRuns(b.id, 1);
    const [testC] = await finishedRuns(c.id, 1);
    expect(testB).toMatchObject({ test: true, force: false, created: 6 });
    expect(testC).toMatchObject({ test: true, force: false });
    // A dry run writes nothing, its follow-ups neither.
    expect(await api.contracts.list({ orgId, syncId: b.id, pageSize: 10 })).toMatchObject({
      total: 0,
    });

    await runThroughApi(api, orgId, a.id, { force: true });
    const forcedB = (await finishedRuns(b.id, 2))[1];
    const forcedC = (await finishedRuns(c.id, 2))[1];
    expect(forcedB).toMatchObject({ test: false, force: true, created: 6 });
    expect(forcedC).toMatchObject({ test: false, force: true, created: 6 });
  });

  it('starts no follow-up after a run that ended in error', async () => {
    const { api, orgId, a, b, input } = await chain();
    await api.synchronisations.update({
      orgId,
      syncId: a.id,
      ...input,
      name: 'A',
      sourceEndpoint: '/nowhere',
      followUpIds: [b.id],
    });
    const failed = await runThroughApi(api, orgId, a.id);
    expect(failed.result).toBe('error');
    expect(failed.message).toContain('Follow-ups not started, as the run ended in error: “B”.');
    await new Promise((r) => setTimeout(r, 300));
    expect(await runsOf(b.id)).toEqual([]);
  });

  it('refuses a loop when saved, naming it', async () => {
    const { api, orgId, a, b, c, input } = await chain();
    const closing = api.synchronisations.update({
      orgId,
      syncId: c.id,
      ...input,
      name: 'C',
      followUpIds: [a.id],
    });
    await expect(closing).rejects.toMatchObject({
      message: expect.stringContaining('would run in a loop: “C” → “A” → “B” → “C”'),
    });
    const itself = api.synchronisations.update({
      orgId,
      syncId: b.id,
      ...input,
      name: 'B',
      followUpIds: [b.id],
    });
    await expect(itself).rejects.toMatchObject({ message: expect.stringContaining('“B” → “B”') });
    // Nothing was saved: C still has no follow-ups, B still has C.
    expect((await api.synchronisations.get({ orgId, syncId: c.id })).followUps).toEqual([]);
    expect((await api.synchronisations.get({ orgId, syncId: b.id })).followUps.map((f) => f.id)).toEqual([
      c.id,
    ]);
  });

  it('keeps a follow-up and its log when the synchronisation before it is deleted', async () => {
    const { api, orgId, a, b } = await chain();
    const parent = await runThroughApi(api, orgId, a.id);
    const [child] = await finishedRuns(b.id, 1);
    expect(child!.requestedByRunId).toBe(parent.id);
    await api.synchronisations.delete({ orgId, syncId: a.id });
    const [kept] = await runsOf(b.id);
    expect(kept).toMatchObject({ id: child!.id, requestedByRunId: null });
    expect(kept!.message).toContain('Started as a follow-up of “A”');
    expect((await api.synchronisations.get({ orgId, syncId: b.id })).followedBy).toEqual([]);
  });

  it("refuses another organisation's synchronisation as a follow-up", async () => {
    const { api, orgId, a, input } = await chain();
    // restToRegister signs a new owner up, with an organisation of their own.
    const theirs = await restToRegister(db.db, peer.url, { name: 'Theirs' });
    expect(theirs.orgId).not.toBe(orgId);
    const saving = api.synchronisations.update({
      orgId,
      syncId: a.id,
      ...input,
      name: 'A',
      followUpIds: [theirs.sync.id],
    });
    await expect(saving).rejects.toMatchObject({
      message: expect.stringContaining('not a synchronisation of this organisation'),
    });
  });
});
