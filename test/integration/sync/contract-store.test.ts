// The libSQL contract store against a migrated file database: upserts that replace by origin id and keep
// or clear origin data, skips that only mark the check, one lookup per page with the run's other pages,
// the seen ledger, deletion counting and keyset listing, large pages across the internal chunks, and
// origin ids no one would choose but sources send anyway. Everything is read back through drizzle.
import { and, asc, eq } from 'drizzle-orm';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { contracts, runSeen, runs } from '@/server/db/schema';
import type { ContractState } from '@/server/sync/core/contracts';
import { createContractStore } from '@/server/sync/stores/contract-store';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { newOrg } from '../helpers/sync-more';

let db: TestDatabase;
let orgA: Awaited<ReturnType<typeof orgWithTarget>>;
let orgB: Awaited<ReturnType<typeof orgWithTarget>>;

beforeAll(async () => {
  db = await createTestDatabase();
  orgA = await orgWithTarget();
  orgB = await orgWithTarget();
});
afterAll(() => db.close());

/** An organisation with a source and a register schema; `sync()` adds a synchronisation between them. */
async function orgWithTarget() {
  const { api, orgId } = await newOrg(db.db);
  const source = await api.sources.create({
    orgId,
    name: 'API',
    type: 'rest',
    config: { baseUrl: 'https://api.example.test' },
  });
  const register = await api.registers.create({ orgId, name: 'Things' });
  const schema = await api.registers.createSchema({
    orgId,
    registerId: register.id,
    name: 'Thing',
    jsonSchema: {},
  });
  let syncs = 0;
  /** A new synchronisation of this organisation with its store and a way to start runs of it. */
  async function sync() {
    const created = await api.synchronisations.create({
      orgId,
      name: `Things in ${++syncs}`,
      sourceId: source.id,
      sourceEndpoint: '/things',
      targetType: 'register',
      targetRegisterId: register.id,
      targetSchemaId: schema.id,
    });
    const syncId = created.id;
    const newRun = async () => {
      const [run] = await db.db
        .insert(runs)
        .values({ orgId, synchronisationId: syncId, trigger: 'manual', status: 'running' })
        .returning({ id: runs.id });
      return run!.id;
    };
    return { orgId, syncId, store: createContractStore(db.db, orgId, syncId), newRun };
  }
  return { orgId, sync };
}

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute, 30, 123));

/** A full contract state with distinct values in every field; `overrides` replace any of them. */
function state(originId: string, overrides: Partial<ContractState> = {}): ContractState {
  return {
    originId,
    parentOriginId: null,
    targetId: `obj_${originId}`,
    originHash: `origin-hash-${originId}`,
    targetHash: `target-hash-${originId}`,
    status: 'synced',
    lastAction: 'create',
    lastError: null,
    sourceLastChanged: at(1),
    sourceLastChecked: at(2),
    sourceLastSynced: at(3),
    targetLastChanged: at(4),
    targetLastChecked: at(5),
    targetLastSynced: at(6),
    originData: { id: originId, name: `Thing ${originId}` },
    ...overrides,
  };
}

/** The same state as the engine sends it when it did not load the origin data (the key is absent). */
function withoutData({ originData: _, ...rest }: ContractState): ContractState {
  return rest;
}

async function rowsOf(syncId: string) {
  return db.db
    .select()
    .from(contracts)
    .where(eq(contracts.synchronisationId, syncId))
    .orderBy(asc(contracts.originId));
}

async function rowOf(syncId: string, originId: string) {
  const [row] = await db.db
    .select()
    .from(contracts)
    .where(and(eq(contracts.synchronisationId, syncId), eq(contracts.originId, originId)));
  if (!row) throw new Error(`no contract ${originId} in ${syncId}`);
  return row;
}

/** The columns a ContractState maps to, as the row holds them. */
function stateOf(row: typeof contracts.$inferSelect): ContractState {
  return {
    originId: row.originId,
    parentOriginId: row.parentOriginId,
    targetId: row.targetId,
    originHash: row.originHash,
    targetHash: row.targetHash,
    status: row.status,
    lastAction: row.lastAction ?? 'create',
    lastError: row.lastError,
    sourceLastChanged: row.sourceLastChanged,
    sourceLastChecked: row.sourceLastChecked,
    sourceLastSynced: row.sourceLastSynced,
    targetLastChanged: row.targetLastChanged,
    targetLastChecked: row.targetLastChecked,
    targetLastSynced: row.targetLastSynced,
    originData: row.originData,
  };
}

