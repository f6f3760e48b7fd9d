// A JSON file whose records carry integers beyond what a JSON number holds exactly (64-bit ids such as
// Snowflake ids, 1326012487235305472): each arrives in the register with every digit, as text — as an
// SQL source gives big integers — instead of rounded (…305000), which made two records one id
// ("Duplicate id") and changed the others' values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { fileToRegister, liveObjects, uploadVersion } from '../helpers/sync-more';
import { runDirect } from '../helpers/sync-setup';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

describe('a JSON file with 64-bit integers', () => {
  it('keeps every digit of an integer a JSON number cannot hold, and leaves the others numbers', async () => {
    const s = await fileToRegister(db.db, {
      format: 'json',
      jsonSchema: { type: 'object' },
      mapping: { mapping: { id: 'id', name: 'name', owner: 'owner.id', count: 'count', ratio: 'ratio' } },
      sourceIdField: 'id',
    });
    const file = [
      '[',
      '  {"id": 1326012487235305472, "name": "first \\"1326012487235305999\\"", "owner": {"id": -9223372036854775808}, "count": 9007199254740991, "ratio": 1.5e300},',
      '  {"id": 1326012487235305473, "name": "second", "owner": {"id": 42}, "count": 0, "ratio": -0.25}',
      ']',
    ].join('\n');
    await uploadVersion(db.db, s, file, 'accounts.json');
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({
      result: 'success',
      created: 2,
      invalid: 0,
    });
    const objects = (await liveObjects(db.db, s.schema.id)).map((o) => o.data);
    const byName = new Map(objects.map((o) => [String(o['name']).split(' ')[0], o]));
    expect(byName.get('first')).toEqual({
      id: '1326012487235305472',
      name: 'first "1326012487235305999"',
      owner: '-9223372036854775808',
      count: 9007199254740991,
      ratio: 1.5e300,
    });
    expect(byName.get('second')).toEqual({
      id: '1326012487235305473',
      name: 'second',
      owner: 42,
      count: 0,
      ratio: -0.25,
    });
    // Unchanged, nothing is written again.
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ result: 'success', skipped: 2 });
  });
});
