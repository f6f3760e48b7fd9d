// The libSQL contract store at scale and at its edges: deletion planning (counting and keyset listing of
// what a run did not see), the query plans of the per-page statements, pages larger than the store's
// internal chunks, and origin ids no one would choose but sources send anyway.
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { ContractState } from '@/server/sync/core/contracts';
import { LEDGER_SIGNATURE_SQL } from '@/server/sync/stores/listed-ids';
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
beforeAll(async () => {
  ({ db, orgA } = await openStoreFixture());
});
afterAll(() => db.close());
const { rowsOf, rowOf } = rowReaders(() => db);

describe('deletion planning', () => {
  it('counts active contracts created before a moment, of this synchronisation only', async () => {
    const mine = await orgA.sync();
    const sibling = await orgA.sync();
    await sibling.store.upsert([state('s1'), state('s2')]);
    const start = new Date();
    await sleep(5);
    await mine.store.upsert([
      state('a'),
      state('b', { status: 'failed' }),
      state('c', { status: 'held', lastAction: 'hold' }),
      state('d', { status: 'invalid', lastAction: 'reject' }),
      state('gone', { status: 'deleted', lastAction: 'delete' }),
    ]);
    await sleep(5);
    const between = new Date();
    await sleep(5);
    await mine.store.upsert([
      state('later'),
      state('later-gone', { status: 'deleted', lastAction: 'delete' }),
    ]);
    // Replacing a contract does not make it newer.
    await mine.store.upsert([state('a', { originHash: 'changed' })]);

    expect(await mine.store.countActive({ before: start })).toBe(0);
    expect(await mine.store.countActive({ before: between })).toBe(4);
    expect(await mine.store.countActive({ before: new Date(Date.now() + 60_000) })).toBe(5);
  });

  it('counts instead of walking only when as many contracts are active as the run left listed with one', async () => {
    const mine = await orgA.sync();
    await mine.store.upsert([
      state('a'),
      state('b', { status: 'failed' }),
      state('gone', { status: 'deleted', lastAction: 'delete' }),
    ]);
    const run = await mine.newRun();
    await mine.store.markSeen({ runId: run, page: 1, originIds: ['a', 'b'] });
    // Two listed, each with an active contract, and two active: none unseen, by the count alone.
    expect(await mine.store.countUnseen({ runId: run, onlyOriginIds: null, allListedActive: 2 })).toBe(0);
    // A contract the run did not list: the numbers differ, the walk finds it.
    await mine.store.upsert([state('vanished')]);
    expect(await mine.store.countUnseen({ runId: run, onlyOriginIds: null, allListedActive: 2 })).toBe(1);
    // restrictDeletion always walks (the count is of every contract).
    const only = { runId: run, onlyOriginIds: ['vanished'], allListedActive: 3 };
    expect(await mine.store.countUnseen(only)).toBe(1);
  });

  it('counts and lists the active contracts this run did not see, in origin id order, page by page', async () => {
    const mine = await orgA.sync();
    const sibling = await orgA.sync();
    const ids = ['10', '9', 'B', 'a', 'a-1', 'b', 'c', 'seen', 'z'];
    const states = ids.map((id, i) => state(id, { originHash: `h${i}`, parentOriginId: i % 2 ? 'p' : null }));
    await mine.store.upsert([
      ...states,
      state('deleted', { status: 'deleted', lastAction: 'delete' }),
      state('held', { status: 'held', lastAction: 'hold' }),
    ]);
    await sibling.store.upsert([state('other-sync')]);
    const run = await mine.newRun();
    const otherRun = await mine.newRun();
    await mine.store.markSeen({ runId: run, page: 1, originIds: ['seen', 'not-a-contract'] });
    await mine.store.markSeen({ runId: otherRun, page: 1, originIds: ['a', 'b'] });

    const expected = [
      ...states.filter((s) => s.originId !== 'seen'),
      state('held', { status: 'held', lastAction: 'hold' }),
    ]
      .map(withoutData)
      .sort(byOriginId);
    expect(expected.map((s) => s.originId)).toEqual(['10', '9', 'B', 'a', 'a-1', 'b', 'c', 'held', 'z']);
    expect(await mine.store.countUnseen({ runId: run, onlyOriginIds: null })).toBe(expected.length);

    const listed: ContractState[] = [];
    let after: string | null = null;
    for (let pages = 0; ; pages++) {
      const page = await mine.store.listUnseen({ runId: run, onlyOriginIds: null, after, limit: 4 });
      expect(page.length).toBeLessThanOrEqual(4);
      listed.push(...page);
      if (page.length < 4) break;
      after = page.at(-1)!.originId;
      expect(pages).toBeLessThan(5);
    }
    expect(listed).toEqual(expected);
    for (const contract of listed) expect(contract.originData).toBeUndefined();

    expect(await mine.store.listUnseen({ runId: run, onlyOriginIds: null, after: 'b', limit: 2 })).toEqual(
      expected.filter((s) => s.originId > 'b').slice(0, 2),
    );
    expect(await mine.store.listUnseen({ runId: run, onlyOriginIds: null, after: 'z', limit: 10 })).toEqual(
      [],
    );
  });

  it("walks more contracts than one statement reads, in every active status, past deleted ones, in SQLite's order", async () => {
    const mine = await orgA.sync();
    const ids = Array.from({ length: 25_000 }, (_, i) => `id-${String(i).padStart(5, '0')}`);
    // U+FFFD sorts before an emoji in UTF-8 bytes (SQLite's order), after it in UTF-16 (JavaScript's).
    const odd = ['\u{1F642}', '\uFFFD'];
    // Deleted contracts throughout, and at the edges of the walk's chunks (10,000 ids a statement): the
    // walk passes over them by the range of their own index that each chunk spans.
    const deleted = (i: number) => i % 1000 === 500 || [9_998, 9_999, 10_000, 10_001, 19_999].includes(i);
    const kind = (i: number): Partial<ContractState> =>
      deleted(i)
        ? { status: 'deleted', lastAction: 'delete' }
        : i % 5 === 0
          ? { status: 'failed' }
          : i % 5 === 1
            ? { status: 'held', lastAction: 'hold' }
            : {};
    await mine.store.upsert([...ids, ...odd].map((id, i) => state(id, kind(i))));
    await mine.store.upsert([state('id-00000x', { status: 'deleted', lastAction: 'delete' })]);
    const run = await mine.newRun();
    const seen = ids.filter((_, i) => i % 97 !== 0 && !deleted(i));
    for (let p = 0; p < seen.length; p += 1000)
      await mine.store.markSeen({ runId: run, page: p / 1000 + 1, originIds: seen.slice(p, p + 1000) });

    const unseen = [...ids.filter((_, i) => i % 97 === 0 && !deleted(i)), '\uFFFD', '\u{1F642}'];
    expect(await mine.store.countUnseen({ runId: run, onlyOriginIds: null })).toBe(unseen.length);
    // Pages of 100, and pages cut between the last two (a cut in the wrong order would lose one).
    for (const limit of [100, unseen.length - 1]) {
      const listed: string[] = [];
      for (let after: string | null = null; ;) {
        const page = await mine.store.listUnseen({ runId: run, onlyOriginIds: null, after, limit });
        listed.push(...page.map((c) => c.originId));
        if (page.length < limit) break;
        after = page.at(-1)!.originId;
      }
      expect(listed).toEqual(unseen);
    }
  });

  it('restricts counting and listing to the given origin ids, matched exactly', async () => {
    const { store, newRun } = await orgA.sync();
    await store.upsert([
      state('keep'),
      state('Keep'),
      state('keep-2'),
      state('seen'),
      state('deleted', { status: 'deleted', lastAction: 'delete' }),
      state('only'),
    ]);
    const run = await newRun();
    await store.markSeen({ runId: run, page: 1, originIds: ['seen'] });
    const onlyOriginIds = ['only', 'keep', 'seen', 'deleted', 'missing', 'kee'];

    expect(await store.countUnseen({ runId: run, onlyOriginIds })).toBe(2);
    const listed = await store.listUnseen({ runId: run, onlyOriginIds, after: null, limit: 10 });
    expect(listed.map((s) => s.originId)).toEqual(['keep', 'only']);
    expect(await store.listUnseen({ runId: run, onlyOriginIds, after: 'keep', limit: 10 })).toEqual([
      withoutData(state('only')),
    ]);

    expect(await store.countUnseen({ runId: run, onlyOriginIds: [] })).toBe(0);
    expect(await store.listUnseen({ runId: run, onlyOriginIds: [], after: null, limit: 10 })).toEqual([]);
  });
});

