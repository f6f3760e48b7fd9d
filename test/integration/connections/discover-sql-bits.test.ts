// A MariaDB table with BIT columns — a legacy application's bit(1) flags — discovered and read into the
// register through the API. The driver hands a BIT value over as bytes, so a flag arrived as base64
// ("AQ==" for 1, "AA==" for 0) in a field discovery called text: nothing a person or a boolean column
// elsewhere could use. Now a BIT value is its number (1, 0, 5), typed integer; a column wider than 53
// bits gives its digits as text, as big integers do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { shopDatabase, type ShopDatabase } from '../helpers/discover-db';
import { liveObjects, newOrg } from '../helpers/sync-more';

describe('discovering a MariaDB table with BIT columns', () => {
  let db: TestDatabase;
  let shop: ShopDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    shop = await shopDatabase('mysql', 'discover_bits_mysql');
  });
  afterAll(async () => {
    await shop?.close();
    await db?.close();
  });

  it('reads a BIT value as its number', async () => {
    await shop.exec('DROP TABLE IF EXISTS discover_flags');
    await shop.exec(
      'CREATE TABLE discover_flags (id integer PRIMARY KEY, active bit(1) NOT NULL, mask bit(8), wide bit(64))',
    );
    await shop.exec(
      "INSERT INTO discover_flags VALUES (1, b'1', b'101', b'1111111111111111111111111111111111111111111111111111111111111111'), " +
        "(2, b'0', NULL, b'1')",
    );
    const s = await newOrg(db.db);
    const source = await s.api.sources.create({
      orgId: s.orgId,
      name: 'Legacy',
      type: 'sql',
      config: shop.config,
    });
    const found = await s.api.connections.discover({ orgId: s.orgId, sourceId: source.id });
    if (!found.ok) throw new Error(found.reason);
    const flags = found.types.find((t) => t.name === 'discover_flags')!;
    expect(flags.fields.map((f) => [f.name, f.type])).toEqual([
      ['id', 'integer'],
      ['active', 'integer'],
      ['mask', 'integer'],
      ['wide', 'string'],
    ]);
    const connection = await s.api.connections.create({
      orgId: s.orgId,
      name: 'Flags',
      sourceId: source.id,
      types: [{ ...flags, fields: [...flags.fields], idField: flags.idField! }],
    });
    const [started] = (await s.api.connections.run({ orgId: s.orgId, connectionId: connection.id })).runs;
    const deadline = Date.now() + 50_000;
    let run = await s.api.runs.get({ orgId: s.orgId, runId: started!.runId });
    while (run.status !== 'finished' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      run = await s.api.runs.get({ orgId: s.orgId, runId: started!.runId });
    }
    expect(run).toMatchObject({ result: 'success', created: 2, invalid: 0 });
    const status = await s.api.connections.get({ orgId: s.orgId, connectionId: connection.id });
    const objects = await liveObjects(db.db, status.members[0]!.sync.targetSchemaId!);
    const byId = new Map(objects.map((o) => [o.data['id'], o.data]));
    // A column wider than 53 bits gives its digits, as big integers are.
    expect(byId.get(1)).toEqual({ id: 1, active: 1, mask: 5, wide: '18446744073709551615' });
    expect(byId.get(2)).toEqual({ id: 2, active: 0, mask: null, wide: '1' });
  });
});
