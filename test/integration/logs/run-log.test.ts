// The run log as an operator reads it, against a real json-server: the timeline (each page with its
// URL, status, time and objects; the retries after a 500 and a 429 with their reasons; the deletion
// phase), written once even when steps run again; identical errors grouped with counts and examples;
// the entries filtered and searched; the download (NDJSON, CSV) behind the organisation gate; and the
// total the source reports, kept on the run.
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import type * as NextAuth from 'next-auth';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GET } from '@/app/api/orgs/[orgId]/runs/[runId]/entries/route';
import type * as DbClient from '@/server/db/client';
import { runEvents } from '@/server/db/schema';
import { requestRun } from '@/server/services/runs';
import { executeRun } from '@/server/sync/run/execute';
import type { StepRunner } from '@/server/sync/ports';
import { callerFor, createOwner } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { directoryWithGaps, NO_NAME } from '../helpers/people';
import { FAST_HTTP, restToRegister, runDirect } from '../helpers/sync-setup';

// The download route runs for real: its session is the one the test sets, its database the test's.
const session: { userId: string | null } = { userId: null };
let db: TestDatabase;
vi.mock('next-auth', async (importOriginal) => ({
  ...(await importOriginal<typeof NextAuth>()),
  // A cookie of a sign-in: it names the user and a session recorded for them.
  getServerSession: vi.fn(async () => {
    if (!session.userId) return null;
    const { startSession } = await import('@/server/auth/sessions');
    return { userId: session.userId, sessionId: await startSession(db.db, session.userId) };
  }),
}));
vi.mock('@/server/db/client', async (importOriginal) => ({
  ...(await importOriginal<typeof DbClient>()),
  getDb: () => db.db,
}));

let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;
let run: Awaited<ReturnType<typeof runDirect>>;

const INVALID_IDS = [...NO_NAME, '23', '5'].sort();

const timelineOf = async (runId: string) =>
  (await s.api.runs.timeline({ orgId: s.orgId, runId, pageSize: 500 })).rows;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: directoryWithGaps() });
  s = await restToRegister(db.db, peer.url, { sourceEndpoint: '/people?_page=1&_limit=10' });
  // The key in the query is the source's secret query parameter (never in the endpoint, which is shown).
  await s.api.sources.update({
    orgId: s.orgId,
    sourceId: s.source.id,
    secrets: { 'query:api_key': 's3cret' },
  });
  // Page 2 fails once with a 500 and page 3 is rate limited once: both are tried again and succeed.
  await peer.faults([
    { path: '/people', page: 2, status: 500, body: { message: 'boom' }, times: 1 },
    { path: '/people', page: 3, status: 429, body: { message: 'slow down' }, times: 1 },
  ]);
  run = await runDirect(db.db, s.orgId, s.sync.id);
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