describe('query plans', () => {
  // SQLite picks indexes by heuristics (no statistics): a status filter once made it walk every synced
  // contract of a synchronisation for each page instead of looking up the page's ids. Whatever the
  // statements become, each per-page one must look contracts up by origin id.
  it("finds a page's contracts by origin id in every per-page statement, never by walking the synchronisation", async () => {
    const { store, newRun } = await orgA.sync();
    const ids = Array.from({ length: 2_000 }, (_, i) => `p-${i}`);
    await store.upsert(ids.map((id) => state(id)));
    const run = await newRun();
    const client = db.db.$client;
    const recorded: { sql: string; args: unknown[] }[] = [];
    const execute = client.execute.bind(client);
    const batch = client.batch.bind(client);
    const record = (statement: unknown) => {
      if (typeof statement === 'object' && statement && 'sql' in statement) {
        const { sql, args } = statement as { sql: string; args?: unknown[] };
        recorded.push({ sql, args: args ?? [] });
      }
    };
    client.execute = (statement: Parameters<typeof execute>[0]) => {
      record(statement);
      return execute(statement);
    };
    client.batch = (statements: Parameters<typeof batch>[0], mode) => {
      statements.forEach(record);
      return batch(statements, mode);
    };
    try {
      const page = ids.slice(0, 1_000);
      await store.lookup({ runId: run, page: 1, originIds: page });
      // And as a page its memo could not decide asks it, with the skip check (its contracts `c`).
      const hashes = page.map(() => '0123456789abcdef0123456789abcdef');
      const skipCheck = { hashes, editedAt: at(10), checkedAt: at(30) };
      await store.lookup({ runId: run, page: 1, originIds: page, skipCheck });
      await store.markSeen({ runId: run, page: 1, originIds: page });
      await store.upsert(page.slice(0, 10).map((id) => state(id, { lastAction: 'update' })));
    } finally {
      client.execute = execute;
      client.batch = batch;
    }
    const touchingContracts = recorded.filter(
      (r) => /\bcontracts\b/.test(r.sql) && !/^\s*INSERT/i.test(r.sql),
    );
    expect(touchingContracts.length).toBeGreaterThanOrEqual(1);
    // On a connection of its own: explaining a write leaves that statement open on the connection.
    const explainer = createClient({ url: `file:${db.file}` });
    onTestFinished(() => explainer.close());
    for (const statement of touchingContracts) {
      const plan = await explainer.execute({
        sql: `EXPLAIN QUERY PLAN ${statement.sql}`,
        args: statement.args as never,
      });
      const details = plan.rows.map((row) => row.detail as string);
      const onContracts = details.filter((d) => /\bcontracts\b|^(SEARCH|SCAN) c\b/.test(d));
      expect(onContracts, statement.sql).not.toHaveLength(0);
      for (const detail of onContracts) {
        expect(detail, statement.sql).toMatch(
          /^SEARCH (contracts|c) USING (COVERING )?INDEX contracts_sync_origin \(sync_seq=\? AND origin_id=\?\)/,
        );
      }
    }
  });
});

