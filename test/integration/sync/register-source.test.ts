// The register as a source: a schema's live objects in keyset pages, only the organisation's own, and
// an incomplete listing (never an empty complete one) when the schema is gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objects, schemaSeqOf } from '@/server/db/schema';
import { createRegister, createSchema, deleteSchema } from '@/server/services/registers';
import { hashValue } from '@/server/sync/core/canonical-json';
import type { SourcePort } from '@/server/sync/ports';
import { createRegisterSource, registerPageQuery, type RegisterCursor } from '@/server/sync/sources/register';
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

const JSON_SCHEMA = { type: 'object', properties: { name: { type: 'string' } } };

async function schemaOf(orgId: string, name = 'people') {
  const register = await createRegister(db.db, orgId, { name: `Register ${name}` });
  return createSchema(db.db, orgId, register.id, { name, jsonSchema: JSON_SCHEMA });
}

type SchemaRow = Awaited<ReturnType<typeof schemaOf>>;

async function insert(
  schema: SchemaRow,
  items: { id: string; data: Record<string, unknown>; deleted?: boolean }[],
) {
  await db.db.insert(objects).values(
    items.map((item) => ({
      id: item.id,
      orgId: schema.orgId,
      schemaSeq: schemaSeqOf(schema.id),
      data: item.data,
      hash: hashValue(item.data),
      deletedAt: item.deleted ? new Date() : null,
    })),
  );
}

async function listByStep(port: SourcePort<RegisterCursor>, from: RegisterCursor | null = null) {
  const pages: { number: number; objects: Record<string, unknown>[] }[] = [];
  const cursors: RegisterCursor[] = [];
  let cursor = from;
  for (;;) {
    const generator = port.pages(cursor);
    const first = await generator.next();
    await generator.return(undefined as never);
    if (first.done) return { pages, cursors, outcome: first.value };
    pages.push({ number: first.value.number, objects: first.value.objects as Record<string, unknown>[] });
    const then = first.value.then;
    if (then.kind === 'end') return { pages, cursors, outcome: then.outcome };
    cursors.push(then.cursor);
    cursor = then.cursor;
  }
}

const pad = (n: number) => String(n).padStart(3, '0');

