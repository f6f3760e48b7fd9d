// A REST API whose ids are 64-bit integers (Snowflake-style, 1326012487235305472): a JSON number holds
// integers exactly only up to 2^53, so parsed as numbers two such ids became one (…305500) — one record
// was read as a duplicate of the other, and a value changed without a word. They are read as their
// digits now, as an SQL source reads big integers, so every record arrives under its own id; contracts
// an earlier version recorded under the rounded ids are taken over, nothing is created again.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contracts, objects, ofSchema, ofSynchronisation } from '@/server/db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { runDirect } from '../helpers/sync-setup';
import { newOrg } from '../helpers/sync-more';

// The answer as the API writes it: numbers, not strings.
const PAGE =
  '[{"id":1326012487235305472,"name":"First","followers":9007199254740993,"score":1.5},' +
  '{"id":1326012487235305473,"name":"Second","followers":12,"score":2}]';

let db: TestDatabase;
let url = '';
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(PAGE);
});

beforeAll(async () => {
  db = await createTestDatabase();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await db.close();
});

/** The accounts API read into a register schema that takes them as they come. */
async function accountsSync() {
  const { api, orgId } = await newOrg(db.db);
  const source = await api.sources.create({
    orgId,
    name: 'Social API',
    type: 'rest',
    config: { baseUrl: url },
  });
  const register = await api.registers.create({ orgId, name: 'Social' });
  const schema = await api.registers.createSchema({
    orgId,
    registerId: register.id,
    name: 'Account',
    jsonSchema: { type: 'object', properties: { name: { type: 'string' } } },
  });
  const sync = await api.synchronisations.create({
    orgId,
    name: 'Accounts',
    sourceId: source.id,
    sourceEndpoint: '/accounts',
    targetType: 'register',
    targetRegisterId: register.id,
    targetSchemaId: schema.id,
  });
  return { orgId, schema, sync };
}

describe('a REST API with 64-bit integer ids', () => {
  it('reads every record under its own id, each big integer with all its digits', async () => {
    const { orgId, schema, sync } = await accountsSync();
    expect(await runDirect(db.db, orgId, sync.id)).toMatchObject({
      result: 'success',
      created: 2,
      invalid: 0,
    });
    const stored = (await db.db.select().from(objects).where(ofSchema(schema.id))).map((o) => o.data);
    expect(stored.sort((a, b) => String(a.name).localeCompare(String(b.name)))).toEqual([
      { id: '1326012487235305472', name: 'First', followers: '9007199254740993', score: 1.5 },
      { id: '1326012487235305473', name: 'Second', followers: 12, score: 2 },
    ]);
  });

  it('takes over the contracts an earlier version recorded under the rounded ids, creating nothing again', async () => {
    const { orgId, schema, sync } = await accountsSync();
    expect(await runDirect(db.db, orgId, sync.id)).toMatchObject({ created: 2 });
    // As an earlier version left it: the origin id as a double printed it, and another hash.
    const syncSeq = sql`(SELECT seq FROM synchronisations WHERE id = ${sync.id})`;
    await db.db.run(sql`UPDATE contracts SET origin_id = '1326012487235305500', origin_hash = NULL
      WHERE sync_seq = ${syncSeq} AND origin_id = '1326012487235305472'`);
    const before = await db.db.select().from(objects).where(ofSchema(schema.id));

    const run = await runDirect(db.db, orgId, sync.id);
    expect(run).toMatchObject({ result: 'success', created: 0, deleted: 0, held: 0 });
    const ids = await db.db
      .select({ originId: contracts.originId })
      .from(contracts)
      .where(ofSynchronisation(sync.id));
    expect(ids.map((c) => c.originId).sort()).toEqual(['1326012487235305472', '1326012487235305473']);
    const after = await db.db.select().from(objects).where(ofSchema(schema.id));
    expect(after.map((o) => o.id).sort()).toEqual(before.map((o) => o.id).sort());
  });
});