describe("the ledger's signature", () => {
  it("counts a run's listed pages and ids from an index alone, never reading the pages' rows", async () => {
    const mine = await orgA.sync();
    const run = await mine.newRun();
    for (let page = 1; page <= 3; page++)
      await mine.store.markSeen({ runId: run, page, originIds: [`p${page}-a`, `p${page}-b`] });
    const explainer = createClient({ url: `file:${db.file}` });
    onTestFinished(() => explainer.close());
    const plan = await explainer.execute({ sql: `EXPLAIN QUERY PLAN ${LEDGER_SIGNATURE_SQL}`, args: [run] });
    expect(plan.rows.map((row) => row.detail)).toEqual([
      'SEARCH run_listed USING COVERING INDEX run_listed_counts (run_id=?)',
    ]);
    const counted = await explainer.execute({ sql: LEDGER_SIGNATURE_SQL, args: [run] });
    expect(counted.rows[0]?.[0]).toBe('3:6');
  });
});

describe('large pages', () => {
  it('writes, looks up, marks and checks 5,000 contracts in one call each', async () => {
    const { syncId, store, newRun } = await orgA.sync();
    const ids = Array.from({ length: 5_000 }, (_, i) => `item-${String(i).padStart(5, '0')}`);
    const states = ids.map((id, i) =>
      state(id, { originHash: `h${i}`, originData: { id, n: i, text: 'x'.repeat(200) } }),
    );
    await store.upsert(states);
    const rows = await rowsOf(syncId);
    expect(rows).toHaveLength(5_000);
    expect(rows.map(stateOf)).toEqual(states);

    const run = await newRun();
    const first = await store.lookup({ runId: run, page: 1, originIds: ids });
    expect(first.contracts).toHaveLength(5_000);
    expect([...first.contracts].sort(byOriginId)).toEqual(states.map(withoutData));
    expect(first.seenInRun).toEqual([]);

    await store.markSeen({ runId: run, page: 1, originIds: ids });
    const second = await store.lookup({ runId: run, page: 2, originIds: ids });
    expect(sorted(second.seenInRun)).toEqual(ids);
    expect(await store.countUnseen({ runId: run, onlyOriginIds: null })).toBe(0);

    // The same page again without origin data (what the engine sends after a lookup): all data stays.
    await store.upsert(states.map((s) => withoutData({ ...s, lastAction: 'update', lastError: 'e' })));
    const checked = await rowsOf(syncId);
    expect(checked).toHaveLength(5_000);
    expect(checked.map(stateOf)).toEqual(states.map((s) => ({ ...s, lastAction: 'update', lastError: 'e' })));
  });
});

