// The register as a target: JSON Schema validation per object, batched writes, version and hash on
// update, soft and hard deletes, re-creation after an external delete, and organisation scoping.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectColumns, objects, objectsOfOrg, objectsSchema, ofSchema, schemas } from '@/server/db/schema';
import { createRegister, createSchema } from '@/server/services/registers';
import { hashValue } from '@/server/sync/core/canonical-json';
import type { ChangeOrigin, TargetPort, TargetWriteResult } from '@/server/sync/ports';
import { createRegisterTarget } from '@/server/sync/targets/register';
import { objectsByIds } from '@/server/sync/targets/register-rows';
import { createOwner } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let db: TestDatabase;
let owner: Awaited<ReturnType<typeof createOwner>>;
let outsider: Awaited<ReturnType<typeof createOwner>>;

beforeAll(async () => {
  db = await createTestDatabase();
  owner = await createOwner(db.db);
  outsider = await createOwner(db.db);
});
afterAll(() => db.close());

const JSON_SCHEMA = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
};

const origin: ChangeOrigin = { systemId: 'src_test', syncId: 'syn_test', runId: 'run_1' };

async function targetFor(orgId: string, name = 'people') {
  const register = await createRegister(db.db, orgId, { name: `Register ${name}` });
  const schema = await createSchema(db.db, orgId, register.id, { name, jsonSchema: JSON_SCHEMA });
  const target = createRegisterTarget({
    db: db.db,
    orgId,
    systemId: 'register',
    registerId: register.id,
    schemaId: schema.id,
    jsonSchema: JSON_SCHEMA,
  });
  return { target, schema };
}

const create = (target: TargetPort, items: [string, Record<string, unknown>][], runId = 'run_1') =>
  target.create(
    items.map(([originId, object]) => ({
      originId,
      object,
      idempotencyKey: `syn_test:${runId}:${originId}`,
      origin: { ...origin, runId },
      page: 1,
    })),
  );

const update = (target: TargetPort, items: [string, string, Record<string, unknown>][], runId = 'run_2') =>
  target.update(
    items.map(([originId, targetId, object]) => ({
      originId,
      targetId,
      object,
      origin: { ...origin, runId },
      page: 1,
    })),
  );

async function row(id: string) {
  const [found] = await db.db
    .select(objectColumns)
    .from(objects)
    .innerJoin(schemas, objectsSchema)
    .where(eq(objects.id, id));
  return found;
}

function idOf(result: TargetWriteResult | undefined): string {
  if (!result?.ok) throw new Error(`expected a written object, got ${JSON.stringify(result)}`);
  return result.targetId;
}

