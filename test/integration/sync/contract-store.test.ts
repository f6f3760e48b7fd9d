// The libSQL contract store against a migrated file database, its writes and reads: upserts that
// replace by origin id, skips that only mark the check, and one lookup per page with the ids the run's
// other pages listed. Everything is read back through drizzle. The stored source object (kept, cleared,
// JSONB): contract-store-origin-data.test.ts; deletion planning, query plans, large pages and unusual
// ids: contract-store-planning.test.ts.
import type { InValue } from '@libsql/client';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runListed, synchronisations } from '@/server/db/schema';
import { createContractStore } from '@/server/sync/stores/contract-store';
import { forgetListedIds, listedTest, recordListed } from '@/server/sync/stores/listed-ids';
import {
  at,
  byOriginId,
  openStoreFixture,
  rowReaders,
  sleep,
  sorted,
  state,
  stateOf,
  withoutData,
  type StoreOrg,
} from '../helpers/contract-store-fixture';
import type { TestDatabase } from '../helpers/database';

let db: TestDatabase;
let orgA: StoreOrg;
let orgB: StoreOrg;
beforeAll(async () => {
  ({ db, orgA, orgB } = await openStoreFixture());
});
afterAll(() => db.close());
const { rowsOf, rowOf } = rowReaders(() => db);

describe('upsert', () => {
  it('inserts new contracts with every field and replaces them by origin id, keeping id and creation', async () => {
    const { syncId, store } = await orgA.sync();
    const parent = state('p-1', {
      originData: {
        id: 'p-1',
        nested: { list: [1, 2.5, -3e-7], flag: false, none: null },
        text: 'Zoë 東京 🙂',
      },
    });
    const child = state('p-1/c-1', {
      parentOriginId: 'p-1',
      targetId: null,
      targetHash: null,
      status: 'failed',
      lastAction: 'update',
      lastError: 'Target said 422: "name" is required',
      sourceLastSynced: null,
      targetLastChanged: null,
      targetLastChecked: null,
      targetLastSynced: null,
      originData: ['a', 1, true],
    });
    await store.upsert([parent, child]);

    const [parentRow, childRow] = await rowsOf(syncId);
    expect(stateOf(parentRow!)).toEqual(parent);
    expect(stateOf(childRow!)).toEqual(child);
    const [sync] = await db.db
      .select({ seq: synchronisations.seq })
      .from(synchronisations)
      .where(eq(synchronisations.id, syncId));
    for (const row of [parentRow!, childRow!]) {
      // The synchronisation by its number, the contract's only link to it (migration 0037).
      expect(row).toMatchObject({ syncSeq: sync!.seq });
      expect(row.id).toMatch(/^con_/);
      expect(row.createdAt).toBeInstanceOf(Date);
      expect(row.updatedAt).toBeInstanceOf(Date);
    }
    expect(parentRow!.id).not.toBe(childRow!.id);
    expect(parentRow!.sourceLastChanged).toBeInstanceOf(Date);

    await sleep(5);
    const replaced = state('p-1', {
      parentOriginId: 'root',
      targetId: 'obj_other',
      originHash: 'origin-hash-2',
      targetHash: 'target-hash-2',
      status: 'held',
      lastAction: 'hold',
      lastError: 'Waiting for approval',
      sourceLastChanged: at(11),
      sourceLastChecked: null,
      sourceLastSynced: at(13),
      targetLastChanged: at(14),
      targetLastChecked: at(15),
      targetLastSynced: null,
      originData: { id: 'p-1', version: 2 },
    });
    await store.upsert([replaced]);

    const rows = await rowsOf(syncId);
    expect(rows).toHaveLength(2);
    const after = await rowOf(syncId, 'p-1');
    expect(stateOf(after)).toEqual(replaced);
    expect(after.id).toBe(parentRow!.id);
    expect(after.createdAt).toEqual(parentRow!.createdAt);
    expect(after.updatedAt.getTime()).toBeGreaterThan(parentRow!.updatedAt.getTime());
    expect(stateOf(await rowOf(syncId, 'p-1/c-1'))).toEqual(child);
  });

  it('writes each row its own values whether a column is the same across the batch or not', async () => {
    const { syncId, store } = await orgA.sync();
    // Same status and check time everywhere; actions, errors and target ids (one null) differ.
    const states = [
      state('a', { lastAction: 'create', targetId: null, targetHash: null }),
      state('b', { lastAction: 'update', lastError: null, sourceLastChanged: at(9) }),
      state('c', { lastAction: 'reject', status: 'synced', lastError: 'too long', parentOriginId: 'a' }),
    ];
    await store.upsert(states);
    expect((await rowsOf(syncId)).map(stateOf)).toEqual(states);
    // And again with every column but the ids the same in all rows.
    const same = ['d', 'e'].map((id) => state(id, { targetId: 't', originHash: 'h', targetHash: 'h' }));
    await store.upsert(same);
    expect((await rowsOf(syncId)).map(stateOf).slice(3)).toEqual(same);
  });

  it('writes all of a call or nothing: a row the database refuses in the last statement undoes the others', async () => {
    const { syncId, store } = await orgA.sync();
    await store.upsert([state('kept', { originHash: 'before' })]);
    // Over the internal chunk size with origin data, plus states without it: several statements.
    const page = Array.from({ length: 2_500 }, (_, i) => state(`n${i}`));
    const refused = withoutData(state('refused', { status: null as never }));
    const keptAgain = withoutData(state('kept', { originHash: 'after' }));
    await expect(store.upsert([...page, keptAgain, refused])).rejects.toThrow(/NOT NULL/);
    const rows = await rowsOf(syncId);
    expect(rows.map((r) => [r.originId, r.originHash])).toEqual([['kept', 'before']]);

    await expect(store.upsert([state('alone', { status: null as never })])).rejects.toThrow(/NOT NULL/);
    expect(await rowsOf(syncId)).toHaveLength(1);
  });

  it('writes nothing for an empty list', async () => {
    const { syncId, store } = await orgA.sync();
    await store.upsert([]);
    expect(await rowsOf(syncId)).toEqual([]);
  });
});

