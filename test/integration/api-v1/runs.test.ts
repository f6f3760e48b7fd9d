// A run's log through /api/v1, as an operator's script reads it with a key, against a real json-server:
// the timeline (each page with its masked URL, status, time and objects; the retry after a 500 with its
// reason; the deletion phase), the entries filtered as on the run's page and paged with Link headers,
// the errors grouped by reason with examples linked to their contracts, and the runs filtered as the
// logs across runs are; and a push run's changes delivered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { directoryWithGaps, NO_NAME } from '../helpers/people';
import { registerToRest } from '../helpers/push-setup';
import { restToRegister } from '../helpers/sync-setup';
import { apiClient, problemOf, raw, useDatabase } from './client';

// Register changes are pushed 200 ms after they settle, not seconds.
process.env.CONCORD_PUSH_DEBOUNCE_MS = '200';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;
let api: ReturnType<typeof apiClient>;
let key: string;
let firstRunId: string;
let secondRunId: string;

async function runNow() {
  const { data } = await api.POST('/synchronisations/{syncId}/runs', {
    params: { path: { syncId: s.sync.id } },
    body: {},
  });
  await embeddedRunnerFor(db.db).idle();
  return data!.run.id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
  peer = await startJsonServer({ people: directoryWithGaps() });
  s = await restToRegister(db.db, peer.url, { sourceEndpoint: '/people?_page=1&_limit=10' });
  // The key in the query is the source's secret query parameter (never in the endpoint, which is shown).
  await s.api.sources.update({
    orgId: s.orgId,
    sourceId: s.source.id,
    secrets: { 'query:api_key': 's3cret' },
  });
  key = (await s.api.apiKeys.create({ orgId: s.orgId, name: 'ops', scopes: ['read', 'run'] })).key;
  api = apiClient(key);
  // Page 2 fails once with a 500: it is tried again and succeeds.
  await peer.faults([{ path: '/people', page: 2, status: 500, body: { message: 'boom' }, times: 1 }]);
  firstRunId = await runNow();
  await peer.clearFaults();
  // Two people leave the source: the next run deletes them from the register.
  for (const id of [1, 2]) await fetch(`${peer.url}/people/${id}`, { method: 'DELETE' });
  secondRunId = await runNow();
});
afterAll(async () => {
  await embeddedRunnerFor(db.db).idle();
  await peer.stop();
  await db.close();
});

const timeline = async (runId: string) =>
  (await api.GET('/runs/{runId}/timeline', { params: { path: { runId }, query: { limit: 500 } } })).data!;

describe('the timeline', () => {
  it('has each page with its masked URL, status, time and objects, and the retry with its reason', async () => {
    const { items, total } = await timeline(firstRunId);
    expect(total).toBe(items.length);
    const pages = items.filter((l) => l.kind === 'page');
    expect(pages.map((l) => [l.page, l.status, l.objects])).toEqual([
      [1, 200, 10],
      [2, 200, 10],
      [3, 200, 5],
    ]);
    for (const line of pages) {
      expect(line.url).not.toContain('s3cret');
      expect(line.durationMs).toBeGreaterThanOrEqual(0);
      expect(Date.parse(line.at)).not.toBeNaN();
    }
    const retries = items.filter((l) => l.kind === 'retry');
    expect(retries.map((l) => [l.page, l.status, l.data?.['cause']])).toEqual([[2, 500, 'server']]);
    expect(retries[0]!.detail).toContain('500');
    expect(items.map((l) => l.kind)).toEqual([
      'page',
      'retry',
      'page',
      'page',
      'listing-end',
      'deletion-plan',
    ]);
    expect(items.at(-1)!.detail).toBe('No deletions: every object is still at the source.');
  });

  it('shows the deletion phase of a run that deleted', async () => {
    const { items } = await timeline(secondRunId);
    expect(items.map((l) => l.kind).slice(-3)).toEqual(['listing-end', 'deletion-plan', 'deletions']);
    expect(items.at(-1)!.objects).toBe(2);
    const { data: run } = await api.GET('/runs/{runId}', { params: { path: { runId: secondRunId } } });
    expect(run!.counts).toMatchObject({ deleted: 2, found: 23 });
  });

  it('comes in pages with a Link to the next', async () => {
    const first = await api.GET('/runs/{runId}/timeline', {
      params: { path: { runId: firstRunId }, query: { limit: 4 } },
    });
    expect(first.data).toMatchObject({ page: 1, limit: 4, total: 6 });
    expect(first.data!.items).toHaveLength(4);
    const link = /<\/api\/v1([^>]+)>; rel="next"/.exec(first.response.headers.get('link') ?? '')![1]!;
    const second = await raw('GET', link, { key });
    expect(second.body).toMatchObject({ page: 2, total: 6 });
    expect((second.body as { items: unknown[] }).items).toHaveLength(2);
    expect(second.headers.get('link')).toBeNull();
  });
});

