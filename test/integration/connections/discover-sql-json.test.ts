// A table with a JSON column discovered and read into the register through the API, on the real
// PostgreSQL and MariaDB servers. MariaDB's JSON is a longtext with a json_valid check, which its catalog
// names longtext: discovery took the column for text, so the schema it made refused every row whose
// JSON was an object or a list ("must be string,null"). Now the column is JSON there as in PostgreSQL,
// and every row arrives with its value as JSON; a longtext without that check stays text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { shopDatabase, type ShopDatabase } from '../helpers/discover-db';
import { SQL_PEERS } from '../helpers/sql-peers';
import { liveObjects, newOrg } from '../helpers/sync-more';

describe.each(SQL_PEERS)('discovering a table with a JSON column ($dialect)', ({ dialect }) => {
  let db: TestDatabase;
  let shop: ShopDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    shop = await shopDatabase(dialect, `discover_json_${dialect}`);
  });
  afterAll(async () => {
    await shop?.close();
    await db?.close();
  });

  it('types the JSON column as any JSON value, and its rows all arrive', async () => {
    const pg = dialect === 'postgres';
    await shop.exec('DROP TABLE IF EXISTS discover_docs');
    await shop.exec(
      `CREATE TABLE discover_docs (id integer PRIMARY KEY, doc ${pg ? 'jsonb' : 'json'}, ` +
        `note ${pg ? 'text' : 'longtext'}, code ${pg ? 'text' : 'longtext'} CHECK (char_length(code) < 10))`,
    );
    await shop.exec(
      `INSERT INTO discover_docs VALUES (1, '{"a":[1,2]}', '{"not":"json"}', 'x'), ` +
        `(2, '"text"', 'plain', NULL), (3, '[1]', NULL, NULL), (4, '7', NULL, NULL), (5, NULL, NULL, NULL)`,
    );
    const s = await newOrg(db.db);
    const source = await s.api.sources.create({
      orgId: s.orgId,
      name: 'Documents',
      type: 'sql',
      config: shop.config,
    });
    const found = await s.api.connections.discover({ orgId: s.orgId, sourceId: source.id });
    if (!found.ok) throw new Error(found.reason);
    const docs = found.types.find((t) => t.name === 'discover_docs')!;
    const field = (name: string) => docs.fields.find((f) => f.name === name);
    expect(field('doc')).toMatchObject({ type: 'any', sourceType: pg ? 'jsonb' : 'json' });
    expect(field('note')).toMatchObject({ type: 'string' });
    expect(field('code')).toMatchObject({ type: 'string' });

    const connection = await s.api.connections.create({
      orgId: s.orgId,
      name: 'Documents',
      sourceId: source.id,
      types: [{ ...docs, fields: [...docs.fields], idField: docs.idField! }],
    });
    const [started] = (await s.api.connections.run({ orgId: s.orgId, connectionId: connection.id })).runs;
    const deadline = Date.now() + 50_000;
    let run = await s.api.runs.get({ orgId: s.orgId, runId: started!.runId });
    while (run.status !== 'finished' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      run = await s.api.runs.get({ orgId: s.orgId, runId: started!.runId });
    }
    expect(run).toMatchObject({ result: 'success', created: 5, invalid: 0 });
    const status = await s.api.connections.get({ orgId: s.orgId, connectionId: connection.id });
    const objects = await liveObjects(db.db, status.members[0]!.sync.targetSchemaId!);
    const byId = new Map(objects.map((o) => [o.data['id'], o.data]));
    expect([1, 2, 3, 4, 5].map((id) => byId.get(id)?.['doc'])).toEqual([{ a: [1, 2] }, 'text', [1], 7, null]);
    expect(byId.get(1)?.['note']).toBe('{"not":"json"}');
  });
});
