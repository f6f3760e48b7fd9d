// A pushed batch whose processing throws partway (here the database refusing one object's write, by a
// trigger that RAISEs for its data, as a constraint of the register's own would) ends its run as an
// error with the reason, answers a 500 problem naming the run, keeps what was committed before, and
// leaves the synchronisation free for the next push. A batch's run a dead process left running is ended
// by the embedded runner's recovery — never executed as a listing of the source.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { contracts, ofSynchronisation, runs, syncStates } from '@/server/db/schema';
import { INTERRUPTED_BATCH, pushedBatchCursor } from '@/server/sync/run/pushed-batch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { fastRunner } from '../helpers/fast-runner';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { restToRegister } from '../helpers/sync-setup';
import { apiClient, useDatabase } from './client';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
  // The source holds people: a listing of it would be seen asking for them.
  peer = await startJsonServer({ people: [{ id: 900, name: 'Listed', email: 'listed@example.test' }] });
  s = await restToRegister(db.db, peer.url);
  api = apiClient(
    (await s.api.apiKeys.create({ orgId: s.orgId, name: 'ETL', scopes: ['read', 'write'] })).key,
  );
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

const person = (id: number, name: string) => ({ id, name, email: `${name}@example.test` });

const push = (objects: Record<string, unknown>[]) =>
  api.POST('/synchronisations/{syncId}/objects', {
    params: { path: { syncId: s.sync.id } },
    body: { objects },
  });

/** The register's objects by name, and the synchronisation's contracts by origin id → object. */
async function register() {
  const objects = await db.db.all<{ id: string; name: string }>(
    sql`SELECT id, data ->> 'name' AS name FROM objects ORDER BY name`,
  );
  const held = await db.db
    .select({ originId: contracts.originId, targetId: contracts.targetId, status: contracts.status })
    .from(contracts)
    .where(ofSynchronisation(s.sync.id));
  return { objects, contracts: held };
}

const runOf = async (runId: string) => (await db.db.select().from(runs).where(eq(runs.id, runId)))[0]!;

describe('a pushed batch that throws partway', () => {
  it('ends its run as an error, answers a 500 naming it, keeps what was written, and takes the next push', async () => {
    const first = await push([person(1, 'ann'), person(2, 'bob')]);
    expect(first.response.status).toBe(200);
    expect(first.data!.result).toBe('success');
    const before = await register();
    expect(before.objects.map((o) => o.name)).toEqual(['ann', 'bob']);

    // The register refuses one object's data at write time.
    await db.db.run(
      sql.raw(`CREATE TRIGGER refuse_boom BEFORE INSERT ON objects
        WHEN json_extract(NEW.data, '$.name') = 'boom'
        BEGIN SELECT RAISE(ABORT, 'the register refuses boom'); END`),
    );
    try {
      const failed = await push([person(1, 'ann2'), person(3, 'boom')]);
      expect(failed.response.status).toBe(500);
      const detail = (failed.error as { detail: string }).detail;
      expect(detail).toMatch(
        /^The batch stopped because of an unexpected error: SQLITE_CONSTRAINT: the register refuses boom\. Send it again; objects already written are recognised as unchanged\. Run (run_\w+) records it\.$/,
      );
      // The reason is the database's, not the query with the batch's data in its parameters.
      expect(detail).not.toContain('INSERT');
      const runId = /Run (run_\w+) records it/.exec(detail)![1]!;
      const run = await runOf(runId);
      expect(run).toMatchObject({
        trigger: 'api',
        status: 'finished',
        result: 'error',
        message: detail.replace(` Run ${runId} records it.`, ''),
      });
      expect(run.finishedAt).not.toBeNull();
      // As every run that ended: the synchronisation's last run.
      const [state] = await db.db
        .select()
        .from(syncStates)
        .where(eq(syncStates.synchronisationId, s.sync.id));
      expect(state).toMatchObject({ lastRunId: runId, lastResult: 'error' });
      // What was committed before stays, with its contracts; the refused write took nothing with it.
      expect(await register()).toEqual(before);
    } finally {
      await db.db.run(sql.raw('DROP TRIGGER refuse_boom'));
    }

    // No run is left active: the next push is accepted, and the object sent before is not doubled.
    const next = await push([person(1, 'ann2'), person(3, 'cat')]);
    expect(next.response.status).toBe(200);
    expect(next.data!.counts).toMatchObject({ created: 1, updated: 1 });
    const after = await register();
    expect(after.objects.map((o) => o.name)).toEqual(['ann2', 'bob', 'cat']);
    expect(after.contracts.map((c) => c.originId).sort()).toEqual(['1', '2', '3']);
  });
});

