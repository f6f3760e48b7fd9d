// A version whose data the register object holds (migrations 0028, 0034, 0051): a created object's version
// is its contract (no version row) and leaves its data to the object while the object holds exactly
// what was written; triggers write the version out as a row and copy the data into version_data before
// the object changes, changes hands or goes, and the history reads the version's own data, else the
// copy, else the object's. json-server people pulled into the register through the
// API, person 3 then changed at the peer (record-history.test.ts has the rest of the history).
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contractReadColumns,
  contracts,
  contractVersions,
  objects,
  ofSynchronisation,
  runSeqOf,
  versionColumns,
  versionData,
  versionsContract,
  versionsOfContract,
} from '@/server/db/schema';
import { executeRun } from '@/server/sync/run/execute';
import { requestRun } from '@/server/services/runs';
import type { StepRunner } from '@/server/sync/ports';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startJsonServer, type JsonServer } from './helpers/json-server';
import { FAST_HTTP, people, restToRegister, runThroughApi } from './helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;

const run = () => runThroughApi(s.api, s.orgId, s.sync.id);
const send = (method: string, path: string, body?: unknown) =>
  fetch(`${peer.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const versionsOfRun = (runId: string) =>
  db.db
    .select(versionColumns)
    .from(contractVersions)
    .innerJoin(contracts, versionsContract)
    .where(eq(contractVersions.runSeq, runSeqOf(runId)));
async function contractOf(originId: string) {
  const [row] = await db.db
    .select(contractReadColumns)
    .from(contracts)
    .where(and(ofSynchronisation(s.sync.id), eq(contracts.originId, originId)));
  return row!;
}

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(5) });
  s = await restToRegister(db.db, peer.url);
  expect(await run()).toMatchObject({ result: 'success', created: 5 });
  await send('PATCH', '/people/3', { name: 'Person three' });
  expect(await run()).toMatchObject({ result: 'success', updated: 1 });
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

describe('a version whose data the register object holds', () => {
  const historyOf = async (originId: string) =>
    (await s.api.history.contract({ orgId: s.orgId, contractId: (await contractOf(originId)).id })).versions;
  const parse = (data: string | null) => (data === null ? null : (JSON.parse(data) as unknown));
  const storedRows = async (originId: string) =>
    db.db
      .select({ id: contractVersions.id, own: contractVersions.data, copy: versionData.data })
      .from(contractVersions)
      .leftJoin(versionData, eq(versionData.versionId, contractVersions.id))
      .where(versionsOfContract((await contractOf(originId)).id))
      .orderBy(contractVersions.id);
  // What Concord keeps of each version besides the object: its own data or the copy made when the
  // object changed (version_data, migration 0034).
  const storedData = async (originId: string) =>
    (await storedRows(originId)).map((r) => parse(r.own ?? r.copy));

  it('gets its data copied before the synchronisation changes the object', async () => {
    // Person 3: created (data copied when the update came), then updated (held by the object).
    expect(await storedData('3')).toEqual([
      { name: 'Person 3', email: 'person3@example.test', city: 'Leiden' },
      null,
    ]);
    // The copy is a row of its own: the version row is not grown in place (which split its page).
    const [created] = await storedRows('3');
    expect(created).toMatchObject({ own: null, copy: expect.any(String) });
  });

  it('keeps what the synchronisation wrote when a person edits the object, or it is deleted for good', async () => {
    const one = await contractOf('1');
    const written = { name: 'Person 1', email: 'person1@example.test', city: 'Leiden' };
    // The creation is its contract: no version row, the object holds the data.
    expect(await storedData('1')).toEqual([]);
    expect((await historyOf('1')).map((v) => [v.action, v.data])).toEqual([['create', written]]);
    const [object] = await db.db.select().from(objects).where(eq(objects.id, one.targetId!));
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: one.targetId!,
      version: object!.version,
      data: { ...written, city: 'Utrecht' },
    });
    // The edit is not the synchronisation's version: that stays what the run wrote, now in its row.
    expect(await storedData('1')).toEqual([written]);
    expect((await historyOf('1')).map((v) => v.data)).toEqual([written]);

    // Person 4: held by the object, which is then removed for good (as retention purges deleted objects).
    const four = await contractOf('4');
    expect(await storedData('4')).toEqual([]);
    const shown = (await historyOf('4')).map((v) => v.data);
    expect(shown[0]).toMatchObject({ name: 'Person 4', email: 'person4@example.test' });
    await db.client.execute({ sql: 'DELETE FROM objects WHERE id = ?', args: [four.targetId!] });
    expect(await storedData('4')).toEqual(shown);
    expect((await historyOf('4')).map((v) => v.data)).toEqual(shown);
  });

  it('shows no data rather than another: the object changed without the trigger (by hand, in SQL)', async () => {
    const two = await contractOf('2');
    expect(await storedData('2')).toEqual([]);
    expect((await historyOf('2'))[0]!.data).toMatchObject({ name: 'Person 2' });
    const trigger = await db.client.execute(
      "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'objects_keep_version_data_update'",
    );
    await db.client.execute('DROP TRIGGER objects_keep_version_data_update');
    try {
      await db.client.execute({
        sql: `UPDATE objects SET data = json_set(data, '$.city', 'Gouda'), hash = 'not-the-written-one' WHERE id = ?`,
        args: [two.targetId!],
      });
      const [latest] = await historyOf('2');
      expect(latest!.data).toBeNull();
    } finally {
      await db.client.execute(trigger.rows[0]!.sql as string);
    }
  });

  it('drops a copy when a retried step rewrites its version with what the peer holds now', async () => {
    // Person 3 changes at the peer; the page step commits, then runs again after a second change (an
    // executor that lost its memo). The second write copies the first's data aside, then rewrites the
    // same version (one per run and contract): that copy is of something else now, and must go.
    await send('PATCH', '/people/3', { address: { city: 'Haarlem' } });
    const { run: queued } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
    let replayed = false;
    const step: StepRunner = {
      async run<T>(id: string, fn: () => Promise<T>): Promise<T> {
        if (id === 'page-1' && !replayed) {
          replayed = true;
          await fn();
          await send('PATCH', '/people/3', { address: { city: 'Zwolle' } });
        }
        return fn();
      },
    };
    const result = await executeRun(db.db, queued.id, step, {
      urlPolicy: { allowPrivateNetworks: true },
      http: FAST_HTTP,
    });
    expect(result.kind).toBe('finished');
    const ofRun = await versionsOfRun(queued.id);
    expect(ofRun).toHaveLength(1);
    const versions = await historyOf('3');
    expect(versions[0]).toMatchObject({ runId: queued.id, data: { city: 'Zwolle' } });
    expect(versions[1]!.data).toMatchObject({ name: 'Person three', city: 'Leiden' });
    expect(versions.map((v) => (v.data as { city: string }).city)).not.toContain('Haarlem');
    expect((await storedRows('3')).find((r) => r.id === ofRun[0]!.id)).toMatchObject({ copy: null });
  });

  it("deletes a version's copy with the version", async () => {
    const rows = await storedRows('1');
    const copied = rows.filter((r) => r.copy !== null).map((r) => r.id);
    expect(copied.length).toBeGreaterThan(0);
    await db.client.execute({
      sql: `DELETE FROM contract_versions WHERE id IN (SELECT value FROM json_each(?))`,
      args: [JSON.stringify(copied)],
    });
    const left = await db.client.execute({
      sql: `SELECT count(*) AS n FROM version_data WHERE version_id IN (SELECT value FROM json_each(?))`,
      args: [JSON.stringify(copied)],
    });
    expect(Number(left.rows[0]!.n)).toBe(0);
  });
});
