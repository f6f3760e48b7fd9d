// Two batches pushed into one synchronisation at the same moment (two workers of an ETL job, a retry sent
// before the first answer came): a batch never goes alongside a run of its synchronisation, so one is
// written and the other answered 409 to push again — not both written at once, each counting the
// other's objects, as when both looked for an active run before either had started one.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runs } from '@/server/db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { restToRegister } from '../helpers/sync-setup';
import { apiClient, problemOf, useDatabase } from './client';

let db: TestDatabase;
let s: Awaited<ReturnType<typeof restToRegister>>;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
  // No request is made to the source: objects are pushed.
  s = await restToRegister(db.db, 'http://127.0.0.1:9');
  api = apiClient(
    (await s.api.apiKeys.create({ orgId: s.orgId, name: 'ETL', scopes: ['read', 'write'] })).key,
  );
});
afterAll(async () => {
  await db?.close();
});

const people = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: from + i,
    name: `P${from + i}`,
    email: `p${from + i}@example.test`,
  }));
const push = (objects: Record<string, unknown>[]) =>
  api.POST('/synchronisations/{syncId}/objects', {
    params: { path: { syncId: s.sync.id } },
    body: { objects },
  });

it('writes one of two batches pushed at once and answers the other 409', async () => {
  const [a, b] = await Promise.all([push(people(1, 50)), push(people(101, 50))]);
  const statuses = [a.response.status, b.response.status].sort();
  expect(statuses).toEqual([200, 409]);
  const refused = a.response.status === 409 ? a : b;
  expect(problemOf(refused.error).detail).toMatch(
    /^Run run_\w+ of this synchronisation is active: push again when it has ended\.$/,
  );
  const written = await db.db.select().from(runs).where(eq(runs.synchronisationId, s.sync.id));
  expect(written.map((r) => [r.status, r.created])).toEqual([['finished', 50]]);
});