describe('register target', () => {
  it('writes the valid objects of a batch and reports the invalid one with its reasons', async () => {
    const { target, schema } = await targetFor(owner.org.id);
    const results = await create(target, [
      ['a', { name: 'Ada', age: 36 }],
      ['b', { name: 42, age: -1 }],
      ['c', { name: 'Cy' }],
    ]);
    expect(results.map((r) => r.originId)).toEqual(['a', 'b', 'c']);
    expect(results[1]).toEqual({
      originId: 'b',
      ok: false,
      // Each problem with the value it is about: what to fix at the source.
      reason: 'invalid for schema "people": /name must be string (got 42); /age must be >= 0 (got -1)',
      invalid: true,
    });
    expect(results[0]).toMatchObject({ ok: true, targetHash: hashValue({ name: 'Ada', age: 36 }) });
    const stored = await db.db.select().from(objects).where(ofSchema(schema.id));
    expect(stored.map((o) => o.data).sort((x, y) => String(x.name).localeCompare(String(y.name)))).toEqual([
      { name: 'Ada', age: 36 },
      { name: 'Cy' },
    ]);
    const ada = await row(idOf(results[0]));
    expect(ada).toMatchObject({
      schemaId: schema.id,
      version: 1,
      hash: hashValue({ name: 'Ada', age: 36 }),
      deletedAt: null,
    });
  });

  it('does not duplicate objects when a step is retried with the same idempotency keys', async () => {
    const { target, schema } = await targetFor(owner.org.id, 'retried');
    const first = await create(target, [['a', { name: 'Ada' }]]);
    const again = await create(target, [['a', { name: 'Ada' }]]);
    expect(idOf(again[0])).toBe(idOf(first[0]));
    expect(await db.db.select().from(objects).where(ofSchema(schema.id))).toHaveLength(1);
  });

  it('updates data and hash and bumps the version; an identical update writes nothing', async () => {
    const { target } = await targetFor(owner.org.id, 'updated');
    const id = idOf((await create(target, [['a', { name: 'Ada' }]]))[0]);
    const [updated] = await update(target, [['a', id, { name: 'Ada L.', age: 36 }]]);
    expect(updated).toEqual({
      originId: 'a',
      ok: true,
      targetId: id,
      targetHash: hashValue({ name: 'Ada L.', age: 36 }),
    });
    expect(await row(id)).toMatchObject({ data: { name: 'Ada L.', age: 36 }, version: 2 });

    const [same] = await update(target, [['a', id, { age: 36, name: 'Ada L.' }]]);
    expect(same).toMatchObject({ ok: true, targetId: id });
    expect((await row(id))?.version).toBe(2);

    const [invalid] = await update(target, [['a', id, { name: null }]]);
    expect(invalid?.ok === false && invalid.reason).toMatch(/^invalid for schema "updated": \/name/);
    expect((await row(id))?.data).toEqual({ name: 'Ada L.', age: 36 });
  });

  it('never writes over an object changed or deleted since the writer saw it (a two-way run deciding)', async () => {
    const { target } = await targetFor(owner.org.id, 'seen');
    const seen = { name: 'Seen' };
    const ids = (
      await create(target, [
        ['a', seen],
        ['b', seen],
        ['c', seen],
        ['d', seen],
      ])
    ).map(idOf);
    const [a, b, c, d] = ids as [string, string, string, string];
    // Meanwhile: another writer changes b, deletes c, and writes d as this writer is about to.
    await update(target, [['b', b, { name: 'Changed meanwhile' }]], 'run_other');
    await target.delete([{ originId: 'c', targetId: c, origin }], 'soft');
    await update(target, [['d', d, { name: 'From the source' }]], 'run_other');

    const results = await target.update(
      [a, b, c, d].map((targetId, i) => ({
        originId: 'abcd'[i]!,
        targetId,
        object: { name: 'From the source' },
        unlessChangedFrom: hashValue(seen),
        origin,
        page: 1,
      })),
    );
    expect(results.map((r) => (r.ok ? 'written' : r.transient ? 'decided again' : r.reason))).toEqual([
      'written',
      'decided again',
      'decided again',
      'written',
    ]);
    expect(results[1]).toMatchObject({
      reason: expect.stringMatching(/changed while this run was deciding/),
    });
    expect(await row(a)).toMatchObject({ data: { name: 'From the source' }, version: 2 });
    expect(await row(b)).toMatchObject({ data: { name: 'Changed meanwhile' }, version: 2 });
    expect((await row(c))?.deletedAt).not.toBeNull();
    expect(await row(d)).toMatchObject({ data: { name: 'From the source' }, version: 2 });

    // A deletion decided from what the writer saw: b changed since, so it stays; a is deleted.
    const deleted = await target.delete(
      [a, b].map((targetId, i) => ({
        originId: 'ab'[i]!,
        targetId,
        unlessChangedFrom: hashValue({ name: 'From the source' }),
        origin,
      })),
      'soft',
    );
    expect(deleted.map((r) => (r.ok ? 'deleted' : r.transient ? 'decided again' : r.reason))).toEqual([
      'deleted',
      'decided again',
    ]);
    expect((await row(a))?.deletedAt).not.toBeNull();
    expect(await row(b)).toMatchObject({ data: { name: 'Changed meanwhile' }, deletedAt: null });
  });

  it('writes and updates objects nested as deep as hashing allows, deeper than the JSON functions of SQLite accept', async () => {
    const { target } = await targetFor(owner.org.id, 'deep');
    let deep: Record<string, unknown> = { name: 'bottom' };
    for (let i = 1; i < 999; i++) deep = { name: `level ${i}`, child: deep };
    const id = idOf((await create(target, [['a', deep]]))[0]);
    expect((await row(id))?.data).toEqual(deep);
    const changed = { ...deep, name: 'top' };
    expect((await update(target, [['a', id, changed]]))[0]).toMatchObject({ ok: true, targetId: id });
    expect(await row(id)).toMatchObject({ data: changed, version: 2 });
  });

  it('soft deletes by setting deletedAt, restores on update, and hard deletes the row', async () => {
    const { target } = await targetFor(owner.org.id, 'deleted');
    const [a, b] = await create(target, [
      ['a', { name: 'Ada' }],
      ['b', { name: 'Bo' }],
    ]);
    const idA = idOf(a);
    const idB = idOf(b);

    expect(await target.delete([{ originId: 'a', targetId: idA, origin }], 'soft')).toEqual([
      { originId: 'a', ok: true },
    ]);
    const softDeleted = await row(idA);
    expect(softDeleted?.deletedAt).toBeInstanceOf(Date);

    // The origin came back unchanged: the update restores the object.
    const [restored] = await update(target, [['a', idA, { name: 'Ada' }]]);
    expect(restored).toMatchObject({ ok: true, targetId: idA });
    expect(await row(idA)).toMatchObject({ deletedAt: null, version: 2 });

    expect(await target.delete([{ originId: 'b', targetId: idB, origin }], 'hard')).toEqual([
      { originId: 'b', ok: true },
    ]);
    expect(await row(idB)).toBeUndefined();
    // Deleting what is already gone is fine (a retried step deletes twice).
    expect(
      await target.delete(
        [
          { originId: 'b', targetId: idB, origin },
          { originId: 'x', targetId: 'obj_never', origin },
        ],
        'hard',
      ),
    ).toEqual([
      { originId: 'b', ok: true },
      { originId: 'x', ok: true },
    ]);
  });

  it('re-creates an object someone deleted and answers the new id', async () => {
    const { target, schema } = await targetFor(owner.org.id, 'recreated');
    const id = idOf((await create(target, [['a', { name: 'Ada' }]]))[0]);
    await db.db.delete(objects).where(eq(objects.id, id));

    const [answer] = await update(target, [['a', id, { name: 'Ada again' }]]);
    const newId = idOf(answer);
    expect(newId).not.toBe(id);
    expect(answer).toMatchObject({ targetHash: hashValue({ name: 'Ada again' }) });
    expect(await row(newId)).toMatchObject({ schemaId: schema.id, data: { name: 'Ada again' }, version: 1 });
    // The same step retried answers the same new id without a second copy.
    expect(idOf((await update(target, [['a', id, { name: 'Ada again' }]]))[0])).toBe(newId);
    expect(await db.db.select().from(objects).where(ofSchema(schema.id))).toHaveLength(1);
  });

  it("never reads, changes or deletes another organisation's objects", async () => {
    const mine = await targetFor(owner.org.id, 'mine');
    const theirs = await targetFor(outsider.org.id, 'theirs');
    const myId = idOf((await create(mine.target, [['a', { name: 'Mine' }]]))[0]);

    // Their target, pointed at my object id, re-creates in their own schema and leaves mine alone.
    const [answer] = await update(theirs.target, [['a', myId, { name: 'Hijacked' }]]);
    expect(idOf(answer)).not.toBe(myId);
    await theirs.target.delete([{ originId: 'a', targetId: myId, origin }], 'hard');
    await theirs.target.delete([{ originId: 'a', targetId: myId, origin }], 'soft');
    expect(await row(myId)).toMatchObject({
      schemaId: mine.schema.id,
      data: { name: 'Mine' },
      deletedAt: null,
      version: 1,
    });

    // A target built with a schema of another organisation writes nothing at all.
    const misconfigured = createRegisterTarget({
      db: db.db,
      orgId: outsider.org.id,
      systemId: 'register',
      registerId: mine.schema.registerId,
      schemaId: mine.schema.id,
      jsonSchema: JSON_SCHEMA,
    });
    const [refused] = await create(misconfigured, [['z', { name: 'Intruder' }]]);
    expect(refused?.ok === false && refused.reason).toMatch(/schema was not found/);
    const written = await db.db
      .select()
      .from(objects)
      .where(and(ofSchema(mine.schema.id), objectsOfOrg(outsider.org.id)));
    expect(written).toEqual([]);
  });

  it('looks a batch of objects up by primary key, never by walking the schema', async () => {
    const { target, schema } = await targetFor(owner.org.id, 'planned');
    await create(
      target,
      Array.from({ length: 50 }, (_, i): [string, Record<string, unknown>] => [`o${i}`, { name: `n${i}` }]),
    );
    const ids = Array.from({ length: 10 }, (_, i) => `obj_${i}`);
    const { sql, params } = db.db
      .select({ id: objects.id })
      .from(objects)
      .where(objectsByIds({ orgId: owner.org.id, schemaId: schema.id }, ids))
      .toSQL();
    const plan = await db.db.$client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args: params as never });
    const details = plan.rows.map((row) => row.detail as string).filter((d) => /\bobjects\b/.test(d));
    expect(details).not.toHaveLength(0);
    for (const detail of details)
      expect(detail).toMatch(/^SEARCH objects USING INDEX sqlite_autoindex_objects_1 \(id=\?\)/);
  });

  it('writes a large batch in one go', async () => {
    const { target, schema } = await targetFor(owner.org.id, 'bulk');
    const items = Array.from(
      { length: 1200 },
      (_, i) => [`o${i}`, { name: `N${i}`, age: i }] as [string, Record<string, unknown>],
    );
    const results = await create(target, items);
    expect(results.every((r) => r.ok)).toBe(true);
    const updates = results.map(
      (r, i) => [`o${i}`, idOf(r), { name: `M${i}` }] as [string, string, Record<string, unknown>],
    );
    expect((await update(target, updates)).every((r) => r.ok)).toBe(true);
    const stored = await db.db.select().from(objects).where(ofSchema(schema.id));
    expect(stored).toHaveLength(1200);
    expect(stored.every((o) => o.version === 2 && String(o.data.name).startsWith('M'))).toBe(true);
  });
});