describe('register source', () => {
  let schema: SchemaRow;

  beforeAll(async () => {
    schema = await schemaOf(owner.org.id);
    await insert(
      schema,
      Array.from({ length: 25 }, (_, i) => ({
        id: `obj_test${pad(i + 1)}`,
        data: { name: `Person ${i + 1}` },
        deleted: (i + 1) % 10 === 0, // 10 and 20 are soft-deleted
      })),
    );
    // Another organisation's objects, in its own schema (an object holds no organisation of its own: its
    // schema's is its organisation, migration 0044).
    const theirs = await schemaOf(outsider.org.id);
    await insert(theirs, [{ id: 'obj_test000', data: { name: 'Theirs' } }]);
  });

  it('lists the live objects in keyset pages ordered by id and ends complete', async () => {
    const port = createRegisterSource({
      db: db.db,
      orgId: owner.org.id,
      systemId: 'register',
      schemaId: schema.id,
      pageSize: 10,
    });
    const listed = await listByStep(port);
    expect(listed.pages.map((p) => [p.number, p.objects.length])).toEqual([
      [1, 10],
      [2, 10],
      [3, 3],
    ]);
    const ids = listed.pages.flatMap((p) => p.objects.map((o) => o.id));
    const expected = Array.from({ length: 25 }, (_, i) => i + 1)
      .filter((n) => n % 10 !== 0)
      .map((n) => `obj_test${pad(n)}`);
    expect(ids).toEqual(expected);
    expect(listed.cursors).toEqual([
      { after: 'obj_test011', page: 2 },
      { after: 'obj_test022', page: 3 },
    ]);
    expect(listed.outcome).toEqual({ complete: true, pages: 3 });
    expect(listed.pages[0]?.objects[0]).toEqual({ name: 'Person 1', id: 'obj_test001' });
  });

  it("reads a page along the schema's index in id order, sorting nothing", async () => {
    // A sort of every object past the cursor, for every page, grew with the square of the schema's size
    // (3 s of a push of 100,000 objects): a page must be a range of the index, whatever the schema holds.
    const { sql, params } = registerPageQuery(
      { db: db.db, orgId: owner.org.id, schemaId: schema.id },
      'obj_test011',
      11,
    ).toSQL();
    const plan = await db.db.$client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args: params as never });
    const details = plan.rows.map((row) => row.detail as string);
    expect(details.filter((d) => /\bobjects\b/.test(d))).toEqual([
      'SEARCH objects USING INDEX objects_schema (schema_seq=? AND deleted_at=? AND id>?)',
    ]);
    expect(details.join('\n')).not.toMatch(/TEMP B-TREE/);
  });

  it('resumes from a cursor with the right page numbers', async () => {
    const port = createRegisterSource({
      db: db.db,
      orgId: owner.org.id,
      systemId: 'register',
      schemaId: schema.id,
      pageSize: 10,
    });
    const resumed = await listByStep(port, { after: 'obj_test011', page: 2 });
    expect(resumed.pages.map((p) => p.number)).toEqual([2, 3]);
    expect(resumed.pages[0]?.objects[0]?.id).toBe('obj_test012');
    expect(resumed.outcome).toEqual({ complete: true, pages: 3 });
  });

  it("never lists another organisation's objects", async () => {
    const port = createRegisterSource({
      db: db.db,
      orgId: owner.org.id,
      systemId: 'register',
      schemaId: schema.id,
    });
    const listed = await listByStep(port);
    const names = listed.pages.flatMap((p) => p.objects.map((o) => o.name));
    expect(names).not.toContain('Theirs');
    expect(names).toHaveLength(23);

    // The other organisation naming this schema gets no listing at all, not an empty complete one.
    const intruder = createRegisterSource({
      db: db.db,
      orgId: outsider.org.id,
      systemId: 'register',
      schemaId: schema.id,
    });
    const denied = await listByStep(intruder);
    expect(denied.pages).toEqual([]);
    expect(denied.outcome).toMatchObject({ complete: false, problem: { kind: 'transport' } });
  });

  it("keeps an object's own id and adds the register id only when the data has none", async () => {
    const own = await schemaOf(owner.org.id, 'with-ids');
    await insert(own, [
      { id: 'obj_a', data: { id: 'crm-7', name: 'Has its own id' } },
      { id: 'obj_b', data: { name: 'Has none' } },
    ]);
    const port = createRegisterSource({
      db: db.db,
      orgId: owner.org.id,
      systemId: 'register',
      schemaId: own.id,
    });
    const listed = await listByStep(port);
    expect(listed.pages[0]?.objects).toEqual([
      { id: 'crm-7', name: 'Has its own id' },
      { id: 'obj_b', name: 'Has none' },
    ]);
  });

  it('lists an empty schema as one empty, complete page', async () => {
    const empty = await schemaOf(owner.org.id, 'empty');
    const port = createRegisterSource({
      db: db.db,
      orgId: owner.org.id,
      systemId: 'register',
      schemaId: empty.id,
    });
    expect(await listByStep(port)).toEqual({
      pages: [{ number: 1, objects: [] }],
      cursors: [],
      outcome: { complete: true, pages: 1 },
    });
  });

  it('ends incomplete when the schema is deleted mid-run', async () => {
    const doomed = await schemaOf(owner.org.id, 'doomed');
    await insert(doomed, [
      { id: 'obj_d1', data: { name: 'one' } },
      { id: 'obj_d2', data: { name: 'two' } },
    ]);
    const port = createRegisterSource({
      db: db.db,
      orgId: owner.org.id,
      systemId: 'register',
      schemaId: doomed.id,
      pageSize: 1,
    });
    const first = await listByStep(port, null).then((l) => l.cursors[0]);
    expect(first).toEqual({ after: 'obj_d1', page: 2 });
    await deleteSchema(db.db, owner.org.id, doomed.id);
    const rest = await listByStep(port, first);
    expect(rest.pages).toEqual([]);
    expect(rest.outcome).toMatchObject({
      complete: false,
      pages: 1,
      problem: { kind: 'transport', page: 2 },
    });
  });
});