describe('another organisation', () => {
  it('finds no contract when another organisation builds a store for the same synchronisation id', async () => {
    const mine = await orgA.sync();
    await mine.store.upsert([state('x', { status: 'synced', lastAction: 'update' })]);
    const intruder = createContractStore(db.db, orgB.orgId, mine.syncId);
    expect((await intruder.lookup({ runId: 'run_none', page: 1, originIds: ['x'] })).contracts).toEqual([]);
  });

  it("changes nothing of another organisation's synchronisation, nor counts its contracts as unseen", async () => {
    const mine = await orgA.sync();
    const kept = state('x', { status: 'synced', lastAction: 'update' });
    await mine.store.upsert([kept]);
    const intruder = createContractStore(db.db, orgB.orgId, mine.syncId);
    const copies = async () =>
      (await db.client.execute('SELECT count(*) AS n, sum(live) AS live FROM source_copies')).rows[0];
    const copiesBefore = await copies();
    // The same synchronisation and origin id, and a new one: the synchronisation is looked up among the
    // store's own organisation's only, so neither is written (a contract holds no organisation of its
    // own, migration 0043) nor their source objects kept, and the write fails loudly instead.
    await expect(
      intruder.upsert([state('x', { status: 'failed', lastAction: 'reject', lastError: 'taken over' })]),
    ).rejects.toThrow(/NOT NULL constraint failed: source_copies\.sync_seq/);
    await expect(
      intruder.upsert([withoutData(state('x', { status: 'failed', lastAction: 'reject' }))]),
    ).rejects.toThrow(/NOT NULL constraint failed: contracts\.sync_seq/);
    await expect(intruder.upsert([state('y', { status: 'synced', lastAction: 'create' })])).rejects.toThrow(
      /NOT NULL/,
    );
    expect(await copies()).toEqual(copiesBefore);
    const rows = await rowsOf(mine.syncId);
    expect(rows).toHaveLength(1);
    expect(stateOf(rows[0]!)).toEqual(kept);
    const run = await mine.newRun();
    expect(await intruder.countUnseen({ runId: run, onlyOriginIds: null })).toBe(0);
    expect(await mine.store.countUnseen({ runId: run, onlyOriginIds: null })).toBe(1);
  });
});

