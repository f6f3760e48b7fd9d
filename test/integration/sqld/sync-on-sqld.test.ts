// The scaled mode's database: the app against a real libSQL server (sqld) over HTTP instead of a file.
// Migrations, the full json-server → register pull, contracts and the run log must read exactly as
// they do on the file database, which runs the same steps alongside as the reference.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Database } from '@/server/db/client';
import { migrateDatabase } from '@/server/db/migrate';
import {
  contractReadColumns,
  contracts,
  objects,
  ofSchema,
  ofSynchronisation,
  pageMemos,
  runs,
} from '@/server/db/schema';
import { stopEmbeddedRunner } from '@/server/runner/dispatch';
import { durableStep, forgetSteps } from '@/server/runner/durable-step';
import { withOriginData } from '@/server/sync/stores/source-copies';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { startSqld, type Sqld } from '../helpers/sqld';
import { people, restToRegister, runDirect, runThroughApi } from '../helpers/sync-setup';

type Setup = Awaited<ReturnType<typeof restToRegister>>;
type Run = Awaited<ReturnType<typeof runThroughApi>>;

let server: Sqld | undefined;
let remote: Database | undefined;
let reference: TestDatabase | undefined;
let peer: JsonServer | undefined;
let onSqld: Setup;
let onFile: Setup;

beforeAll(async () => {
  server = await startSqld();
  remote = openDatabase(server.url);
  await migrateDatabase(remote);
  reference = await createTestDatabase();
  peer = await startJsonServer({ people: people(45) });
  onSqld = await restToRegister(remote.db, peer.url);
  onFile = await restToRegister(reference.db, peer.url);
});

afterAll(async () => {
  // The embedded runner polls its database: stop it before the server goes away.
  if (remote) {
    await stopEmbeddedRunner(remote.db);
    remote.client.close();
  }
  await server?.stop();
  await reference?.close();
  await peer?.stop();
});

// How many answers were parsed (every REST answer is read by parseBody).
const parsed = vi.hoisted(() => ({ bodies: 0 }));
vi.mock('@/server/sync/http/body', async (original) =>
  (await import('../helpers/parse-count')).countingParses(await original(), parsed),
);

const sqldDb = () => remote!.db;
const fileDb = () => reference!.db;