/** `{ n: { n: … { n: 'bottom' } } }`, `depth` objects deep. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { n: 'bottom' };
  for (let i = 1; i < depth; i++) value = { n: value };
  return value;
}

const byOriginId = (a: ContractState, b: ContractState) =>
  a.originId < b.originId ? -1 : a.originId > b.originId ? 1 : 0;
const sorted = (ids: readonly string[]) => [...ids].sort();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('upsert', () => {
  it('inserts new contracts with every field and replaces them by origin id, keeping id and creation', async () => {
    const { orgId, syncId, store } = await orgA.sync();
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
    for (const row of [parentRow!, childRow!]) {
      expect(row).toMatchObject({ orgId, synchronisationId: syncId });
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

  it('keeps every kind of JSON origin data as it was given', async () => {
    const { syncId, store } = await orgA.sync();
    const values: Record<string, unknown> = {
      object: { a: { b: [{ c: 'd' }] }, 'key with "quotes"': 'value\\with\nescapes\t' },
      array: [1, 'two', null, { three: 3 }],
      string: 'just text',
      'string-null': 'null',
      'json-in-string': '{"a":1}',
      number: 42,
      float: 0.1,
      big: 9007199254740991,
      negative: -12.5e-10,
      zero: 0,
      false: false,
      true: true,
      unicode: { name: 'Zoë Ångström', city: '東京', mood: '🙂', rtl: 'שלום' },
      empty: {},
      'empty-array': [],
      'empty-string': '',
    };
    await store.upsert(Object.entries(values).map(([id, originData]) => state(id, { originData })));
    const rows = await rowsOf(syncId);
    expect(Object.fromEntries(rows.map((r) => [r.originId, r.originData]))).toEqual(values);
  });

  it('stores origin data nested as deep as hashing allows, deeper than the JSON functions of SQLite accept', async () => {
    const { syncId, store } = await orgA.sync();
    const deep = nested(999);
    await store.upsert([state('deep', { originData: deep }), state('flat', { originData: { a: 1 } })]);
    expect((await rowOf(syncId, 'deep')).originData).toEqual(deep);
    expect((await rowOf(syncId, 'flat')).originData).toEqual({ a: 1 });
  });

  it('keeps the stored origin data for a state without it, clears it for null, both in one call', async () => {
    const { syncId, store } = await orgA.sync();
    await store.upsert([
      state('a', { originData: { v: 1, id: 'a' } }),
      state('b', { originData: { v: 1, id: 'b' } }),
      state('c', { originData: { v: 1, id: 'c' } }),
    ]);

    const keptA = withoutData(state('a', { status: 'failed', lastAction: 'update', lastError: 'timeout' }));
    const newD = withoutData(state('d', { originHash: 'new' }));
    await store.upsert([
      keptA,
      state('b', { originData: null, originHash: 'cleared' }),
      state('c', { originData: { v: 2, id: 'c' } }),
      newD,
      state('e', { originData: { v: 1, id: 'e' } }),
    ]);

    const rows = Object.fromEntries((await rowsOf(syncId)).map((r) => [r.originId, r]));
    expect(Object.keys(rows)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(stateOf(rows.a!)).toEqual({ ...keptA, originData: { v: 1, id: 'a' } });
    expect(rows.b).toMatchObject({ originData: null, originHash: 'cleared' });
    expect(rows.c?.originData).toEqual({ v: 2, id: 'c' });
    expect(stateOf(rows.d!)).toEqual({ ...newD, originData: null });
    expect(rows.e?.originData).toEqual({ v: 1, id: 'e' });

    // Only states without origin data, replacing only: the data stays, the rest is replaced.
    await store.upsert([withoutData(state('c', { targetId: 'obj_c2' })), withoutData(state('e'))]);
    expect(await rowOf(syncId, 'c')).toMatchObject({ targetId: 'obj_c2', originData: { v: 2, id: 'c' } });
    expect((await rowOf(syncId, 'e')).originData).toEqual({ v: 1, id: 'e' });
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

describe('markChecked', () => {
  it('sets the check, skip and no error, and nothing else, on synced contracts of this synchronisation only', async () => {
    const mine = await orgA.sync();
    const sibling = await orgA.sync();
    const foreign = await orgB.sync();
    const earlier = {
      status: 'synced',
      lastAction: 'update',
      lastError: 'An earlier note',
      parentOriginId: 'parent',
    } as const;
    await mine.store.upsert([
      state('x', earlier),
      state('y', earlier),
      state('z', earlier),
      // Not synced: the engine sends its skip through upsert, and markChecked leaves it alone.
      state('w', { ...earlier, status: 'failed', lastError: 'Target timed out' }),
    ]);
    await sibling.store.upsert([state('x', earlier)]);
    await foreign.store.upsert([state('x', earlier), state('y', earlier)]);
    const before = {
      w: await rowOf(mine.syncId, 'w'),
      x: await rowOf(mine.syncId, 'x'),
      y: await rowOf(mine.syncId, 'y'),
      z: await rowOf(mine.syncId, 'z'),
      siblingX: await rowOf(sibling.syncId, 'x'),
      foreign: await rowsOf(foreign.syncId),
    };

    await sleep(5);
    const checkedAt = at(30);
    await mine.store.markChecked({ originIds: ['w', 'x', 'y', 'not-a-contract'], checkedAt });

    for (const id of ['x', 'y'] as const) {
      const row = await rowOf(mine.syncId, id);
      expect(row).toEqual({
        ...before[id],
        sourceLastChecked: checkedAt,
        status: 'synced',
        lastAction: 'skip',
        lastError: null,
        updatedAt: row.updatedAt,
      });
      expect(row.originData).toEqual({ id, name: `Thing ${id}` });
      expect(row.updatedAt.getTime()).toBeGreaterThanOrEqual(before[id].updatedAt.getTime());
    }
    expect(await rowOf(mine.syncId, 'w')).toEqual(before.w);
    expect(await rowOf(mine.syncId, 'z')).toEqual(before.z);
    expect(await rowOf(sibling.syncId, 'x')).toEqual(before.siblingX);
    expect(await rowsOf(foreign.syncId)).toEqual(before.foreign);
    expect(await rowsOf(mine.syncId)).toHaveLength(4);
  });

  it('does not touch a contract when another organisation builds a store for the same synchronisation id', async () => {
    const mine = await orgA.sync();
    await mine.store.upsert([state('x', { status: 'synced', lastAction: 'update' })]);
    const before = await rowOf(mine.syncId, 'x');
    const intruder = createContractStore(db.db, orgB.orgId, mine.syncId);
    await intruder.markChecked({ originIds: ['x'], checkedAt: at(40) });
    expect(await rowOf(mine.syncId, 'x')).toEqual(before);
    expect((await intruder.lookup({ runId: 'run_none', page: 1, originIds: ['x'] })).contracts).toEqual([]);
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

    const ledger = await db.db
      .select({ originId: runSeen.originId, page: runSeen.page })
      .from(runSeen)
      .where(eq(runSeen.runId, run))
      .orderBy(asc(runSeen.originId));
    expect(ledger).toEqual([
      { originId: 'a', page: 1 },
      { originId: 'b', page: 1 },
      { originId: 'c', page: 2 },
    ]);
    const ids = ['a', 'b', 'c'];
    expect(sorted((await store.lookup({ runId: run, page: 1, originIds: ids })).seenInRun)).toEqual(['c']);
    expect(sorted((await store.lookup({ runId: run, page: 2, originIds: ids })).seenInRun)).toEqual([
      'a',
      'b',
    ]);
  });
});

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
      await store.markChecked({ originIds: page, checkedAt: at(40) });
      await store.markSeen({ runId: run, page: 1, originIds: page });
      await store.upsert(page.slice(0, 10).map((id) => state(id, { lastAction: 'update' })));
    } finally {
      client.execute = execute;
      client.batch = batch;
    }
    const touchingContracts = recorded.filter(
      (r) => /\bcontracts\b/.test(r.sql) && !/^\s*INSERT/i.test(r.sql),
    );
    expect(touchingContracts.length).toBeGreaterThanOrEqual(2);
    // On a connection of its own: explaining a write leaves that statement open on the connection.
    const explainer = createClient({ url: `file:${db.file}` });
    onTestFinished(() => explainer.close());
    for (const statement of touchingContracts) {
      const plan = await explainer.execute({
        sql: `EXPLAIN QUERY PLAN ${statement.sql}`,
        args: statement.args as never,
      });
      const details = plan.rows.map((row) => row.detail as string);
      const onContracts = details.filter((d) => /\bcontracts\b/.test(d));
      expect(onContracts, statement.sql).not.toHaveLength(0);
      for (const detail of onContracts) {
        expect(detail, statement.sql).toMatch(
          /^SEARCH contracts USING (COVERING )?INDEX contracts_org_sync_origin \(org_id=\? AND synchronisation_id=\? AND origin_id=\?\)/,
        );
      }
    }
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
    await store.markChecked({ originIds: ids, checkedAt: at(50) });
    const checked = await rowsOf(syncId);
    expect(checked).toHaveLength(5_000);
    expect(checked.map(stateOf)).toEqual(
      states.map((s) => ({
        ...s,
        status: 'synced',
        lastAction: 'skip',
        lastError: null,
        sourceLastChecked: at(50),
      })),
    );
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

    await store.markChecked({ originIds: ids, checkedAt: at(55) });
    for (const id of ids)
      expect(await rowOf(syncId, id)).toMatchObject({ lastAction: 'skip', sourceLastChecked: at(55) });
  });
});