describe('the ledger of listed ids after a restart', () => {
  it('answers the same from the database alone, and sees pages another process recorded', async () => {
    const { store, newRun } = await orgA.sync();
    const run = await newRun();
    await store.markSeen({ runId: run, page: 1, originIds: ['a', 'b'] });
    await store.markSeen({ runId: run, page: 2, originIds: ['c'] });
    // A new process: nothing in memory, the step of page 2 repeated, then page 3.
    forgetListedIds(run);
    const ids = ['a', 'b', 'c', 'd'];
    expect(sorted((await store.lookup({ runId: run, page: 2, originIds: ids })).seenInRun)).toEqual([
      'a',
      'b',
    ]);
    await store.markSeen({ runId: run, page: 2, originIds: ['c', 'd'] });
    expect(sorted((await store.lookup({ runId: run, page: 3, originIds: ids })).seenInRun)).toEqual(ids);

    // Another process records page 3 behind this one's back: the next lookup reads it.
    await db.db.insert(runListed).values({ runId: run, page: 3, n: 1, ids: JSON.stringify(['e']) });
    const later = await store.lookup({ runId: run, page: 4, originIds: ['e', 'f'] });
    expect(later.seenInRun).toEqual(['e']);
  });

  it('catches up with what another process recorded by reading only those pages', async () => {
    const { newRun } = await orgA.sync();
    const run = await newRun();
    // The ledger rows this process reads in full (their ids), page by page.
    const pagesRead: number[] = [];
    const execute = async (sql: string, args: InValue[]) => {
      const result = await db.client.execute({ sql, args });
      if (/SELECT page, n, ids FROM run_listed/.test(sql))
        pagesRead.push(...result.rows.map((r) => Number(r[0])));
      return result;
    };
    const pageIds = (page: number) => Array.from({ length: 50 }, (_, i) => `p${page}-${i}`);
    for (const page of [1, 2, 3]) await recordListed(execute, run, page, pageIds(page));
    expect(pagesRead).toEqual([]);

    // Another worker runs the next steps: page 4, and page 2 again with one more id.
    await db.db.insert(runListed).values({ runId: run, page: 4, n: 50, ids: JSON.stringify(pageIds(4)) });
    const grown = [...pageIds(2), 'p2-late'];
    await db.db
      .update(runListed)
      .set({ n: grown.length, ids: JSON.stringify(grown) })
      .where(and(eq(runListed.runId, run), eq(runListed.page, 2)));

    const listed = await listedTest(execute, run);
    expect(pagesRead.sort()).toEqual([2, 4]);
    for (const page of [1, 2, 3, 4]) expect(pageIds(page).every(listed)).toBe(true);
    expect(listed('p2-late')).toBe(true);
    expect(['p5-0', 'p1-50', 'elsewhere'].some(listed)).toBe(false);

    // Up to date: nothing more is read. A process that holds nothing reads every page.
    pagesRead.length = 0;
    await listedTest(execute, run);
    expect(pagesRead).toEqual([]);
    forgetListedIds(run);
    const fresh = await listedTest(execute, run);
    expect(pagesRead.sort()).toEqual([1, 2, 3, 4]);
    expect(fresh('p2-late') && fresh('p4-49') && !fresh('p5-0')).toBe(true);
  });
});

describe('the ledger of listed ids past a million pages', () => {
  it('finds duplicates on pages whose number the in-memory index cannot hold, and not a page its own', async () => {
    const { store, newRun } = await orgA.sync();
    const run = await newRun();
    // Page numbers from 2^20 - 2 on are kept as "some page" in memory (id-index.ts); the ledger is exact.
    const far = 2 ** 20 + 7;
    await store.markSeen({ runId: run, page: far, originIds: ['x', 'y'] });
    // The step of that page again: its own ids are not duplicates.
    expect((await store.lookup({ runId: run, page: far, originIds: ['x', 'y'] })).seenInRun).toEqual([]);
    await store.markSeen({ runId: run, page: far, originIds: ['x', 'y'] });
    // The next page lists y again: a duplicate, found on every other page's row.
    const next = await store.lookup({ runId: run, page: far + 1, originIds: ['y', 'z'] });
    expect(next.seenInRun).toEqual(['y']);
    await store.markSeen({ runId: run, page: far + 1, originIds: ['y', 'z'] });
    const [row] = await db.db
      .select({ ids: runListed.ids })
      .from(runListed)
      .where(and(eq(runListed.runId, run), eq(runListed.page, far + 1)));
    expect(JSON.parse(row!.ids)).toEqual(['z']);
  });
});