describe('a pushed batch whose failure cannot be recorded the usual way either', () => {
  it('still ends its run as an error, so the next push is accepted', async () => {
    // The write fails, and so does the run's usual finish (its write of the synchronisation's state).
    await db.db.run(
      sql.raw(`CREATE TRIGGER refuse_doom BEFORE INSERT ON objects
        WHEN json_extract(NEW.data, '$.name') = 'doom'
        BEGIN SELECT RAISE(ABORT, 'the register refuses doom'); END`),
    );
    await db.db.run(
      sql.raw(`CREATE TRIGGER refuse_state BEFORE UPDATE ON sync_states
        BEGIN SELECT RAISE(ABORT, 'the state cannot be written'); END`),
    );
    let runId = '';
    try {
      const failed = await push([person(40, 'doom')]);
      expect(failed.response.status).toBe(500);
      runId = /Run (run_\w+) records it/.exec((failed.error as { detail: string }).detail)![1]!;
    } finally {
      await db.db.run(sql.raw('DROP TRIGGER refuse_doom'));
      await db.db.run(sql.raw('DROP TRIGGER refuse_state'));
    }
    expect(await runOf(runId)).toMatchObject({ status: 'finished', result: 'error' });
    expect((await push([person(41, 'dora')])).response.status).toBe(200);
  });
});

describe('a pushed batch a dead process left running', () => {
  it('is ended by the runner recovery at start, never listed from the source', async () => {
    const [left] = await db.db
      .insert(runs)
      .values({
        orgId: s.orgId,
        synchronisationId: s.sync.id,
        trigger: 'api',
        status: 'running',
        startedAt: new Date(),
        cursor: pushedBatchCursor(2),
      })
      .returning();
    const served = (await peer.requests()).length;
    const runner = fastRunner(db.db);
    await runner.start();
    // Long enough for a queued run to be claimed and its first page asked for.
    await new Promise((r) => setTimeout(r, 300));
    await runner.idle();
    await runner.stop();

    const run = await runOf(left!.id);
    expect(run).toMatchObject({ status: 'finished', result: 'error', message: INTERRUPTED_BATCH });
    expect(run.interruptions).toBe(0);
    // No listing: the source was not asked, no run of the synchronisation was queued or ran.
    expect((await peer.requests()).length).toBe(served);
    const others = await db.db
      .select({ id: runs.id })
      .from(runs)
      .where(and(eq(runs.synchronisationId, s.sync.id), sql`${runs.status} <> 'finished'`));
    expect(others).toEqual([]);
    // And the synchronisation takes pushes again.
    const next = await push([person(4, 'dan')]);
    expect(next.response.status).toBe(200);
  });
});

describe('a pushed batch that failed after its objects were written, sent again', () => {
  it('finds the objects it wrote instead of writing them twice, and takes the data sent again', async () => {
    // The register takes the objects; their contracts are refused (a full disk between two statements).
    await db.db.run(
      sql.raw(`CREATE TRIGGER refuse_contract BEFORE INSERT ON contracts
        WHEN NEW.origin_id IN ('77', '78')
        BEGIN SELECT RAISE(ABORT, 'no room for the contract'); END`),
    );
    try {
      const failed = await push([person(77, 'eve'), person(78, 'fay')]);
      expect(failed.response.status).toBe(500);
    } finally {
      await db.db.run(sql.raw('DROP TRIGGER refuse_contract'));
    }
    const written = (await register()).objects.filter((o) => ['eve', 'fay'].includes(o.name));
    // The fault this is about: the objects were written, their contracts were not.
    expect(written).toHaveLength(2);

    // The client sends the batch again (one object corrected meanwhile): in a new run.
    const again = await push([person(77, 'eve'), person(78, 'fay2')]);
    expect(again.response.status).toBe(200);
    const after = await register();
    const theirs = after.objects.filter((o) => ['eve', 'fay', 'fay2'].includes(o.name));
    expect(theirs.map((o) => o.name)).toEqual(['eve', 'fay2']);
    // The same objects as the failed batch wrote, now with their contracts.
    expect(theirs.map((o) => o.id).sort()).toEqual(written.map((o) => o.id).sort());
    const linked = after.contracts.filter((c) => c.originId === '77' || c.originId === '78');
    expect(linked.map((c) => c.targetId).sort()).toEqual(written.map((o) => o.id).sort());
    expect(again.data!.results.map((r) => r.objectId).sort()).toEqual(written.map((o) => o.id).sort());
  });
});
