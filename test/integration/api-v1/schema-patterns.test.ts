// A register schema's `pattern`s run in time linear in the value (RE2, server/services/json-schema.ts):
// a member's schema cannot hold the process every organisation shares. With V8's backtracking engine
// `^(a+)+$` against n letters and a "!" takes twice as long with each letter (28: about 2 s, 40: hours).
// The last test tells the engines apart without waiting (RE2 refuses a lookahead, V8 runs it), so a
// return to V8's engine fails there; the first keeps to 24 letters so that such a return cannot hang CI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { schemas } from '@/server/db/schema';
import { newOrg } from '../helpers/sync-more';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { apiClient, problemOf, useDatabase } from './client';

let db: TestDatabase;
let api: ReturnType<typeof apiClient>;
let registerId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
  const org = await newOrg(db.db);
  api = apiClient((await org.api.apiKeys.create({ orgId: org.orgId, name: 'k', scopes: ['admin'] })).key);
  registerId = (await api.POST('/registers', { body: { name: 'People' } })).data!.id;
});
afterAll(() => db.close());

async function schemaWith(jsonSchema: Record<string, unknown>) {
  const res = await api.POST('/registers/{registerId}/schemas', {
    params: { path: { registerId } },
    body: { name: `S${Math.random()}`, jsonSchema },
  });
  return res;
}

const post = (schemaId: string, body: Record<string, unknown>) =>
  api.POST('/schemas/{schemaId}/objects', { params: { path: { schemaId } }, body });

describe("a schema's patterns", () => {
  it('refuse a value a backtracking engine takes exponential time over, at its field', async () => {
    const schema = await schemaWith({
      type: 'object',
      properties: { name: { type: 'string', pattern: '^(a+)+$' } },
    });
    expect(schema.response.status).toBe(201);
    const schemaId = schema.data!.id;
    const refused = await post(schemaId, { name: `${'a'.repeat(24)}!` });
    expect(refused.response.status).toBe(400);
    expect(problemOf(refused.error).errors![0]).toMatchObject({ field: expect.stringMatching(/name$/) });
    expect(problemOf(refused.error).errors![0]!.detail).toContain('must match pattern');
    expect((await post(schemaId, { name: 'a'.repeat(40) })).response.status).toBe(201);
  });

  it('hold for property names too (patternProperties)', async () => {
    const schema = await schemaWith({
      type: 'object',
      patternProperties: { '^(a|aa)+$': { type: 'number' } },
    });
    const schemaId = schema.data!.id;
    const refused = await post(schemaId, { [`${'a'.repeat(24)}`]: 'not a number' });
    expect(refused.response.status).toBe(400);
    expect(
      (await post(schemaId, { [`${'a'.repeat(24)}!`]: 'not matched, so anything' })).response.status,
    ).toBe(201);
  });

  it("keep JavaScript's pattern syntax: \\u escapes, classes, lookbehind", async () => {
    const schema = await schemaWith({
      type: 'object',
      properties: {
        code: { type: 'string', pattern: '^[\\u0041-\\u005A]{3}$' },
        price: { type: 'string', pattern: '(?<=€)\\d+' },
      },
    });
    expect(schema.response.status).toBe(201);
    const schemaId = schema.data!.id;
    const ok = await post(schemaId, { code: 'ABC', price: '€12' });
    expect(ok.error).toBeUndefined();
    expect((await post(schemaId, { code: 'abc' })).response.status).toBe(400);
    expect((await post(schemaId, { price: '$12' })).response.status).toBe(400);
  });

  it('refuse a schema whose pattern needs a lookahead or a backreference, saying why', async () => {
    for (const pattern of ['^(?!admin).*$', '^(a)\\1$']) {
      const res = await schemaWith({ type: 'object', properties: { name: { type: 'string', pattern } } });
      expect(res.response.status).toBe(400);
      const problem = problemOf(res.error);
      expect(problem.errors![0]).toMatchObject({ field: 'body.jsonSchema' });
      expect(problem.detail).toContain(`The pattern ${JSON.stringify(pattern)} cannot be used`);
      expect(problem.detail).toContain('lookahead and backreferences');
    }
  });
});

describe('a schema saved before patterns ran on RE2', () => {
  it('answers as the schema’s problem, not an internal error', async () => {
    const schemaId = (await schemaWith({ type: 'object' })).data!.id;
    // As a schema saved by an earlier version, which did not refuse a lookahead.
    await db.db
      .update(schemas)
      .set({ jsonSchema: { type: 'object', properties: { name: { type: 'string', pattern: '^(?!x)' } } } })
      .where(eq(schemas.id, schemaId));
    const res = await post(schemaId, { name: 'y' });
    expect(res.response.status).toBe(400);
    expect(problemOf(res.error).detail).toContain('The register schema cannot be used');
    expect(problemOf(res.error).detail).toContain('"^(?!x)"');
  });
});

describe('a schema with an $id', () => {
  it('is compiled again for every check, in any organisation, and cannot reach another’s by its $id', async () => {
    const withId = (name: string) => ({
      $id: 'https://example.test/person.json',
      type: 'object',
      properties: { name: { type: 'string', pattern: name } },
    });
    const first = (await schemaWith(withId('^A'))).data!.id;
    expect((await post(first, { name: 'Ada' })).response.status).toBe(201);
    // Another schema (as another organisation's would be) with the same $id, then the first again.
    const second = await schemaWith(withId('^B'));
    expect(second.response.status).toBe(201);
    expect((await post(second.data!.id, { name: 'Bea' })).response.status).toBe(201);
    expect((await post(second.data!.id, { name: 'Ada' })).response.status).toBe(400);
    expect((await post(first, { name: 'Ada' })).response.status).toBe(201);
    // A $ref to that $id finds nothing kept from before.
    const referring = await schemaWith({ $ref: 'https://example.test/person.json' });
    expect(referring.response.status).toBe(400);
  });
});