describe('unusual origin ids', () => {
  it('round-trips quotes, escapes, unicode, numbers as text and very long ids through every operation', async () => {
    const { syncId, store, newRun } = await orgA.sync();
    const ids = [
      `it's "quoted"`,
      'back\\slash and /slash/',
      'new\nline\ttab\rreturn',
      "'; DROP TABLE contracts; --",
      '%_ like wildcards *?',
      '{"looks":"like json"}',
      '["a",1]',
      'null',
      '123',
      '007',
      '1.50',
      '',
      ' padded ',
      'Zoë Ångström',
      '東京都',
      'emoji 🙂👍🏽',
      'שלום',
      'x'.repeat(10_000),
      'ü'.repeat(5_000),
    ];
    const states = ids.map((id, i) =>
      state(id, { originHash: `h${i}`, parentOriginId: ids[(i + 1) % ids.length]! }),
    );
    await store.upsert(states);
    const rows = await rowsOf(syncId);
    expect(sorted(rows.map((r) => r.originId))).toEqual(sorted(ids));
    for (const s of states) expect(stateOf(await rowOf(syncId, s.originId))).toEqual(s);

    const run = await newRun();
    const found = await store.lookup({ runId: run, page: 1, originIds: ids });
    expect([...found.contracts].sort(byOriginId)).toEqual(states.map(withoutData).sort(byOriginId));

    await store.markSeen({ runId: run, page: 1, originIds: ids.slice(0, 10) });
    expect(sorted((await store.lookup({ runId: run, page: 2, originIds: ids })).seenInRun)).toEqual(
      sorted(ids.slice(0, 10)),
    );
    expect(await store.countUnseen({ runId: run, onlyOriginIds: null })).toBe(ids.length - 10);
    const unseen = await store.listUnseen({
      runId: run,
      onlyOriginIds: ids.slice(8),
      after: null,
      limit: 100,
    });
    expect(unseen.map((s) => s.originId)).toEqual(sorted(ids.slice(10)));
  });
});