describe('the timeline', () => {
  it('has a line per page with its masked URL, status, time and objects, and the retries with their reasons', async () => {
    expect(run).toMatchObject({ result: 'warning', found: 25, invalid: 8, pagesFetched: 3 });
    const lines = await timelineOf(run.id);
    const pages = lines.filter((l) => l.kind === 'page');
    expect(pages.map((l) => [l.page, l.status, l.objects])).toEqual([
      [1, 200, 10],
      [2, 200, 10],
      [3, 200, 5],
    ]);
    for (const [i, line] of pages.entries()) {
      expect(line.url).toContain(`_page=${i + 1}`);
      // The source's secret key in the query: nothing of it reaches the log.
      expect(line.url).not.toContain('s3cret');
      expect(line.durationMs).toBeGreaterThanOrEqual(0);
    }
    const retries = lines.filter((l) => l.kind === 'retry');
    expect(retries.map((l) => [l.page, l.status, l.data?.['cause'], l.data?.['attempt']])).toEqual([
      [2, 500, 'server', 1],
      [3, 429, 'rate-limit', 1],
    ]);
    expect(retries[0]!.detail).toContain('500');
    expect(retries.every((l) => typeof l.waitMs === 'number')).toBe(true);
    // Each retry comes just before the page it delayed; the listing's end and the deletion plan last.
    expect(lines.map((l) => l.kind)).toEqual([
      'page',
      'retry',
      'page',
      'retry',
      'page',
      'listing-end',
      'deletion-plan',
    ]);
    expect(lines.at(-2)!.detail).toBe('The listing is complete: 3 pages read.');
    expect(lines.at(-1)!.detail).toBe('No deletions: every object is still at the source.');
    // json-server's X-Total-Count, kept on the run and shown on the first page's line.
    expect(run.expectedTotal).toBe(25);
    expect(pages[0]!.data).toEqual({ total: 25 });
  });

  it('does not repeat lines when every step runs twice (a step retried after its writes)', async () => {
    const { run: queued } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
    const twice: StepRunner = {
      run: async (_id, fn) => {
        await fn();
        return fn();
      },
    };
    await executeRun(db.db, queued.id, twice, { urlPolicy: { allowPrivateNetworks: true }, http: FAST_HTTP });
    const lines = await timelineOf(queued.id);
    expect(lines.filter((l) => l.kind === 'page').map((l) => l.page)).toEqual([1, 2, 3]);
    expect(lines.filter((l) => l.kind === 'deletion-plan')).toHaveLength(1);
    const stored = await db.db.select().from(runEvents).where(eq(runEvents.runId, queued.id));
    expect(stored).toHaveLength(lines.length);
  });

  it('shows a page that failed for good, with its retries, and no deletion', async () => {
    // (The spent faults of the first run go first: the middleware takes the first that matches.)
    await peer.clearFaults();
    await peer.faults([{ path: '/people', page: 2, status: 503, body: 'down', times: 5 }]);
    try {
      const failed = await runDirect(db.db, s.orgId, s.sync.id);
      expect(failed.complete).toBe(false);
      const lines = await timelineOf(failed.id);
      expect(lines.map((l) => l.kind)).toEqual([
        'page',
        'retry',
        'page-failed',
        'listing-end',
        'deletion-plan',
      ]);
      const bad = lines.find((l) => l.kind === 'page-failed')!;
      expect(bad).toMatchObject({ page: 2, status: 503 });
      expect(bad.detail).toContain('503');
      expect(lines.at(-1)!.detail).toBe('No deletions: the listing was not complete.');
    } finally {
      await peer.clearFaults();
    }
  });
});

describe('errors grouped and the entries filtered', () => {
  it('makes one group per reason with its count and examples linked to contracts', async () => {
    const { groups } = await s.api.runs.entryGroups({ orgId: s.orgId, runId: run.id });
    expect(groups.map((g) => [g.action, g.count])).toEqual([
      ['invalid', 6],
      ['invalid', 2],
    ]);
    const [noName, noEmail] = groups;
    expect(noName!.reason).toContain('name');
    expect(noEmail!.reason).toContain('email');
    expect(noName!.examples).toHaveLength(5);
    expect(noName!.examples.every((e) => NO_NAME.includes(e.originId) && e.contractId !== null)).toBe(true);
    expect(noEmail!.examples.map((e) => e.originId).sort()).toEqual(['23', '5']);
    const { rows: contracts } = await s.api.contracts.list({
      orgId: s.orgId,
      syncId: s.sync.id,
      search: '5',
    });
    expect(noEmail!.examples.find((e) => e.originId === '5')!.contractId).toBe(
      contracts.find((c) => c.originId === '5')!.id,
    );
  });

  it('filters the entries by action, by a group reason, and by a text in the id or the reason', async () => {
    const base = { orgId: s.orgId, runId: run.id };
    expect((await s.api.runs.entries({ ...base, action: 'invalid' })).total).toBe(8);
    expect((await s.api.runs.entries({ ...base, action: 'failed' })).total).toBe(0);
    const { groups } = await s.api.runs.entryGroups(base);
    const byReason = await s.api.runs.entries({ ...base, reason: groups[1]!.reason! });
    expect(byReason.rows.map((r) => r.originId).sort()).toEqual(['23', '5']);
    const byId = await s.api.runs.entries({ ...base, search: '16' });
    expect(byId.rows.map((r) => r.originId)).toEqual(['16']);
    // LIKE's wildcards are taken literally.
    expect((await s.api.runs.entries({ ...base, search: '%' })).total).toBe(0);
    expect((await s.api.runs.entries({ ...base, search: 'EMAIL' })).total).toBe(2);
  });
});

