// Data nested 1,000 and 5,000 levels deep, as JSON and as XML, through every way it enters Concord:
// Test connection, the mapping preview, the webhook and a run. Each answers with a sentence that names
// the depth limit (no "Maximum call stack size exceeded", no 500), and a run ends without deleting and
// without advising to run it again (issue 9).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { contractReadColumns, contracts, ofSynchronisation, runs } from '@/server/db/schema';
import { MAX_NESTING } from '@/server/sync/core/nesting';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { people, restToRegister, runDirect } from './helpers/sync-setup';
import { startServer, type TestServer } from './sync/http/server';

const LIMIT = new RegExp(`nested deeper than ${MAX_NESTING} levels`);
const deepJson = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const deepXml = (levels: number) => `${'<a>'.repeat(levels)}x${'</a>'.repeat(levels)}`;
const CASES = [1_000, 5_000].flatMap((levels) => [
  { levels, format: 'JSON', type: 'application/json', body: `[{"id":1,"deep":${deepJson(levels)}}]` },
  {
    levels,
    format: 'XML',
    type: 'application/xml',
    body: `<people><person><id>1</id>${deepXml(levels)}</person></people>`,
  },
]);

let db: TestDatabase;
let server: TestServer;
// What the server answers next.
let answer = { type: 'application/json', body: JSON.stringify(people(3)) };

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = `file:${db.file}`;
  server = await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': answer.type });
    res.end(answer.body);
  });
});
afterAll(async () => {
  await server.close();
  await db.close();
});

describe.each(CASES)('$format nested $levels levels', ({ type, body }) => {
  it('Test connection answers with the limit', async () => {
    const s = await restToRegister(db.db, server.origin);
    answer = { type, body };
    const result = await s.api.sources.testConnection({ orgId: s.orgId, sourceId: s.source.id });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toBe(
      `GET ${server.origin}/ answered 200 OK with a body nested deeper than ${MAX_NESTING} levels, the most Concord reads`,
    );
  });

  it('a run ends with the limit as its reason, deletes nothing and does not advise running it again', async () => {
    answer = { type: 'application/json', body: JSON.stringify(people(3)) };
    const s = await restToRegister(db.db, server.origin, { deleteMode: 'hard' } as never);
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ result: 'success', created: 3 });
    answer = { type, body };
    const run = await runDirect(db.db, s.orgId, s.sync.id);
    expect(run).toMatchObject({ result: 'error', complete: false, deleted: 0 });
    expect(run.message).toMatch(LIMIT);
    expect(run.message).not.toMatch(/again|unexpected|call stack/i);
    const kept = await db.db.select(contractReadColumns).from(contracts).where(ofSynchronisation(s.sync.id));
    expect(kept.filter((c) => c.status !== 'deleted')).toHaveLength(3);
  });
});

// The preview and the webhook take JSON only.
describe.each([1_000, 5_000])('a JSON object nested %i levels', (levels) => {
  it('the mapping preview refuses the sample with the limit', async () => {
    const s = await restToRegister(db.db, server.origin);
    const sample = JSON.parse(`{"id":1,"deep":${deepJson(levels)}}`) as Record<string, unknown>;
    const outcome = await s.api.mappings
      .preview({ orgId: s.orgId, config: { mapping: { id: 'id' } }, sample })
      .then(
        (value) => ({ value }),
        (error: Error) => ({ error: error.message }),
      );
    expect(outcome).toEqual({
      error: `The sample is nested deeper than ${MAX_NESTING} levels, the most Concord reads.`,
    });
  });

  it('the webhook answers 400 with the limit and queues nothing', async () => {
    const webhook = (await import('@/app/api/webhooks/[syncId]/route')).POST;
    const s = await restToRegister(db.db, server.origin);
    const { token, path } = await s.api.synchronisations.enableWebhook({ orgId: s.orgId, syncId: s.sync.id });
    const res = await webhook(
      new Request(`http://127.0.0.1${path}`, {
        method: 'POST',
        headers: { 'x-concord-token': token, 'content-type': 'application/json' },
        body: `{"id":1,"deep":${deepJson(levels)}}`,
      }),
      { params: Promise.resolve({ syncId: s.sync.id }) },
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe(
      `The body is nested deeper than ${MAX_NESTING} levels, the most Concord reads.`,
    );
    expect(await db.db.select().from(runs).where(eq(runs.synchronisationId, s.sync.id))).toEqual([]);
  });
});
