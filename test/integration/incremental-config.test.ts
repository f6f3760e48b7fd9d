// Incremental settings as the API takes them: each mistake is a sentence at its field (a REST source
// without its changes query, an SQL source given one, a template without {{cursor}}, a bad
// reconciliation schedule, a file source, which is read whole), and a saved reconciliation schedule
// sets the next reconciliation time that the synchronisation's page shows; when it is due the ticker
// asks for a full run.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncStates } from '@/server/db/schema';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { executeEmbedded } from '@/server/runner/embedded';
import { requestDueRuns } from '@/server/runner/schedules';
import { loadRun } from '@/server/services/runs';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { people, restToRegister } from './helpers/sync-setup';
import { startJsonServer, type JsonServer } from './helpers/json-server';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;

type Handler = (req: Request, ctx: { params: Promise<{ syncId: string }> }) => Promise<Response>;
let trigger: Handler;

beforeAll(async () => {
  db = await createTestDatabase();
  // The route handler uses the process database: point it at this test's file before loading it.
  process.env.DATABASE_URL = `file:${db.file}`;
  trigger = (await import('@/app/api/syncs/[syncId]/run/route')).POST;
  peer = await startJsonServer({ people: people(3) });
  s = await restToRegister(db.db, peer.url);
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

const save = (incremental: Record<string, unknown>) =>
  s.api.synchronisations.update({
    orgId: s.orgId,
    syncId: s.sync.id,
    ...s.input,
    sourceConfig: { pagination: { kind: 'link-header' }, incremental },
  });

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e as { message: string; cause: { field?: string } },
  );
  if (!error) throw new Error('expected the call to fail');
  return { field: error.cause.field, message: error.message };
};

describe('incremental settings', () => {
  it('needs the changes query for a REST source, with {{cursor}} in it', async () => {
    expect(await refusal(save({ field: 'updatedAt' }))).toEqual({
      field: 'sourceConfig.incremental.query',
      message: 'Give the query parameter that asks the API for changes, such as updated_since={{cursor}}.',
    });
    expect(await refusal(save({ field: 'updatedAt', query: 'since=today' }))).toMatchObject({
      field: 'sourceConfig.incremental.query',
      message: expect.stringContaining('{{cursor}}') as string,
    });
  });

  it('refuses a reconciliation schedule that is not one, at its field', async () => {
    expect(
      await refusal(save({ field: 'updatedAt', query: 'since={{cursor}}', reconcileCron: 'every sunday' })),
    ).toMatchObject({
      field: 'sourceConfig.incremental.reconcileCron',
      message: /not a valid cron expression/,
    });
  });

  it('saves good settings, and the page shows the next reconciliation and no cursor yet', async () => {
    await save({
      field: 'updatedAt',
      query: 'since={{cursor}}',
      reconcileCron: '0 3 * * 0',
      reconcileEveryRuns: 10,
    });
    const state = await s.api.synchronisations.incremental({ orgId: s.orgId, syncId: s.sync.id });
    expect(state).toMatchObject({
      field: 'updatedAt',
      cursor: null,
      runsUntilFull: 0,
      reconcileCron: '0 3 * * 0',
    });
    expect(state!.nextReconcileAt!.getTime()).toBeGreaterThan(Date.now());
    expect(state!.nextReconcileAt!.getUTCDay()).toBe(0);
  });

  it('asks for a full run when the reconciliation schedule is due, then moves the time on', async () => {
    await db.db
      .update(syncStates)
      .set({ nextReconcileAt: new Date(Date.now() - 1000) })
      .where(eq(syncStates.synchronisationId, s.sync.id));
    const requested = await requestDueRuns(db.db);
    expect(requested).toHaveLength(1);
    await executeEmbedded(db.db, requested[0]!, { urlPolicy: { allowPrivateNetworks: true } });
    expect(await loadRun(db.db, s.orgId, requested[0]!)).toMatchObject({
      trigger: 'schedule',
      listing: 'full',
      result: 'success',
    });
    const state = await s.api.synchronisations.incremental({ orgId: s.orgId, syncId: s.sync.id });
    expect(state!.nextReconcileAt!.getTime()).toBeGreaterThan(Date.now());
    expect(await requestDueRuns(db.db)).toEqual([]);
  });

  it('runs a full reconciliation asked for with "full": true at the trigger endpoint', async () => {
    const { key } = await s.api.apiKeys.create({ orgId: s.orgId, name: 'CI' });
    const res = await trigger(
      new Request(`http://127.0.0.1/api/syncs/${s.sync.id}/run`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        body: JSON.stringify({ full: true }),
      }),
      { params: Promise.resolve({ syncId: s.sync.id }) },
    );
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    await embeddedRunnerFor(db.db).idle();
    let run = await loadRun(db.db, s.orgId, runId);
    for (let i = 0; i < 200 && run.status !== 'finished'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      run = await loadRun(db.db, s.orgId, runId);
    }
    expect(run).toMatchObject({ trigger: 'api', listing: 'full', status: 'finished' });
    expect(run.message).toMatch(/^Full reconciliation \(it was asked for\)/);
  });

  it('refuses incremental reading for a file source, which is read whole', async () => {
    const file = await s.api.sources.create({
      orgId: s.orgId,
      name: 'Upload',
      type: 'file',
      config: { format: 'csv' },
    });
    const create = s.api.synchronisations.create({
      orgId: s.orgId,
      ...s.input,
      name: 'From a file',
      sourceId: file.id,
      sourceEndpoint: '',
      sourceConfig: { incremental: { field: 'updatedAt' } },
    });
    expect(await refusal(create)).toMatchObject({
      field: 'sourceConfig.incremental',
      message: /Incremental reading applies only to REST and SQL sources/,
    });
  });
});