describe('the download', () => {
  const download = (query: string, runId = run.id, orgId = s.orgId) =>
    GET(new Request(`http://concord.test/api/orgs/${orgId}/runs/${runId}/entries?${query}`), {
      params: Promise.resolve({ orgId, runId }),
    });

  it('streams the entries as NDJSON and as CSV to a member, with the filters of the list', async () => {
    session.userId = s.owner.user.id;
    const ndjson = await download('format=ndjson');
    expect(ndjson.status).toBe(200);
    expect(ndjson.headers.get('content-type')).toContain('application/x-ndjson');
    expect(ndjson.headers.get('content-disposition')).toContain(`run-${run.id}-entries.ndjson`);
    const lines = (await ndjson.text())
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(8);
    expect(lines.every((l) => l['action'] === 'invalid' && typeof l['reason'] === 'string')).toBe(true);
    expect(lines.map((l) => l['originId']).sort()).toEqual(INVALID_IDS);

    const csv = await download('format=csv&search=email');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = (await csv.text()).trimEnd().split('\r\n');
    expect(rows[0]).toBe('action,originId,targetId,reason,batch,at,data');
    expect(rows).toHaveLength(3);
    expect(
      rows
        .slice(1)
        .map((r) => r.split(',')[1])
        .sort(),
    ).toEqual(['23', '5']);
  });

  it("answers 401 without a session, 404 to a non-member and for another organisation's run, 400 for a bad format", async () => {
    session.userId = null;
    expect((await download('format=csv')).status).toBe(401);
    const outsider = await createOwner(db.db);
    session.userId = outsider.user.id;
    expect((await download('format=csv')).status).toBe(404);
    // A member of another organisation asking for this run under their own organisation's id.
    expect((await download('format=csv', run.id, outsider.org.id)).status).toBe(404);
    session.userId = s.owner.user.id;
    expect((await download('format=xlsx')).status).toBe(400);
  });
});

describe('logs across runs', () => {
  it('filters by synchronisation, result, trigger and dates, and pages on the server', async () => {
    const all = await s.api.runs.search({ orgId: s.orgId });
    expect(all.total).toBe(3);
    // Two runs ended with a warning (invalid objects), one with an error (a page that failed for good).
    const warnings = await s.api.runs.search({ orgId: s.orgId, result: 'warning' });
    expect(warnings.rows.every((r) => r.run.result === 'warning')).toBe(true);
    expect(warnings.total).toBe(2);
    const errors = await s.api.runs.search({ orgId: s.orgId, result: 'error' });
    expect(errors.rows.map((r) => r.run.complete)).toEqual([false]);
    expect((await s.api.runs.search({ orgId: s.orgId, result: 'success' })).total).toBe(0);
    expect((await s.api.runs.search({ orgId: s.orgId, trigger: 'manual' })).total).toBe(3);
    expect((await s.api.runs.search({ orgId: s.orgId, trigger: 'schedule' })).total).toBe(0);
    expect((await s.api.runs.search({ orgId: s.orgId, syncId: s.sync.id })).total).toBe(3);
    expect((await s.api.runs.search({ orgId: s.orgId, syncId: 'syn_nothing' })).total).toBe(0);
    const tomorrow = new Date(Date.now() + 86_400_000);
    expect((await s.api.runs.search({ orgId: s.orgId, from: tomorrow })).total).toBe(0);
    expect((await s.api.runs.search({ orgId: s.orgId, to: tomorrow })).total).toBe(3);
    const first = await s.api.runs.search({ orgId: s.orgId, pageSize: 2 });
    const second = await s.api.runs.search({ orgId: s.orgId, pageSize: 2, page: 2 });
    expect(first.rows).toHaveLength(2);
    expect(second.rows).toHaveLength(1);
    expect(second.total).toBe(3);
    expect(new Set([...first.rows, ...second.rows].map((r) => r.run.id)).size).toBe(3);
    // Newest first.
    expect(first.rows[0]!.run.createdAt.getTime()).toBeGreaterThanOrEqual(
      second.rows[0]!.run.createdAt.getTime(),
    );
  });

  it('refuses a non-member', async () => {
    const outsider = await createOwner(db.db);
    const refused = await callerFor(db.db, outsider.user)
      .runs.search({ orgId: s.orgId })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe('NOT_FOUND');
    const timeline = await callerFor(db.db, outsider.user)
      .runs.timeline({ orgId: outsider.org.id, runId: run.id })
      .catch((e: unknown) => e);
    expect((timeline as TRPCError).code).toBe('NOT_FOUND');
  });
});
