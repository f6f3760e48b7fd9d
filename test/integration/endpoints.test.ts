// The public endpoints: the trigger endpoint with an organisation API key (seed 003) and the webhook
// of a synchronisation (seed 004). Bad calls get a 4xx with the reason and change nothing.
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objects, ofSchema, runs } from '@/server/db/schema';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { callerFor, createOwner } from '../factories';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startJsonServer, type JsonServer } from './helpers/json-server';
import { people, restToRegister } from './helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;
type Handler = (req: Request, ctx: { params: Promise<{ syncId: string }> }) => Promise<Response>;
let trigger: Handler;
let webhook: Handler;

beforeAll(async () => {
  db = await createTestDatabase();
  // The route handlers use the process database: point it at this test's file before loading them.
  process.env.DATABASE_URL = `file:${db.file}`;
  trigger = (await import('@/app/api/syncs/[syncId]/run/route')).POST;
  webhook = (await import('@/app/api/webhooks/[syncId]/route')).POST;
  peer = await startJsonServer({ people: people(15) });
  s = await restToRegister(db.db, peer.url);
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

const params = (syncId: string) => ({ params: Promise.resolve({ syncId }) });
const post = (url: string, headers: Record<string, string>, body?: string) =>
  new Request(`http://127.0.0.1${url}`, { method: 'POST', headers, body });
const runCount = async () =>
  (await db.db.select().from(runs).where(eq(runs.synchronisationId, s.sync.id))).length;
const live = () =>
  db.db
    .select()
    .from(objects)
    .where(and(ofSchema(s.schema.id), isNull(objects.deletedAt)));

async function finished(runId: string) {
  await embeddedRunnerFor(db.db).idle();
  for (let i = 0; i < 200; i++) {
    const [run] = await db.db.select().from(runs).where(eq(runs.id, runId));
    if (run?.status === 'finished') return run;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('run did not finish');
}

describe('trigger endpoint', () => {
  it('runs a synchronisation for a valid organisation API key', async () => {
    const { key } = await s.api.apiKeys.create({ orgId: s.orgId, name: 'CI' });
    const res = await trigger(
      post(`/api/syncs/${s.sync.id}/run`, { authorization: `Bearer ${key}` }),
      params(s.sync.id),
    );
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    expect(await finished(runId)).toMatchObject({ trigger: 'api', result: 'success', created: 15 });
    const listed = await s.api.apiKeys.list({ orgId: s.orgId });
    expect(listed[0]?.lastUsedAt).toBeInstanceOf(Date);
    expect(JSON.stringify(listed)).not.toContain(key);
  });

  it('refuses a missing, wrong or revoked key, and another organisation’s key, changing nothing', async () => {
    const before = await runCount();
    const url = `/api/syncs/${s.sync.id}/run`;
    expect((await trigger(post(url, {}), params(s.sync.id))).status).toBe(401);
    expect((await trigger(post(url, { authorization: 'Bearer cnc_nope' }), params(s.sync.id))).status).toBe(
      401,
    );
    const revoked = await s.api.apiKeys.create({ orgId: s.orgId, name: 'old' });
    await s.api.apiKeys.revoke({ orgId: s.orgId, keyId: revoked.id });
    expect(
      (await trigger(post(url, { authorization: `Bearer ${revoked.key}` }), params(s.sync.id))).status,
    ).toBe(401);
    const other = await createOwner(db.db);
    const foreign = await callerFor(db.db, other.user).apiKeys.create({
      orgId: other.org.id,
      name: 'theirs',
    });
    const res = await trigger(post(url, { authorization: `Bearer ${foreign.key}` }), params(s.sync.id));
    expect(res.status).toBe(404);
    expect(await runCount()).toBe(before);
  });

  it('rejects unknown options with the reason', async () => {
    const { key } = await s.api.apiKeys.create({ orgId: s.orgId, name: 'opts' });
    const res = await trigger(
      post(`/api/syncs/${s.sync.id}/run`, { authorization: `Bearer ${key}` }, '{"dryRun": true}'),
      params(s.sync.id),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/dryRun/);
  });
});

describe('webhook', () => {
  it('syncs one pushed object now, and requests a full run on an empty POST', async () => {
    const { token, path } = await s.api.synchronisations.enableWebhook({ orgId: s.orgId, syncId: s.sync.id });
    const res = await webhook(
      post(
        path,
        { 'x-concord-token': token, 'content-type': 'application/json' },
        JSON.stringify({ id: 99, name: 'Pushed', email: 'p@example.test' }),
      ),
      params(s.sync.id),
    );
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    expect(await finished(runId)).toMatchObject({
      trigger: 'webhook',
      result: 'success',
      created: 1,
      deleted: 0,
    });
    expect((await live()).map((o) => o.data.name)).toContain('Pushed');

    const full = await webhook(post(path, { 'x-concord-token': token }), params(s.sync.id));
    expect(full.status).toBe(202);
    const fullRun = (await full.json()) as { runId: string; kind: string };
    expect(fullRun.kind).toBe('full-run');
    await finished(fullRun.runId);
  });

  it('answers bad calls with a 4xx and the reason, changing nothing', async () => {
    const { token, path } = await s.api.synchronisations.enableWebhook({ orgId: s.orgId, syncId: s.sync.id });
    const before = await runCount();
    const cases: [Record<string, string>, string | undefined, number, RegExp][] = [
      [{}, '{"id":1}', 401, /token/],
      [{ 'x-concord-token': 'whk_wrong' }, '{"id":1}', 401, /token/],
      [{ 'x-concord-token': token }, '{"id": 1,', 400, /not valid JSON/],
      [{ 'x-concord-token': token }, '[{"id":1}]', 400, /one JSON object/],
      [{ 'x-concord-token': token }, '{}', 400, /empty/],
    ];
    for (const [headers, body, status, reason] of cases) {
      const res = await webhook(post(path, headers, body), params(s.sync.id));
      expect(res.status, body).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(reason);
    }
    await s.api.synchronisations.disableWebhook({ orgId: s.orgId, syncId: s.sync.id });
    expect(
      (await webhook(post(path, { 'x-concord-token': token }, '{"id":1}'), params(s.sync.id))).status,
    ).toBe(404);
    expect(await runCount()).toBe(before);
  });
});
