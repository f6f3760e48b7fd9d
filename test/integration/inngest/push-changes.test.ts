// The push-changes Inngest function on @inngest/test: the register changes waiting in the outbox become
// one push run per subscribing synchronisation, handed to run-sync by event; the outbox is empty after,
// and a retried execution (its drain step memoised) sends the same runs, queues no others.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, runs } from '@/server/db/schema';
import type * as PushChangesModule from '@/inngest/functions/push-changes';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { registerToRest } from '../helpers/push-setup';
import { recordingEngine, useDatabaseFile } from './helpers';

// Changes are taken as soon as they are queued.
process.env.CONCORD_PUSH_DEBOUNCE_MS = '0';

let db: TestDatabase;
let shared: { close: () => void };
let pushChangesFunction: typeof PushChangesModule.pushChangesFunction;

beforeAll(async () => {
  db = await createTestDatabase();
  shared = await useDatabaseFile(db.file);
  ({ pushChangesFunction } = await import('@/inngest/functions/push-changes'));
});
afterAll(async () => {
  shared?.close();
  await db?.close();
});

describe('push-changes', () => {
  it('turns the queued changes into a push run and hands it to run-sync', async () => {
    // Nothing listens there: the run is queued, not executed, in this test.
    const s = await registerToRest(db.db, 'http://127.0.0.1:9');
    const made = [];
    for (const name of ['Ivy', 'Jo'])
      made.push(
        await s.api.registers.createObject({
          orgId: s.orgId,
          schemaId: s.schema.id,
          data: { name, email: `${name.toLowerCase()}@example.test` },
        }),
      );
    expect(await db.db.select().from(outbox)).toHaveLength(2);

    const event = { name: 'register/changes.queued', data: { orgId: s.orgId, schemaId: s.schema.id } };
    const { engine, recorder } = recordingEngine(pushChangesFunction, event, {
      mocked: { 'dispatch-1': () => ({ ids: ['evt_1'] }) },
    });
    const out = await engine.execute();
    expect(out.error).toBeUndefined();
    expect(out.result).toEqual({ queued: 1 });
    expect(recorder.executed).toEqual(['drain-1', 'drain-2']);

    const queued = await db.db.select().from(runs).where(eq(runs.synchronisationId, s.push.id));
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ trigger: 'push', status: 'queued' });
    expect(queued[0]!.cursor).toEqual({
      push: {
        schemaId: s.schema.id,
        objectIds: expect.arrayContaining(made.map((m) => m.id)) as string[],
        removed: {},
        // Each object's change id, which every subscriber's delivery of it carries.
        changes: Object.fromEntries(made.map((m) => [m.id, expect.stringMatching(/^chg_/) as string])),
      },
    });
    expect(recorder.sent.get('dispatch-1')).toEqual([
      { name: 'sync/run.requested', data: { runId: queued[0]!.id, syncId: s.push.id } },
    ]);
    expect(await db.db.select().from(outbox)).toEqual([]);

    // Inngest retries the function after its drain step finished: the memo answers, no second run.
    const retry = recordingEngine(pushChangesFunction, event, {
      memo: new Map([['drain-1', recorder.results.get('drain-1')]]),
      mocked: { 'dispatch-1': () => ({ ids: ['evt_1'] }) },
    });
    const again = await retry.engine.execute();
    expect(again.error).toBeUndefined();
    expect(await db.db.select().from(runs).where(eq(runs.synchronisationId, s.push.id))).toHaveLength(1);
  });
});
