// The whole pull, as a user runs it: json-server pages (Link header) into a register schema, through
// the API. First run creates all; a re-run skips all; changes, additions and removals become updates,
// creates and deletes; editing the mapping updates all; force updates all; a dry run writes nothing.
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractReadColumns, contracts, objects, ofSchema, ofSynchronisation } from '@/server/db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { PERSON_MAPPING, people, restToRegister, runThroughApi } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(45) });
  s = await restToRegister(db.db, peer.url);
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

const liveObjects = () =>
  db.db
    .select()
    .from(objects)
    .where(and(ofSchema(s.schema.id), isNull(objects.deletedAt)));
const syncContracts = () =>
  db.db
    .select(contractReadColumns)
    .from(contracts)
    .where(ofSynchronisation(s.sync.id))
    .orderBy(contracts.seq);
const run = (mode?: { test?: boolean; force?: boolean }) => runThroughApi(s.api, s.orgId, s.sync.id, mode);
const send = (method: string, path: string, body?: unknown) =>
  fetch(`${peer.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('REST source into the register', () => {
  it('creates every object on the first run, with a contract each', async () => {
    const first = await run();
    expect(first).toMatchObject({
      result: 'success',
      found: 45,
      created: 45,
      updated: 0,
      deleted: 0,
      pagesFetched: 5,
      complete: true,
    });
    const rows = await liveObjects();
    expect(rows).toHaveLength(45);
    expect(rows.find((o) => o.data.email === 'person7@example.test')?.data).toEqual({
      name: 'Person 7',
      email: 'person7@example.test',
      city: 'Leiden',
    });
    const all = await db.db.select(contractReadColumns).from(contracts).where(ofSynchronisation(s.sync.id));
    expect(all).toHaveLength(45);
    expect(all.every((c) => c.status === 'synced' && c.targetId && c.originHash && c.targetHash)).toBe(true);
  });

  it('skips everything on an unchanged re-run and writes nothing', async () => {
    const before = await liveObjects();
    const contractsBefore = await syncContracts();
    const again = await run();
    expect(again).toMatchObject({
      result: 'success',
      found: 45,
      created: 0,
      updated: 0,
      deleted: 0,
      skipped: 45,
    });
    const after = await liveObjects();
    expect(after.map((o) => [o.id, o.version, o.updatedAt.getTime()])).toEqual(
      before.map((o) => [o.id, o.version, o.updatedAt.getTime()]),
    );
    // Not a contract row either: each stays exactly as the first run left it (issue 14).
    expect(await syncContracts()).toEqual(contractsBefore);
  });

  it('turns changed, new and vanished objects into updates, creates and deletes', async () => {
    await send('PATCH', '/people/3', { name: 'Person three' });
    await send('PATCH', '/people/30', { email: 'thirty@example.test' });
    await send('POST', '/people', {
      id: 46,
      name: 'Newcomer',
      email: 'new@example.test',
      address: { city: 'Delft' },
    });
    await send('DELETE', '/people/12');
    const contractsBefore = await syncContracts();
    const third = await run();
    expect(third).toMatchObject({
      result: 'success',
      found: 45,
      created: 1,
      updated: 2,
      deleted: 1,
      skipped: 42,
    });
    const rows = await liveObjects();
    expect(rows).toHaveLength(45);
    expect(rows.map((o) => o.data.name)).toContain('Person three');
    expect(rows.map((o) => o.data.name)).not.toContain('Person 12');
    const gone = await db.db
      .select(contractReadColumns)
      .from(contracts)
      .where(and(ofSynchronisation(s.sync.id), eq(contracts.originId, '12')));
    expect(gone[0]).toMatchObject({ status: 'deleted', lastAction: 'delete' });
    // Only the changed, new and vanished objects' contracts were written; every other row is as it was.
    const touched = new Set(['3', '30', '46', '12']);
    const unchanged = (rows: Awaited<ReturnType<typeof syncContracts>>) =>
      rows.filter((c) => !touched.has(c.originId));
    expect(unchanged(await syncContracts())).toEqual(unchanged(contractsBefore));
    expect(unchanged(contractsBefore)).toHaveLength(42);
  });

  it('updates every object after the mapping is edited', async () => {
    await s.api.mappings.update({
      orgId: s.orgId,
      mappingId: s.mapping.id,
      config: { ...PERSON_MAPPING, mapping: { ...PERSON_MAPPING.mapping, name: '{{ name | upcase }}' } },
    });
    const afterEdit = await run();
    expect(afterEdit).toMatchObject({ result: 'success', updated: 45, created: 0, skipped: 0 });
    expect((await liveObjects()).every((o) => o.data.name === String(o.data.name).toUpperCase())).toBe(true);
    expect(await run()).toMatchObject({ skipped: 45, updated: 0 });
  });

  it('writes every object when forced, but counts as updated only the one that changed', async () => {
    await send('PATCH', '/people/8', { name: 'Person eight' });
    const forced = await run({ force: true });
    expect(forced).toMatchObject({ result: 'success', updated: 1, rewritten: 44, skipped: 0, created: 0 });
    expect(forced.message).toContain('updated 1, rewrote 44 unchanged');
    const rows = await db.db.select(contractReadColumns).from(contracts).where(ofSynchronisation(s.sync.id));
    const live = rows.filter((c) => c.status !== 'deleted');
    expect(live.filter((c) => c.lastAction === 'update').map((c) => c.originId)).toEqual(['8']);
    expect(live.filter((c) => c.lastAction === 'rewrite')).toHaveLength(44);
  });

  it('writes nothing in a dry run, and says what it would do', async () => {
    await send('PATCH', '/people/5', { name: 'Changed in the source' });
    await send('DELETE', '/people/6');
    const objectsBefore = await liveObjects();
    const contractsBefore = await db.db
      .select(contractReadColumns)
      .from(contracts)
      .where(ofSynchronisation(s.sync.id));

    const stateOf = async () =>
      (await s.api.synchronisations.list({ orgId: s.orgId })).find((x) => x.sync.id === s.sync.id)?.state;
    const before = await stateOf();
    const dry = await run({ test: true });
    expect(dry).toMatchObject({ result: 'success', test: true, updated: 1, created: 0 });
    // The synchronisation's last run stays the last real one: a test run planned, it did not run it.
    expect(await stateOf()).toEqual(before);
    expect(dry.message).toMatch(/delete 1/);
    const entries = await s.api.runs.entries({ orgId: s.orgId, runId: dry.id });
    expect(entries.rows).toContainEqual(
      expect.objectContaining({
        action: 'update',
        originId: '5',
        data: expect.objectContaining({ name: 'CHANGED IN THE SOURCE' }),
      }),
    );

    expect(await liveObjects()).toEqual(objectsBefore);
    expect(
      await db.db.select(contractReadColumns).from(contracts).where(ofSynchronisation(s.sync.id)),
    ).toEqual(contractsBefore);
    // The real run afterwards does exactly what the dry run announced.
    const real = await run();
    expect(real).toMatchObject({ updated: 1, deleted: 1, created: 0 });
    expect(await stateOf()).toMatchObject({ lastRunId: real.id, lastResult: 'success' });
  });
});

describe('a dry run into a schema that refuses an object', () => {
  it('counts the object invalid with the schema’s reason, as the real run then does', async () => {
    const list = people(5).map((p) => (p.id === 2 ? { ...p, name: '' } : p));
    const refusing = await startJsonServer({ people: list });
    try {
      const t = await restToRegister(db.db, refusing.url);
      const dry = await runThroughApi(t.api, t.orgId, t.sync.id, { test: true });
      expect(dry).toMatchObject({ test: true, created: 4, invalid: 1 });
      const { rows } = await t.api.runs.entries({ orgId: t.orgId, runId: dry.id });
      expect(rows.filter((e) => e.action === 'invalid')).toEqual([
        expect.objectContaining({
          originId: '2',
          reason: expect.stringMatching(
            /^invalid for schema "Person": \/name must NOT have fewer than 1 character/,
          ) as string,
        }),
      ]);
      const real = await runThroughApi(t.api, t.orgId, t.sync.id);
      expect(real).toMatchObject({ test: false, created: 4, invalid: 1 });
    } finally {
      await refusing.stop();
    }
  });
});