const send = (method: string, path: string, body?: unknown) =>
  fetch(`${peer!.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** The same run through the API (the embedded runner) on both databases. */
async function runBoth(mode: { test?: boolean } = {}): Promise<{ sqld: Run; file: Run }> {
  const sqldRun = await runThroughApi(onSqld.api, onSqld.orgId, onSqld.sync.id, mode);
  const fileRun = await runThroughApi(onFile.api, onFile.orgId, onFile.sync.id, mode);
  return { sqld: sqldRun, file: fileRun };
}

/** What a run row says, without ids and times. */
function logOf(run: Run) {
  return {
    trigger: run.trigger,
    test: run.test,
    force: run.force,
    status: run.status,
    result: run.result,
    message: run.message,
    interruptions: run.interruptions,
    pagesFetched: run.pagesFetched,
    found: run.found,
    created: run.created,
    updated: run.updated,
    deleted: run.deleted,
    skipped: run.skipped,
    invalid: run.invalid,
    failed: run.failed,
    filtered: run.filtered,
    held: run.held,
    complete: run.complete,
  };
}

/** A run's entries as the log page shows them, without ids and target ids. */
async function entriesOf(s: Setup, runId: string) {
  const { rows, total } = await s.api.runs.entries({ orgId: s.orgId, runId, pageSize: 500 });
  expect(rows).toHaveLength(total);
  return rows
    .map((e) => ({ action: e.action, originId: e.originId, reason: e.reason, data: e.data }))
    .sort((a, b) => `${a.action}:${a.originId}`.localeCompare(`${b.action}:${b.originId}`));
}

async function contractsOf(db: Database['db'], s: Setup) {
  const rows = await withOriginData(
    db,
    await db
      .select(contractReadColumns)
      .from(contracts)
      .where(ofSynchronisation(s.sync.id))
      .orderBy(asc(contracts.originId)),
  );
  return rows.map((c) => ({
    originId: c.originId,
    status: c.status,
    lastAction: c.lastAction,
    originHash: c.originHash,
    targetHash: c.targetHash,
    hasTarget: Boolean(c.targetId),
    // The source object as kept (a page at a time, in source copies written in the contracts' batch).
    originData: c.originData,
  }));
}

const liveObjects = (db: Database['db'], s: Setup) =>
  db
    .select()
    .from(objects)
    .where(and(ofSchema(s.schema.id), isNull(objects.deletedAt)));

/** The run, its entries and the contracts are the same on sqld as on the file database. */
async function expectSameAsFile(both: { sqld: Run; file: Run }) {
  expect(logOf(both.sqld)).toEqual(logOf(both.file));
  expect(await entriesOf(onSqld, both.sqld.id)).toEqual(await entriesOf(onFile, both.file.id));
  expect(await contractsOf(sqldDb(), onSqld)).toEqual(await contractsOf(fileDb(), onFile));
}

describe('Concord on a libSQL server (sqld)', () => {
  it('talks to sqld over HTTP and applies the migrations once, idempotently', async () => {
    expect(remote!.client.protocol).toBe('http');
    const migrationsBefore = await remote!.client.execute('SELECT hash FROM __drizzle_migrations');
    await migrateDatabase(remote!);
    await migrateDatabase(remote!);
    const migrationsAfter = await remote!.client.execute('SELECT hash FROM __drizzle_migrations');
    expect(migrationsAfter.rows.map((r) => r.hash)).toEqual(migrationsBefore.rows.map((r) => r.hash));
    expect(migrationsAfter.rows.length).toBeGreaterThan(0);

    // The same schema as the file database: tables, indexes and their definitions.
    const schemaQuery =
      "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY type, name";
    const onServer = await remote!.client.execute(schemaQuery);
    const onFileDb = await reference!.client.execute(schemaQuery);
    expect(onServer.rows.length).toBeGreaterThan(5);
    expect(onServer.rows.map((r) => [r.type, r.name, r.sql])).toEqual(
      onFileDb.rows.map((r) => [r.type, r.name, r.sql]),
    );
    const [fk] = (await remote!.client.execute('PRAGMA foreign_keys')).rows;
    expect(Number(fk?.foreign_keys)).toBe(1);
  });

  it('creates every object on the first run, with a contract each', async () => {
    const first = await runBoth();
    expect(first.sqld).toMatchObject({
      status: 'finished',
      result: 'success',
      found: 45,
      created: 45,
      updated: 0,
      deleted: 0,
      pagesFetched: 5,
      complete: true,
    });
    const rows = await liveObjects(sqldDb(), onSqld);
    expect(rows).toHaveLength(45);
    expect(rows.find((o) => o.data.email === 'person7@example.test')?.data).toEqual({
      name: 'Person 7',
      email: 'person7@example.test',
      city: 'Leiden',
    });
    const all = await sqldDb()
      .select(contractReadColumns)
      .from(contracts)
      .where(ofSynchronisation(onSqld.sync.id));
    expect(all).toHaveLength(45);
    expect(all.every((c) => c.status === 'synced' && c.targetId && c.originHash && c.targetHash)).toBe(true);
    await expectSameAsFile(first);
  });

  it('skips everything on an unchanged re-run and writes nothing', async () => {
    const before = await liveObjects(sqldDb(), onSqld);
    parsed.bodies = 0;
    const again = await runBoth();
    expect(again.sqld).toMatchObject({
      result: 'success',
      found: 45,
      created: 0,
      updated: 0,
      deleted: 0,
      skipped: 45,
    });
    const after = await liveObjects(sqldDb(), onSqld);
    expect(after.map((o) => [o.id, o.version, o.updatedAt.getTime()])).toEqual(
      before.map((o) => [o.id, o.version, o.updatedAt.getTime()]),
    );
    // Every answer recognised by what the server (and the file) keeps of it: none parsed.
    expect(parsed.bodies).toBe(0);
    const kept = await sqldDb().select({ page: pageMemos.page, answer: pageMemos.answer }).from(pageMemos);
    expect(kept).toHaveLength(5);
    expect(kept.every((m) => typeof m.answer === 'string' && m.answer.includes('"ids"'))).toBe(true);
    await expectSameAsFile(again);
  });

  it('turns changes, removals and newcomers into updates, deletes and creates; a bad one fails alone', async () => {
    await send('PATCH', '/people/3', { name: 'Person three' });
    await send('POST', '/people', {
      id: 46,
      name: 'Newcomer',
      email: 'new@example.test',
      address: { city: 'Delft' },
    });
    // No email: invalid for the register's schema, refused before writing with its reason; the run goes on.
    await send('POST', '/people', { id: 47, name: 'No email', address: { city: 'Delft' } });
    await send('DELETE', '/people/12');
    const third = await runBoth();
    expect(third.sqld).toMatchObject({
      result: 'warning',
      found: 46,
      created: 1,
      updated: 1,
      deleted: 1,
      invalid: 1,
      failed: 0,
      skipped: 43,
    });
    const rows = await liveObjects(sqldDb(), onSqld);
    expect(rows).toHaveLength(45);
    expect(rows.map((o) => o.data.name)).toContain('Person three');
    expect(rows.map((o) => o.data.name)).toContain('Newcomer');
    expect(rows.map((o) => o.data.name)).not.toContain('Person 12');
    const [gone] = await sqldDb()
      .select(contractReadColumns)
      .from(contracts)
      .where(and(ofSynchronisation(onSqld.sync.id), eq(contracts.originId, '12')));
    expect(gone).toMatchObject({ status: 'deleted', lastAction: 'delete' });
    const kept = await contractsOf(sqldDb(), onSqld);
    expect(kept.find((c) => c.originId === '3')?.originData).toMatchObject({ id: 3, name: 'Person three' });
    expect(kept.find((c) => c.originId === '46')?.originData).toMatchObject({ name: 'Newcomer' });
    expect(await entriesOf(onSqld, third.sqld.id)).toEqual([
      expect.objectContaining({ action: 'invalid', originId: '47', reason: expect.stringMatching(/email/) }),
    ]);
    await expectSameAsFile(third);
  });

  it('writes nothing in a dry run, and logs what it would do', async () => {
    await send('PATCH', '/people/5', { name: 'Changed in the source' });
    await send('DELETE', '/people/6');
    const objectsBefore = await liveObjects(sqldDb(), onSqld);
    const contractsBefore = await contractsOf(sqldDb(), onSqld);
    const dry = await runBoth({ test: true });
    // The object refused as invalid before is foreseen invalid again (the schema says so without a
    // write), so the test run reads as a warning; nothing is written.
    expect(dry.sqld).toMatchObject({
      result: 'warning',
      test: true,
      updated: 1,
      created: 0,
      invalid: 1,
      failed: 0,
      deleted: 1,
    });
    expect(dry.sqld.message).toMatch(/delete 1/);
    expect(await entriesOf(onSqld, dry.sqld.id)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'update',
          originId: '5',
          data: expect.objectContaining({ name: 'Changed in the source' }),
        }),
        expect.objectContaining({ action: 'delete', originId: '6' }),
      ]),
    );
    expect(await liveObjects(sqldDb(), onSqld)).toEqual(objectsBefore);
    expect(await contractsOf(sqldDb(), onSqld)).toEqual(contractsBefore);
    await expectSameAsFile(dry);
  });

  it('keeps the same run history as the file database', async () => {
    const history = async (s: Setup) => {
      const list = await s.api.runs.list({ orgId: s.orgId, syncId: s.sync.id });
      return list.map(({ run }) => logOf(run));
    };
    const onServer = await history(onSqld);
    // The test run counts the deletion it would make (its message says "delete 1"), as it counts the update.
    expect(onServer.map((r) => [r.test, r.created, r.updated, r.deleted, r.invalid, r.skipped])).toEqual([
      [true, 0, 1, 1, 1, 43],
      [false, 1, 1, 1, 1, 43],
      [false, 0, 0, 0, 0, 45],
      [false, 45, 0, 0, 0, 0],
    ]);
    expect(onServer).toEqual(await history(onFile));
    // The durable step memo lives on the server too: a step's result stored there is read back instead
    // of running the step again, while a run that ended leaves none behind.
    const left = async () => (await remote!.client.execute('SELECT run_id FROM run_steps')).rows.length;
    for (let i = 0; i < 100 && (await left()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await left()).toBe(0);
    const [ended] = await sqldDb()
      .select({ id: runs.id })
      .from(runs)
      .where(eq(runs.synchronisationId, onSqld.sync.id))
      .limit(1);
    const steps = durableStep(sqldDb(), ended!.id);
    let calls = 0;
    const probe = () => steps.run('probe', () => Promise.resolve({ call: ++calls }));
    expect(await probe()).toEqual({ call: 1 });
    expect(await probe()).toEqual({ call: 1 });
    expect(calls).toBe(1);
    expect(await left()).toBe(1);
    await forgetSteps(sqldDb(), ended!.id);
    expect(await left()).toBe(0);
  });

  it('keeps the data in the server: a second instance on the same URL sees it and carries on', async () => {
    // No runner of this process may claim the run the second instance executes directly.
    await stopEmbeddedRunner(sqldDb());
    const second = openDatabase(server!.url);
    try {
      expect(await contractsOf(second.db, onSqld)).toEqual(await contractsOf(sqldDb(), onSqld));
      const [counted] = await second.db
        .select({ n: sql<number>`count(*)` })
        .from(runs)
        .where(eq(runs.synchronisationId, onSqld.sync.id));
      expect(Number(counted?.n)).toBe(4);

      // What the dry run announced, plus one more change, applied by the second instance.
      await send('PATCH', '/people/30', { email: 'thirty@example.test' });
      const last = await runDirect(second.db, onSqld.orgId, onSqld.sync.id);
      expect(last).toMatchObject({
        result: 'warning',
        found: 45,
        created: 0,
        updated: 2,
        deleted: 1,
        invalid: 1,
      });
      // The first client reads what the second one wrote.
      const [thirty] = await sqldDb()
        .select(contractReadColumns)
        .from(contracts)
        .where(and(ofSynchronisation(onSqld.sync.id), eq(contracts.originId, '30')));
      expect(thirty).toMatchObject({ status: 'synced', lastAction: 'update' });
    } finally {
      second.client.close();
    }
  });
});
