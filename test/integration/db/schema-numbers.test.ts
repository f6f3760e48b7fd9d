// The schemas' numbers (migration 0038): register objects hold their schema by a small number of its
// own instead of its id, so every schema must be given one, keep it, and be the schema of exactly the
// objects that hold it — or an object would be listed, fed or deleted under another schema.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objects, schemas } from '@/server/db/schema';
import { ownerApi, type OwnerApi } from '../helpers/owner-api';

let s: OwnerApi;
beforeAll(async () => {
  s = await ownerApi();
});
afterAll(() => s.db.close());

const numberOf = async (schemaId: string) =>
  (await s.db.db.select({ seq: schemas.seq }).from(schemas).where(eq(schemas.id, schemaId)))[0]?.seq;

async function newSchema(name: string) {
  const register = await s.api.registers.create({ orgId: s.orgId, name: `Register ${name}` });
  return s.api.registers.createSchema({ orgId: s.orgId, registerId: register.id, name, jsonSchema: {} });
}

describe("a schema's number", () => {
  it('is given to each new schema, one above the highest', async () => {
    const first = await newSchema('First');
    const second = await newSchema('Second');
    const a = await numberOf(first.id);
    expect(a).toBeGreaterThan(0);
    expect(await numberOf(second.id)).toBe(a! + 1);
  });

  it('is kept: the database refuses to change it', async () => {
    const schema = await newSchema('Kept');
    const n = await numberOf(schema.id);
    await expect(
      s.db.client.execute({ sql: 'UPDATE schemas SET seq = seq + 100 WHERE id = ?', args: [schema.id] }),
    ).rejects.toThrow(/keeps its number/);
    expect(await numberOf(schema.id)).toBe(n);
  });

  it("is the one each of the schema's objects holds, and keeps two schemas' objects apart", async () => {
    const { api, orgId } = s;
    const mine = await newSchema('Mine');
    const other = await newSchema('Other');
    const made = await api.registers.createObject({ orgId, schemaId: mine.id, data: { name: 'Ada' } });
    await api.registers.createObject({ orgId, schemaId: other.id, data: { name: 'Bo' } });
    expect(made).toMatchObject({ schemaId: mine.id, registerId: mine.registerId });
    const [row] = await s.db.db.select().from(objects).where(eq(objects.id, made.id));
    expect(row?.schemaSeq).toBe(await numberOf(mine.id));
    // Each schema lists (and its change feed holds) its own objects only, each with its schema's id.
    const listed = await api.registers.objects({ orgId, schemaId: mine.id });
    expect(listed.rows.map((o) => [o.data.name, o.schemaId])).toEqual([['Ada', mine.id]]);
    expect(await api.registers.object({ orgId, objectId: made.id })).toMatchObject({ schemaId: mine.id });
    const theirs = await api.registers.objects({ orgId, schemaId: other.id });
    expect(theirs.rows.map((o) => [o.data.name, o.schemaId])).toEqual([['Bo', other.id]]);
  });

  it("takes the schema's objects along when the schema is deleted, and no other schema's", async () => {
    const { api, orgId } = s;
    const doomed = await newSchema('Doomed');
    const kept = await newSchema('Spared');
    await api.registers.createObject({ orgId, schemaId: doomed.id, data: { name: 'Gone' } });
    await api.registers.createObject({ orgId, schemaId: kept.id, data: { name: 'Stays' } });
    const n = (await numberOf(doomed.id))!;
    await api.registers.deleteSchema({ orgId, schemaId: doomed.id });
    expect(await s.db.db.select().from(objects).where(eq(objects.schemaSeq, n))).toEqual([]);
    const left = await api.registers.objects({ orgId, schemaId: kept.id });
    expect(left.rows.map((o) => o.data.name)).toEqual(['Stays']);
  });
});
