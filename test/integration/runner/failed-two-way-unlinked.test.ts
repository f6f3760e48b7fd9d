// A two-way run that fails between the register objects it created and their contracts (here the
// database refusing Bob's contract, by a trigger, as a full disk would) must not leave Bob's object
// behind unlinked: the next run would create him a second time in the register — and a hub would carry
// both to every other system. The failed run takes back what it created and never linked; the next run
// creates each record once, with its contract.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedRunner } from '@/server/runner/embedded';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { FAST_HTTP, runThroughApi } from '../helpers/sync-setup';
import { crew } from '../two-way/rest-peer';
import { restTwoWay } from '../two-way/setup';

let db: TestDatabase;
let peer: JsonServer;
let runner: EmbeddedRunner;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: crew() });
  runner = new EmbeddedRunner(db.db, {
    urlPolicy: { allowPrivateNetworks: true },
    http: FAST_HTTP,
    pollMs: 20,
    tickMs: 60_000,
    log: () => {},
  });
  await runner.start();
});
afterAll(async () => {
  await db.db.run(sql.raw('DROP TRIGGER IF EXISTS refuse_bob'));
  await runner.stop();
  await peer.stop();
  await db.close();
});

/** The register's objects of the schema by name, and whether a contract names each. */
async function held(schemaId: string) {
  return db.db.all<{ name: string; linked: number }>(sql`SELECT o.data ->> 'name' AS name,
      EXISTS (SELECT 1 FROM contracts c WHERE c.target_id = o.id) AS linked
    FROM objects o JOIN schemas s ON s.seq = o.schema_seq
    WHERE s.id = ${schemaId} AND o.deleted_at IS NULL ORDER BY o.data ->> 'name'`);
}

describe('a two-way run that fails between register objects and contracts', () => {
  it('takes back the objects it created without contracts, so the next run creates each record once', async () => {
    const s = await restTwoWay(db.db, peer.url);
    await db.db.run(
      sql.raw(`CREATE TRIGGER refuse_bob BEFORE INSERT ON contracts WHEN NEW.origin_id = '2'
        BEGIN SELECT RAISE(ABORT, 'no room for the contracts'); END`),
    );
    const failed = await runThroughApi(s.api, s.orgId, s.sync.id);
    expect(failed).toMatchObject({ status: 'finished', result: 'error' });
    expect(failed.message).toContain('no room for the contracts');
    // What stayed is linked; nothing the run wrote is left without a contract.
    expect((await held(s.schema.id)).every((o) => o.linked === 1)).toBe(true);

    await db.db.run(sql.raw('DROP TRIGGER refuse_bob'));
    const next = await runThroughApi(s.api, s.orgId, s.sync.id);
    expect(next).toMatchObject({ status: 'finished', result: 'success' });
    expect(await held(s.schema.id)).toEqual([
      { name: 'Ada', linked: 1 },
      { name: 'Bob', linked: 1 },
      { name: 'Cy', linked: 1 },
    ]);
    // The peer was not written: the records came from it.
    expect((await peer.requests()).filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
