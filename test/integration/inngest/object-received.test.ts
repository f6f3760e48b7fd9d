// The object-received Inngest function on @inngest/test: one object that arrived by webhook goes
// through the same engine as a listing (contract, skip rule, validation, log) and never deletes.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contractReadColumns,
  contracts,
  contractVersions,
  objects,
  ofSchema,
  ofSynchronisation,
  runEntries,
} from '@/server/db/schema';
import { loadRun } from '@/server/services/runs';
import { requestObjectRun } from '@/server/services/webhooks';
import type * as ObjectReceivedModule from '@/inngest/functions/object-received';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { people, restToRegister } from '../helpers/sync-setup';
import { recordingEngine, useDatabaseFile } from './helpers';

let db: TestDatabase;
let shared: { close: () => void };
let objectReceivedFunction: typeof ObjectReceivedModule.objectReceivedFunction;
let s: Awaited<ReturnType<typeof restToRegister>>;

beforeAll(async () => {
  db = await createTestDatabase();
  shared = await useDatabaseFile(db.file);
  ({ objectReceivedFunction } = await import('@/inngest/functions/object-received'));
  // A webhook object is not fetched from the source: an address nothing listens on will do.
  s = await restToRegister(db.db, 'http://127.0.0.1:9');
});
afterAll(async () => {
  shared?.close();
  await db?.close();
});

const [ada, bert] = people(2, 7);

/** What the webhook route does: queue a run carrying the object, then send the event. */
async function receive(object: Record<string, unknown>) {
  const run = await requestObjectRun(db.db, s.sync, object);
  const { engine, recorder } = recordingEngine(objectReceivedFunction, {
    name: 'sync/object.received',
    data: { runId: run.id, syncId: s.sync.id, object },
  });
  const out = await engine.execute();
  expect(out.error).toBeUndefined();
  expect(recorder.executed).toEqual(['object', 'finish']);
  return loadRun(db.db, s.orgId, run.id);
}

const storedObjects = () => db.db.select().from(objects).where(ofSchema(s.schema.id));
const storedContracts = () =>
  db.db.select(contractReadColumns).from(contracts).where(ofSynchronisation(s.sync.id));

describe('object-received', () => {
  it('creates the object in the register with a contract, skips it when it comes again unchanged', async () => {
    const first = await receive(ada!);
    expect(first).toMatchObject({
      trigger: 'webhook',
      status: 'finished',
      result: 'success',
      found: 1,
      created: 1,
      deleted: 0,
    });
    expect(first.message).toContain('created');
    const [stored, ...more] = await storedObjects();
    expect(more).toEqual([]);
    expect(stored).toMatchObject({
      data: { name: 'Person 7', email: 'person7@example.test', city: 'Leiden' },
      version: 1,
      deletedAt: null,
    });
    expect(await storedContracts()).toEqual([
      expect.objectContaining({
        originId: '7',
        targetId: stored!.id,
        status: 'synced',
        lastAction: 'create',
        // Its version is the contract itself until it changes (migration 0051): no row of its own.
        createdRunSeq: expect.any(Number),
      }),
    ]);
    expect(await db.db.select().from(contractVersions)).toEqual([]);

    const again = await receive(ada!);
    expect(again).toMatchObject({
      status: 'finished',
      result: 'success',
      created: 0,
      updated: 0,
      skipped: 1,
    });
    expect(again.message).toContain('unchanged');
    const [unchanged, ...none] = await storedObjects();
    expect(none).toEqual([]);
    expect(unchanged).toMatchObject({ id: stored!.id, version: 1, updatedAt: stored!.updatedAt });
    expect(await storedContracts()).toHaveLength(1);
  });

  it('reports an object without an id as invalid with the reason, and deletes nothing', async () => {
    await receive(bert!);
    const before = await storedObjects();
    expect(before.map((o) => o.data.name)).toContain('Person 8');

    const run = await receive({ name: 'Nobody', email: 'nobody@example.test' });

    expect(run).toMatchObject({ status: 'finished', result: 'error', invalid: 1, created: 0, deleted: 0 });
    const entries = await db.db
      .select()
      .from(runEntries)
      .where(and(eq(runEntries.runId, run.id), eq(runEntries.action, 'invalid')));
    expect(entries).toHaveLength(1);
    expect(entries[0]!.reason).toMatch(/no usable id/);
    expect(run.message).toContain('invalid');
    // One object says nothing about the others: everything already there stays.
    const after = await storedObjects();
    expect(after.map((o) => [o.id, o.deletedAt])).toEqual(before.map((o) => [o.id, null]));
    expect((await storedContracts()).every((c) => c.status === 'synced')).toBe(true);
  });

  it('finds the object a failed delivery wrote without its contract when the sender delivers it again', async () => {
    const [, , carl] = people(3, 20);
    // The register takes the object; its contract is refused (a full disk between two statements).
    await db.db.run(
      sql.raw(`CREATE TRIGGER refuse_contract BEFORE INSERT ON contracts
        WHEN NEW.origin_id = '22' BEGIN SELECT RAISE(ABORT, 'no room for the contract'); END`),
    );
    try {
      const run = await requestObjectRun(db.db, s.sync, carl!);
      const { engine } = recordingEngine(objectReceivedFunction, {
        name: 'sync/object.received',
        data: { runId: run.id, syncId: s.sync.id, object: carl! },
      });
      expect((await engine.execute()).error).toBeDefined();
    } finally {
      await db.db.run(sql.raw('DROP TRIGGER refuse_contract'));
    }
    const named = async () =>
      (await storedObjects()).filter((o) => o.data.name === 'Person 22').map((o) => o.id);
    const written = await named();
    expect(written).toHaveLength(1);

    // The sender had no answer, so it delivers the object again: a new run.
    const again = await receive(carl!);
    expect(again).toMatchObject({ status: 'finished', result: 'success', created: 1 });
    expect(await named()).toEqual(written);
    const contract = (await storedContracts()).find((c) => c.originId === '22');
    expect(contract).toMatchObject({ targetId: written[0], status: 'synced' });
  });
});
