// Contracts and register objects hold no organisation of their own (migrations 0043, 0044): deleting an
// organisation still deletes them, through its synchronisations and its registers' schemas (the foreign
// keys' cascades), with their versions — and nothing of another organisation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;
let gone: Awaited<ReturnType<typeof restToRegister>>;
let kept: Awaited<ReturnType<typeof restToRegister>>;

/** Contracts, versions and register objects of an organisation, found through what owns them. */
async function countsOf(orgId: string) {
  const count = async (sql: string) =>
    Number((await db.client.execute({ sql, args: [orgId] })).rows[0]?.n ?? -1);
  return {
    contracts: await count(
      'SELECT count(*) AS n FROM contracts WHERE sync_seq IN (SELECT seq FROM synchronisations WHERE org_id = ?)',
    ),
    versions:
      await count(`SELECT count(*) AS n FROM contract_versions v JOIN contracts c ON c.seq = v.contract_seq
      WHERE c.sync_seq IN (SELECT seq FROM synchronisations WHERE org_id = ?)`),
    objects: await count(
      'SELECT count(*) AS n FROM objects WHERE schema_seq IN (SELECT seq FROM schemas WHERE org_id = ?)',
    ),
  };
}

const total = async (table: string) =>
  Number((await db.client.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n ?? -1);

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(4) });
  gone = await restToRegister(db.db, peer.url);
  kept = await restToRegister(db.db, peer.url);
  expect(await runThroughApi(gone.api, gone.orgId, gone.sync.id)).toMatchObject({ created: 4 });
  expect(await runThroughApi(kept.api, kept.orgId, kept.sync.id)).toMatchObject({ created: 4 });
  // Every person changes, so each contract has two version rows: its creation, written out when the
  // object first changed (until then the contract itself is that version), and the update.
  for (const n of [1, 2, 3, 4])
    await fetch(`${peer.url}/people/${n}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Person ${n} renamed` }),
    });
  expect(await runThroughApi(gone.api, gone.orgId, gone.sync.id)).toMatchObject({ updated: 4 });
  expect(await runThroughApi(kept.api, kept.orgId, kept.sync.id)).toMatchObject({ updated: 4 });
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

describe('deleting an organisation', () => {
  it('deletes its contracts, their versions and its register objects, and nothing of another', async () => {
    expect(await countsOf(gone.orgId)).toEqual({ contracts: 4, versions: 8, objects: 4 });
    expect(await countsOf(kept.orgId)).toEqual({ contracts: 4, versions: 8, objects: 4 });
    await db.client.execute({ sql: 'DELETE FROM organisations WHERE id = ?', args: [gone.orgId] });
    // Every row left is the other organisation's.
    expect({
      contracts: await total('contracts'),
      versions: await total('contract_versions'),
      objects: await total('objects'),
    }).toEqual({ contracts: 4, versions: 8, objects: 4 });
    expect(await countsOf(kept.orgId)).toEqual({ contracts: 4, versions: 8, objects: 4 });
    // The other organisation's next run finds every object unchanged.
    expect(await runThroughApi(kept.api, kept.orgId, kept.sync.id)).toMatchObject({
      result: 'success',
      skipped: 4,
      created: 0,
    });
  });
});