describe('the entries', () => {
  it('are grouped by reason, with counts and examples linked to their contracts', async () => {
    const { data } = await api.GET('/runs/{runId}/entry-groups', { params: { path: { runId: firstRunId } } });
    expect(data!.more).toBe(false);
    expect(data!.groups.map((g) => [g.action, g.count])).toEqual([
      ['invalid', 6],
      ['invalid', 2],
    ]);
    const [noName, noEmail] = data!.groups;
    expect(noName!.reason).toContain('name');
    expect(noName!.examples).toHaveLength(5);
    expect(noName!.examples.every((e) => NO_NAME.includes(e.originId) && e.contractId !== null)).toBe(true);
    expect(noEmail!.examples.map((e) => e.originId).sort()).toEqual(['23', '5']);
  });

  it('are filtered by action, by a group’s reason and by text, as on the run’s page', async () => {
    const entries = (query: Record<string, string | number>) =>
      api.GET('/runs/{runId}/entries', { params: { path: { runId: firstRunId }, query } });
    expect((await entries({ action: 'invalid' })).data!.total).toBe(8);
    expect((await entries({ action: 'failed' })).data!.total).toBe(0);
    const { data: groups } = await api.GET('/runs/{runId}/entry-groups', {
      params: { path: { runId: firstRunId } },
    });
    const byReason = await entries({ reason: groups!.groups[1]!.reason! });
    expect(byReason.data!.items.map((e) => e.originId).sort()).toEqual(['23', '5']);
    expect(byReason.data!.items.every((e) => e.contractId !== null && e.action === 'invalid')).toBe(true);
    expect((await entries({ search: '16' })).data!.items.map((e) => e.originId)).toEqual(['16']);
    expect((await entries({ search: 'EMAIL' })).data!.total).toBe(2);
    const bad = await entries({ action: 'exploded' });
    expect(bad.response.status).toBe(400);
    expect(problemOf(bad.error).errors?.map((e) => e.field)).toEqual(['query.action']);
  });

  it('come in pages with a Link to the next', async () => {
    const first = await api.GET('/runs/{runId}/entries', {
      params: { path: { runId: firstRunId }, query: { action: 'invalid', limit: 5 } },
    });
    expect(first.data).toMatchObject({ total: 8, page: 1, limit: 5 });
    const link = /<\/api\/v1([^>]+)>; rel="next"/.exec(first.response.headers.get('link') ?? '')![1]!;
    const second = await raw('GET', link, { key });
    const rest = (second.body as { items: { originId: string }[] }).items;
    expect(rest).toHaveLength(3);
    expect(second.headers.get('link')).toBeNull();
    const ids = [...first.data!.items.map((e) => e.originId), ...rest.map((e) => e.originId)];
    expect(ids.sort()).toEqual([...NO_NAME, '23', '5'].sort());
  });
});

