// A listing into the register that fails between a page's objects and their contracts (here the
// database refusing the contracts of page 2, by a trigger, as a full disk would) must not leave those
// objects behind unlinked: the next run would create every one of them a second time. The failed run
// takes them back; the next run creates each object once, with its contract.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { EmbeddedRunner } from '@/server/runner/embedded';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { FAST_HTTP, people, restToRegister, runThroughApi } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;
let runner: EmbeddedRunner;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(25) });
  runner = new EmbeddedRunner(db.db, {
    urlPolicy: { allowPrivateNetworks: true },
    http: FAST_HTTP,
    pollMs: 20,
    tickMs: 60_000,
    log: () => {},
  });
  await runner.start();
});
afterEach(async () => {
  await db.db.run(sql.raw('DROP TRIGGER IF EXISTS refuse_page_2'));
});
afterAll(async () => {
  await runner.stop();
  await peer.stop();
  await db.close();
});

/** The register's objects of the schema by name, and which of them a contract of the sync names. */
async function held(schemaId: string) {
  return db.db.all<{ name: string; linked: number }>(sql`SELECT o.data ->> 'name' AS name,
      EXISTS (SELECT 1 FROM contracts c WHERE c.target_id = o.id) AS linked
    FROM objects o JOIN schemas s ON s.seq = o.schema_seq
    WHERE s.id = ${schemaId} ORDER BY o.data ->> 'id'`);
}

describe('a listing into the register that fails between objects and contracts', () => {
  it('takes back the objects its last page wrote without contracts, so the next run creates each once', async () => {
    const s = await restToRegister(db.db, peer.url);
    // Page 2 holds people 11–20 (10 a page): their contracts are refused.
    await db.db.run(
      sql.raw(`CREATE TRIGGER refuse_page_2 BEFORE INSERT ON contracts
        WHEN CAST(NEW.origin_id AS INTEGER) BETWEEN 11 AND 20
        BEGIN SELECT RAISE(ABORT, 'no room for the contracts'); END`),
    );
    const failed = await runThroughApi(s.api, s.orgId, s.sync.id);
    expect(failed).toMatchObject({ status: 'finished', result: 'error' });
    expect(failed.message).toContain('no room for the contracts');
    // Page 1 stays, with its contracts; page 2's objects, which no contract names, are gone.
    const afterFailure = await held(s.schema.id);
    expect(afterFailure).toHaveLength(10);
    expect(afterFailure.every((o) => o.linked === 1)).toBe(true);

    await db.db.run(sql.raw('DROP TRIGGER refuse_page_2'));
    const next = await runThroughApi(s.api, s.orgId, s.sync.id);
    expect(next).toMatchObject({ status: 'finished', result: 'success', created: 15, skipped: 10 });
    const after = await held(s.schema.id);
    expect(after.map((o) => o.name)).toEqual(people(25).map((p) => p.name));
    expect(after.every((o) => o.linked === 1)).toBe(true);
  });
});
