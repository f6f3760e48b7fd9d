// Upgrading while a pushed batch was being written. Before its batches were marked (cursor.batch), a
// version recorded one as a run of trigger `api` without a cursor — as a listing asked for through the
// API is recorded. Stopped for the upgrade in the middle of a batch, the process left that run running;
// the upgraded runner resumed it as a listing of the source, and the listing, complete without the
// objects pushed in, deleted them. After the upgrade such a run is ended as an interrupted batch, as
// today's are; a listing asked for through the API that had done a step is still resumed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@/server/db/client';
import { migrateDatabase } from '@/server/db/migrate';
import { objects, ofSchema, runs } from '@/server/db/schema';
import { stopEmbeddedRunner } from '@/server/runner/dispatch';
import { pushObjects } from '@/server/services/pushed-objects';
import { INTERRUPTED_BATCH } from '@/server/sync/run/pushed-batch';
import { fastRunner } from '../helpers/fast-runner';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { migrationsUpTo } from '../helpers/migrations';
import { people, restToRegister, runDirect } from '../helpers/sync-setup';

const BEFORE = '0062_session_client_info';

let dir: string;
let database: Database;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;
let pushed: Awaited<ReturnType<typeof restToRegister>>;
let batchRunId: string;
let listingRunId: string;

const live = (schemaId: string) =>
  database.db
    .select({ name: objects.data })
    .from(objects)
    .where(and(ofSchema(schemaId), isNull(objects.deletedAt)));

/** A run of trigger `api` as a version before cursor.batch left it: running, no cursor. */
async function oldApiRun(syncId: string, orgId: string) {
  const id = `run_old${Math.random().toString(36).slice(2, 12)}`;
  const now = Date.now();
  await database.client.execute({
    sql: `INSERT INTO runs (id, org_id, synchronisation_id, trigger, test, force, status, started_at, created_at, updated_at)
          VALUES (?, ?, ?, 'api', 0, 0, 'running', ?, ?, ?)`,
    args: [id, orgId, syncId, now, now, now],
  });
  return id;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'concord-batch-upgrade-'));
  database = openDatabase(`file:${path.join(dir, 'concord.db')}`);
  await migrateDatabase(database, migrationsUpTo(dir, BEFORE));
  peer = await startJsonServer({ people: people(10) });

  // Ten people listed from the source, and two more pushed in through the API.
  pushed = await restToRegister(database.db, peer.url);
  expect(await runDirect(database.db, pushed.orgId, pushed.sync.id)).toMatchObject({ created: 10 });
  const batch = [101, 102].map((id) => ({ id, name: `Pushed ${id}`, email: `p${id}@example.test` }));
  expect(await pushObjects(database.db, pushed.orgId, pushed.sync.id, batch)).toMatchObject({
    result: 'success',
  });
  batchRunId = await oldApiRun(pushed.sync.id, pushed.orgId);

  // Another synchronisation's listing asked for through the API, stopped after its first page.
  s = await restToRegister(database.db, peer.url, { sourceEndpoint: '/people?_page=1&_limit=5' });
  listingRunId = await oldApiRun(s.sync.id, s.orgId);
  // A step it finished, in its memo (an id the listing does not ask for again: it starts over).
  await database.client.execute({
    sql: `INSERT INTO run_steps (run_id, step_id, output, finished_at) VALUES (?, 'page-0', NULL, ?)`,
    args: [listingRunId, Date.now()],
  });

  await migrateDatabase(database);
  await fetch(`${peer.url}/__requests`, { method: 'DELETE' });
  const runner = fastRunner(database.db);
  await runner.start();
  await new Promise((r) => setTimeout(r, 300));
  await runner.idle();
  await runner.stop();
});
afterAll(async () => {
  await peer?.stop();
  if (database) {
    await stopEmbeddedRunner(database.db);
    database.client.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

const runOf = async (runId: string) => (await database.db.select().from(runs).where(eq(runs.id, runId)))[0]!;

describe('a batch run an earlier version left running', () => {
  it('is ended as an interrupted batch, never listed from the source: the pushed objects stay', async () => {
    expect(await runOf(batchRunId)).toMatchObject({
      status: 'finished',
      result: 'error',
      message: INTERRUPTED_BATCH,
      deleted: 0,
    });
    expect(await live(pushed.schema.id)).toHaveLength(12);
    const asked = (await peer.requests()).filter((r) => r.url.startsWith('/people?_page=1&_limit=10'));
    expect(asked).toEqual([]);
  });

  it('leaves a listing asked for through the API that had done a step to be resumed', async () => {
    expect(await runOf(listingRunId)).toMatchObject({
      status: 'finished',
      result: 'success',
      created: 10,
      interruptions: 1,
    });
  });
});