describe('the runs', () => {
  it('are filtered as the logs across runs are, and paged with the filters kept', async () => {
    const list = async (query: Record<string, string | number>) =>
      (await api.GET('/runs', { params: { query } })).data!.items.map((r) => r.id);
    expect(await list({ syncId: s.sync.id })).toEqual([secondRunId, firstRunId]);
    expect(await list({ result: 'warning' })).toEqual([secondRunId, firstRunId]);
    expect(await list({ result: 'success' })).toEqual([]);
    expect(await list({ trigger: 'api' })).toEqual([secondRunId, firstRunId]);
    expect(await list({ trigger: 'schedule' })).toEqual([]);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    expect(await list({ from: tomorrow })).toEqual([]);
    expect(await list({ to: tomorrow, result: 'warning' })).toEqual([secondRunId, firstRunId]);

    const first = await api.GET('/runs', { params: { query: { result: 'warning', limit: 1 } } });
    expect(first.data!.items.map((r) => r.id)).toEqual([secondRunId]);
    const link = /<\/api\/v1([^>]+)>; rel="next"/.exec(first.response.headers.get('link') ?? '')![1]!;
    expect(link).toContain('result=warning');
    const second = await raw('GET', link, { key });
    expect((second.body as { items: { id: string }[] }).items.map((r) => r.id)).toEqual([firstRunId]);

    const bad = await api.GET('/runs', { params: { query: { from: 'yesterday' } } });
    expect(bad.response.status).toBe(400);
    expect(problemOf(bad.error).errors?.map((e) => e.field)).toEqual(['query.from']);
  });
});

describe('a runs cursor whose run is gone', () => {
  it('is refused as a cursor (400 at query.cursor), not answered "The run was not found"', async () => {
    // The run a page ended on, since pruned by log retention (or another organisation's run).
    const cursor = Buffer.from(JSON.stringify({ id: 'run_01gone00000000000000000000' })).toString(
      'base64url',
    );
    const res = await api.GET('/runs', { params: { query: { cursor } } });
    expect(res.response.status).toBe(400);
    expect(problemOf(res.error).errors?.map((e) => e.field)).toEqual(['query.cursor']);
  });
});

describe('a push run', () => {
  it('names each change it delivered, with its register object and how it ended', async () => {
    const mailing = await startJsonServer({ people: [] });
    try {
      const h = await registerToRest(db.db, mailing.url);
      const own = apiClient(
        (await h.api.apiKeys.create({ orgId: h.orgId, name: 'ops', scopes: ['read', 'write'] })).key,
      );
      const created = await own.POST('/schemas/{schemaId}/objects', {
        params: { path: { schemaId: h.schema.id } },
        body: { name: 'Ada', email: 'ada@example.test' },
      });
      const feed = await own.GET('/schemas/{schemaId}/changes', {
        params: { path: { schemaId: h.schema.id } },
      });
      expect(feed.data!.changes.map((c) => c.objectId)).toEqual([created.data!.id]);
      let pushRun: { id: string; status: string } | undefined;
      for (let waited = 0; waited < 30_000 && pushRun?.status !== 'finished'; waited += 100) {
        await new Promise((r) => setTimeout(r, 100));
        await embeddedRunnerFor(db.db).idle();
        pushRun = (await own.GET('/runs', { params: { query: { syncId: h.push.id } } })).data!.items[0];
      }
      const { data } = await own.GET('/runs/{runId}/changes', { params: { path: { runId: pushRun!.id } } });
      expect(data!.items).toEqual([
        {
          changeId: expect.stringMatching(/^chg_/) as string,
          objectId: created.data!.id,
          outcome: 'sent',
          updatedAt: expect.any(String) as string,
        },
      ]);
      expect(mailing.read().people).toEqual([expect.objectContaining({ name: 'Ada' })]);
      // A run that pulls delivered no changes.
      const pulled = await api.GET('/runs/{runId}/changes', { params: { path: { runId: firstRunId } } });
      expect(pulled.data!.items).toEqual([]);
    } finally {
      await mailing.stop();
    }
  });
});
