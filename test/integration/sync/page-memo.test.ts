// Page memos in real runs (core/page-memo.ts): json-server pages into the register through the API. A
// page read again exactly as before is decided from its memo — no contract looked up, no object hashed
// — and anything that could make one of its objects due for a write sends the page the whole way: the
// object changed, its contract changed behind the run's back, or the synchronisation was edited. A page
// decided from its memo is not even parsed: the listing recognises its answer by the digest.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  contractReadColumns,
  contracts,
  objects,
  ofSynchronisation,
  pageMemos,
  synchronisations,
} from '@/server/db/schema';
import { DECIDED_FROM_MEMO } from '@/server/sync/core/page-memo';
import { createTestDatabase, recordStatements, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';

// How many answers were parsed: every REST answer is read by parseBody.
const parsed = vi.hoisted(() => ({ bodies: 0 }));
vi.mock('@/server/sync/http/body', async (original) =>
  (await import('../helpers/parse-count')).countingParses(await original(), parsed),
);

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;
// Every statement the database is sent, as its text: what the runs ask of it.
const statements: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  recordStatements(db.client, statements);
  peer = await startJsonServer({ people: people(45) });
  s = await restToRegister(db.db, peer.url);
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

const run = async (mode?: { force?: boolean; test?: boolean }) => {
  statements.length = 0;
  parsed.bodies = 0;
  const result = await runThroughApi(s.api, s.orgId, s.sync.id, mode);
  const count = (test: (sql: string) => boolean) => statements.filter(test).length;
  return {
    result,
    lookups: count(isLookup),
    checks: count(isCheck),
    asks: count(isAsk),
    walks: count(isWalk),
    parses: parsed.bodies,
  };
};
// A page's contract lookup: in full, or (on a page its memo could not decide) with the skip check that
// returns only the contracts due for more than a check in full.
const isLookup = (sql: string) =>
  sql.includes('json_group_array(json_array(origin_id') || sql.includes('ELSE json_array(origin_id');
// Deletion planning's walk over the contracts' origin ids (contract-store.ts unseenIds).
const isWalk = (sql: string) =>
  sql.includes('SELECT json_group_array(origin_id) AS ids FROM (SELECT origin_id');
// A page's check against its memo; and the question to the page's contracts that a stamp spares.
const isCheck = (sql: string) => sql.includes('FROM page_memos') && sql.includes('AS stamped');
const isAsk = (sql: string) => sql.includes('FROM page_memos') && sql.includes('CROSS JOIN contracts');
const memos = () =>
  db.db
    .select({
      page: pageMemos.page,
      digest: pageMemos.digest,
      writtenAt: pageMemos.writtenAt,
      answer: pageMemos.answer,
    })
    .from(pageMemos)
    .innerJoin(synchronisations, eq(synchronisations.seq, pageMemos.syncSeq))
    .where(eq(synchronisations.id, s.sync.id))
    .orderBy(pageMemos.page);
/** The pages the run's timeline says were decided from their memos. */
const memoPages = async (runId: string) => {
  const { rows } = await s.api.runs.timeline({ orgId: s.orgId, runId, page: 1, pageSize: 50 });
  return rows.filter((l) => l.kind === 'page' && l.detail === DECIDED_FROM_MEMO).map((l) => l.page);
};
const send = (method: string, path: string, body?: unknown) =>
  fetch(`${peer.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const setContract = (originId: string, values: Partial<typeof contracts.$inferInsert>) =>
  db.db
    .update(contracts)
    .set(values)
    .where(and(ofSynchronisation(s.sync.id), eq(contracts.originId, originId)));

describe('page memos', () => {
  it('are written by the first run, one per page, from the answers as received', async () => {
    const first = await run();
    expect(first.result).toMatchObject({ result: 'success', created: 45, pagesFetched: 5 });
    expect(first.parses).toBe(5);
    const rows = await memos();
    expect(rows.map((m) => m.page)).toEqual([1, 2, 3, 4, 5]);
    // The REST answer's own digest ('s:'), not the objects serialised again ('o:').
    expect(rows.every((m) => m.digest.startsWith('s:'))).toBe(true);
    // With what the listing read of the answer besides its objects (json-server: its Link header only,
    // so the body's skeleton is the empty list), and the page's ids.
    expect(JSON.parse(rows[1]!.answer!)).toEqual({
      skeleton: [],
      count: 10,
      fingerprint: expect.any(String) as string,
      ids: ['11', '12', '13', '14', '15', '16', '17', '18', '19', '20'],
    });
  });

  it('decide an unchanged re-run without looking up a contract, and leave everything as it was', async () => {
    const before = await memos();
    const contractsBefore = await db.db
      .select(contractReadColumns)
      .from(contracts)
      .where(ofSynchronisation(s.sync.id));
    const again = await run();
    expect(again.result).toMatchObject({ result: 'success', found: 45, skipped: 45, created: 0, updated: 0 });
    expect(again.checks).toBe(5);
    expect(again.lookups).toBe(0);
    // Every answer recognised by its digest: none parsed.
    expect(again.parses).toBe(0);
    // The first run stamped each memo as it wrote the page's contracts: nothing written since, nothing asked.
    expect(again.asks).toBe(0);
    // The run's timeline says so, page by page.
    expect(await memoPages(again.result.id)).toEqual([1, 2, 3, 4, 5]);
    expect(await memos()).toEqual(before);
    expect(
      await db.db.select(contractReadColumns).from(contracts).where(ofSynchronisation(s.sync.id)),
    ).toEqual(contractsBefore);
  });

  it('send a changed page the whole way, and only that page, whose memo follows the change', async () => {
    const before = await memos();
    await send('PATCH', '/people/13', { name: 'Person thirteen' });
    const next = await run();
    expect(next.result).toMatchObject({ found: 45, updated: 1, skipped: 44 });
    expect(next.lookups).toBe(1);
    expect(next.parses).toBe(1);
    // Page 1 by its stamp; page 2's update took every stamp back, so pages 3 to 5 asked their contracts
    // and were stamped again — as was page 2's new memo when it was written (the fourth question).
    expect(next.asks).toBe(4);
    expect(await memoPages(next.result.id)).toEqual([1, 3, 4, 5]);
    const after = await memos();
    expect(after.filter((m, i) => m.digest !== before[i]!.digest).map((m) => m.page)).toEqual([2]);
    // Page 1, stamped before that update, asks once more; then nothing is asked at all.
    expect(await run()).toMatchObject({ lookups: 0, asks: 1 });
    expect(await run()).toMatchObject({ lookups: 0, asks: 0 });
  });

  it('write an object again whose contract changed behind the runs, its page unchanged', async () => {
    // As a failed write leaves a contract; as a target that lost its hash; as a contract removed.
    await setContract('4', { status: 'failed', lastError: 'The target did not answer' });
    await setContract('27', { targetHash: null });
    await db.db.delete(contracts).where(and(ofSynchronisation(s.sync.id), eq(contracts.originId, '41')));
    const next = await run();
    expect(next.result).toMatchObject({ found: 45, skipped: 42, created: 1 });
    expect(next.result.updated + next.result.rewritten).toBe(2);
    // Pages 1, 3 and 5 went the whole way; 2 and 4 were decided from their memos. Each of the three
    // was recognised by its answer and then, its memo not enough, parsed.
    expect(next.lookups).toBe(3);
    expect(next.parses).toBe(3);
    // Contracts written behind the runs' backs took every stamp back: each page asked its contracts.
    expect(next.asks).toBe(5);
    const rows = await db.db.select(contractReadColumns).from(contracts).where(ofSynchronisation(s.sync.id));
    expect(rows.filter((c) => ['4', '27', '41'].includes(c.originId))).toEqual([
      expect.objectContaining({ status: 'synced', lastError: null }),
      expect.objectContaining({ status: 'synced', targetHash: expect.any(String) as string }),
      expect.objectContaining({ status: 'synced', lastAction: 'create' }),
    ]);
    // That run's writes took back the stamps of the pages before them; asked once, stamped again.
    expect(await run()).toMatchObject({ lookups: 0, checks: 5 });
    expect(await run()).toMatchObject({ lookups: 0, checks: 5, asks: 0 });
  });

  it('are not trusted after the synchronisation is edited, nor in a forced or a dry run', async () => {
    // A new name changes nothing a run reads or writes (services/sync-config-edits.ts): still trusted.
    await s.api.synchronisations.update({
      orgId: s.orgId,
      syncId: s.sync.id,
      ...s.input,
      name: 'People, renamed',
    });
    expect((await run()).lookups).toBe(0);
    // Its deletion threshold is how it synchronises, though what each object makes stays the same.
    await s.api.synchronisations.update({
      orgId: s.orgId,
      syncId: s.sync.id,
      ...s.input,
      name: 'People, renamed',
      deleteThreshold: 0.6,
    });
    const edited = await run();
    // Every page the whole way: what the objects make is unchanged, so each contract takes the check.
    expect(edited.result).toMatchObject({ found: 45, skipped: 45 });
    expect(edited.lookups).toBe(5);
    expect(edited.parses).toBe(5);
    const checked = await db.db
      .select(contractReadColumns)
      .from(contracts)
      .where(ofSynchronisation(s.sync.id));
    expect(checked.every((c) => c.sourceLastChecked?.getTime() === edited.result.startedAt?.getTime())).toBe(
      true,
    );
    expect((await run()).lookups).toBe(0);

    const forced = await run({ force: true });
    expect(forced.result).toMatchObject({ rewritten: 45, skipped: 0 });
    expect(forced).toMatchObject({ checks: 0, lookups: 5, parses: 5 });

    await send('PATCH', '/people/44', { name: 'Person forty-four' });
    const dry = await run({ test: true });
    expect(dry.result).toMatchObject({ test: true, updated: 1, skipped: 44 });
    expect(dry).toMatchObject({ checks: 0, lookups: 5, parses: 5 });
  });

  it('plan the deletions of a run decided from its memos without walking every contract, and still find one no page listed', async () => {
    // The change the dry run above left unwritten is written first.
    expect((await run()).result).toMatchObject({ updated: 1, skipped: 44 });
    const unchanged = await run();
    expect(unchanged.result).toMatchObject({ found: 45, skipped: 45, deleted: 0 });
    expect(unchanged).toMatchObject({ lookups: 0, walks: 0 });
    // A contract whose object no page holds (made behind the runs' back): one active contract more than
    // the run listed, so the contracts are walked and it is found gone from the source.
    const [model] = await db.db
      .select(contractReadColumns)
      .from(contracts)
      .where(ofSynchronisation(s.sync.id))
      .limit(1);
    const { seq: _seq, id: _id, ...rest } = model!;
    const [copied] = await db.db.select().from(objects).where(eq(objects.id, model!.targetId!));
    await db.db.insert(objects).values({ ...copied!, id: 'obj_gone1' });
    await db.db.insert(contracts).values({ ...rest, originId: 'gone-1', targetId: 'obj_gone1' });
    const next = await run();
    expect(next.walks).toBeGreaterThan(0);
    expect(next.result).toMatchObject({ found: 45, skipped: 45, deleted: 1 });
    const [gone] = await db.db
      .select({ status: contracts.status })
      .from(contracts)
      .where(and(ofSynchronisation(s.sync.id), eq(contracts.originId, 'gone-1')));
    expect(gone?.status).toBe('deleted');
    const [object] = await db.db.select().from(objects).where(eq(objects.id, 'obj_gone1'));
    // Gone from the register (removed, or marked deleted).
    expect(object === undefined || object.deletedAt !== null).toBe(true);
    // As many active contracts as listed objects again: no walk.
    expect(await run()).toMatchObject({ walks: 0, lookups: 0 });
  });
});

describe('recalled answers', () => {
  const memoOf = async (page: number) =>
    (await memos()).find((m) => m.page === page) ?? { page, digest: null, answer: null };
  const setAnswer = (page: number, answer: string | null) =>
    db.db
      .update(pageMemos)
      .set({ answer })
      .where(
        and(
          eq(pageMemos.page, page),
          eq(
            pageMemos.syncSeq,
            db.db
              .select({ seq: synchronisations.seq })
              .from(synchronisations)
              .where(eq(synchronisations.id, s.sync.id)),
          ),
        ),
      );

  it('are not recalled from facts this version cannot read: the page is parsed, and decided as before', async () => {
    expect(await run()).toMatchObject({ parses: 0, lookups: 0 });
    const kept = (await memoOf(3)).answer!;
    const facts = JSON.parse(kept) as { ids: string[] };
    for (const unreadable of [
      'not JSON',
      'null',
      JSON.stringify({ ...facts, count: 0, ids: [] }),
      JSON.stringify({ ...facts, ids: facts.ids.slice(1) }),
      JSON.stringify({ ...facts, count: 'ten' }),
    ]) {
      await setAnswer(3, unreadable);
      const next = await run();
      expect(next.result, unreadable).toMatchObject({
        result: 'success',
        found: 45,
        skipped: 45,
        deleted: 0,
      });
      expect(next, unreadable).toMatchObject({ parses: 1, lookups: 0 });
      expect(await memoPages(next.result.id)).toEqual([1, 2, 3, 4, 5]);
    }
    await setAnswer(3, kept);
    expect(await run()).toMatchObject({ parses: 0 });
  });

  it('forget the memo of an answer that no longer reads as when it was kept, and the next run reads it afresh', async () => {
    // As a new version of a parser would read the same bytes: other objects than the memo's.
    const kept = (await memoOf(2)).answer!;
    await setAnswer(2, JSON.stringify({ ...(JSON.parse(kept) as object), fingerprint: 'read otherwise' }));
    // A contract of the page changed behind the runs: the memo alone does not decide it, its objects are read.
    await setContract('13', { targetHash: null });
    const failed = await run();
    expect(failed.result).toMatchObject({ result: 'error', deleted: 0 });
    expect(JSON.stringify(failed.result)).toContain('Page 2');
    expect(JSON.stringify(failed.result)).toContain('no longer reads as when its memo was kept');
    expect(await memoOf(2)).toMatchObject({ digest: null });
    const next = await run();
    expect(next.result).toMatchObject({ result: 'success', found: 45, skipped: 44, deleted: 0 });
    expect(next.result.updated + next.result.rewritten).toBe(1);
    expect(next.parses).toBe(1);
    expect(JSON.parse((await memoOf(2)).answer!)).toEqual(JSON.parse(kept));
    expect(await run()).toMatchObject({ parses: 0, lookups: 0 });
  });
});