describe('lookup and markSeen', () => {
  it("returns only this synchronisation's asked contracts without origin data, and ids other pages saw", async () => {
    const mine = await orgA.sync();
    const sibling = await orgA.sync();
    const foreign = await orgB.sync();
    const a = state('a', { parentOriginId: 'root', lastError: 'old' });
    const b = state('b', { status: 'invalid', lastAction: 'reject', targetId: null, sourceLastSynced: null });
    await mine.store.upsert([a, b, state('c'), state('not-asked')]);
    await sibling.store.upsert([
      state('a', { originHash: 'sibling' }),
      state('b', { originHash: 'sibling' }),
    ]);
    await foreign.store.upsert([
      state('a', { originHash: 'foreign' }),
      state('x', { originHash: 'foreign' }),
    ]);

    const run = await mine.newRun();
    const otherRun = await mine.newRun();
    await mine.store.markSeen({ runId: run, page: 1, originIds: ['a', 'x'] });
    await mine.store.markSeen({ runId: run, page: 2, originIds: ['b', 'new'] });
    await mine.store.markSeen({ runId: otherRun, page: 1, originIds: ['c', 'b'] });

    const found = await mine.store.lookup({
      runId: run,
      page: 2,
      originIds: ['a', 'b', 'c', 'x', 'new', 'y'],
    });
    expect([...found.contracts].sort(byOriginId)).toEqual([
      withoutData(a),
      withoutData(b),
      withoutData(state('c')),
    ]);
    for (const contract of found.contracts) expect(contract).not.toHaveProperty('originData');
    // a and x were listed on page 1 of this run; b and new on this very page; c only by another run.
    expect(sorted(found.seenInRun)).toEqual(['a', 'x']);

    expect(
      sorted((await mine.store.lookup({ runId: run, page: 3, originIds: ['a', 'b', 'new', 'c'] })).seenInRun),
    ).toEqual(['a', 'b', 'new']);
    // An id a page lists twice finds its contract once.
    const twice = await mine.store.lookup({ runId: run, page: 2, originIds: ['c', 'a', 'c', 'a'] });
    expect(twice.contracts.map((c) => c.originId).sort()).toEqual(['a', 'c']);
    expect(await mine.store.lookup({ runId: run, page: 2, originIds: [] })).toEqual({
      contracts: [],
      seenInRun: [],
    });
  });

  it('records a page twice without change, and the first page that listed an id keeps it', async () => {
    const { store, newRun } = await orgA.sync();
    const run = await newRun();
    await store.markSeen({ runId: run, page: 1, originIds: ['a', 'b'] });
    await store.markSeen({ runId: run, page: 1, originIds: ['a', 'b'] });
    await store.markSeen({ runId: run, page: 2, originIds: ['b', 'c', 'c'] });
    await store.markSeen({ runId: run, page: 2, originIds: [] });

    // One row per page, each id on the first page that listed it.
    const ledger = await db.db
      .select({ page: runListed.page, n: runListed.n, ids: runListed.ids })
      .from(runListed)
      .where(eq(runListed.runId, run))
      .orderBy(asc(runListed.page));
    expect(ledger.map((row) => ({ ...row, ids: sorted(JSON.parse(row.ids) as string[]) }))).toEqual([
      { page: 1, n: 2, ids: ['a', 'b'] },
      { page: 2, n: 1, ids: ['c'] },
    ]);
    const ids = ['a', 'b', 'c'];
    expect(sorted((await store.lookup({ runId: run, page: 1, originIds: ids })).seenInRun)).toEqual(['c']);
    expect(sorted((await store.lookup({ runId: run, page: 2, originIds: ids })).seenInRun)).toEqual([
      'a',
      'b',
    ]);
  });
});
