import { describe, expect, it } from 'vitest';
import { hashObject, hashValue } from '@/server/sync/core/canonical-json';
import { compileMapping } from '@/server/sync/core/mapping';
import { syncNextPage } from '@/server/sync/core/page-step';
import { processPage, syncPage } from '@/server/sync/core/run-page';
import { ZERO_COUNTS } from '@/server/sync/core/run-result';
import { contract, NO_SETTINGS, runContext, TIMES } from './helpers/factories';
import { MemoryContractStore, MemoryRecorder, MemoryTarget, pagesSource } from './helpers/fakes';

function setup() {
  const contracts = new MemoryContractStore(() => TIMES.now);
  const target = new MemoryTarget();
  const recorder = new MemoryRecorder();
  return { contracts, target, recorder, ports: { contracts, target, recorder } };
}

const objects = [
  { id: 1, name: 'unchanged' },
  { id: 2, name: 'changed' },
  { id: 3, name: 'new' },
];

function seeded() {
  const env = setup();
  env.contracts.seed([
    contract({ originId: '1', originHash: hashObject(objects[0]), targetId: 'obj-a' }),
    contract({ originId: '2', originHash: hashObject({ id: 2, name: 'before' }), targetId: 'obj-b' }),
  ]);
  return env;
}

describe('syncPage', () => {
  it('looks contracts up once, writes creates and updates in one batch each, one store write per kind', async () => {
    const env = seeded();
    const counts = await syncPage(env.ports, runContext(), { number: 1, objects });
    expect(counts).toEqual({ ...ZERO_COUNTS, found: 3, created: 1, updated: 1, skipped: 1, withContract: 3 });
    // The skipped object writes nothing: its contract row is left as it was, the ledger says it was listed.
    expect(env.contracts.calls).toEqual({ lookup: 1, upsert: 1, markSeen: 1 });
    expect(env.target.calls).toEqual({ create: 1, update: 1, delete: 0 });
    expect(env.target.writes.map((w) => w.originId)).toEqual(['3', '2']);
  });

  it('never has two write batches under way at once (two libSQL write transactions deadlock)', async () => {
    const env = seeded();
    await syncPage(env.ports, runContext(), { number: 1, objects });
    expect(env.target.calls).toMatchObject({ create: 1, update: 1 });
    expect(env.target.maxConcurrentWrites).toBe(1);
  });

  it('records target id and hash for written objects and leaves an unchanged one as it was', async () => {
    const env = seeded();
    const before = env.contracts.contracts.get('1');
    await syncPage(env.ports, runContext(), { number: 1, objects });
    const created = env.contracts.contracts.get('3');
    expect(created).toMatchObject({
      status: 'synced',
      lastAction: 'create',
      targetId: 'obj-1',
      originHash: hashObject(objects[2]),
    });
    expect(created?.targetHash).toBe(hashValue({ id: 3, name: 'new' }));
    expect(created?.targetLastSynced).toEqual(TIMES.now);
    expect(env.contracts.contracts.get('2')).toMatchObject({
      lastAction: 'update',
      targetId: 'obj-b',
      originHash: hashObject(objects[1]),
    });
    expect(env.contracts.contracts.get('1')).toBe(before);
    expect(env.contracts.seen.get('run_1')?.get('1')).toBe(1);
  });

  it('a page retried after its writes committed counts what the run did, and writes nothing again', async () => {
    const env = setup();
    const context = runContext();
    const page = { number: 1, objects: [{ id: 'a' }, { id: 'b' }] };
    expect(await syncPage(env.ports, context, page)).toMatchObject({ created: 2, skipped: 0 });
    const writes = env.target.writes.length;
    // The step failed after committing (say, before its result was stored) and runs again.
    expect(await syncPage(env.ports, context, page)).toMatchObject({ created: 2, skipped: 0 });
    expect(env.target.writes).toHaveLength(writes);
    expect(env.contracts.contracts.get('a')).toMatchObject({ lastAction: 'create' });
    // The next run finds the same contracts unchanged: those are skips.
    const next = runContext({ runId: 'run_2', checkedAt: TIMES.now });
    expect(await syncPage(env.ports, next, page)).toMatchObject({ created: 0, skipped: 2 });
  });

  it('a held contract whose object is back unchanged is skipped and becomes synced again', async () => {
    const env = setup();
    const back = { id: 5, name: 'back' };
    env.contracts.seed([contract({ originId: '5', originHash: hashObject(back), status: 'held' })]);
    const counts = await syncPage(env.ports, runContext(), { number: 1, objects: [back] });
    expect(counts).toEqual({ ...ZERO_COUNTS, found: 1, skipped: 1, withContract: 1 });
    expect(env.contracts.calls).toMatchObject({ upsert: 1 });
    expect(env.contracts.contracts.get('5')).toMatchObject({ status: 'synced', lastAction: 'skip' });
  });

  it('with a hash over some fields, a skip also stores the object as last seen', async () => {
    const env = setup();
    const settings = { ...NO_SETTINGS, hashFields: ['name'] };
    const seenBefore = { id: 7, name: 'same', visits: 1 };
    env.contracts.seed([
      contract({
        originId: '7',
        originHash: hashObject(seenBefore, ['name']),
        targetId: 'obj-7',
        originData: seenBefore,
      }),
    ]);
    const seenNow = { id: 7, name: 'same', visits: 2 };
    const counts = await syncPage(env.ports, runContext({ settings }), { number: 1, objects: [seenNow] });
    expect(counts).toEqual({ ...ZERO_COUNTS, found: 1, skipped: 1, withContract: 1 });
    expect(env.target.calls).toEqual({ create: 0, update: 0, delete: 0 });
    expect(env.contracts.contracts.get('7')).toMatchObject({ lastAction: 'skip', originData: seenNow });
  });

  it('stamps writes with their origin and a per-run idempotency key', async () => {
    const env = setup();
    await syncPage(env.ports, runContext(), { number: 1, objects: [{ id: 'a' }] });
    expect(env.target.writes[0]).toMatchObject({
      origin: { systemId: 'src_1', runId: 'run_1' },
      idempotencyKey: 'syn_1:run_1:a',
    });
  });

  it('a second run over the same objects skips them all and writes nothing to the target', async () => {
    const env = setup();
    await syncPage(env.ports, runContext({ runId: 'run_1', checkedAt: TIMES.lastRun }), {
      number: 1,
      objects,
    });
    env.target.writes.length = 0;
    const counts = await syncPage(env.ports, runContext({ runId: 'run_2' }), { number: 1, objects });
    expect(counts).toMatchObject({ skipped: 3, created: 0, updated: 0 });
    expect(env.target.writes).toEqual([]);
  });

  it('one object without id is invalid with its reason while the rest sync', async () => {
    const env = setup();
    const counts = await syncPage(env.ports, runContext(), {
      number: 4,
      objects: [{ id: 1 }, { name: 'x' }, { id: 3 }],
    });
    expect(counts).toMatchObject({ found: 3, created: 2, invalid: 1, unidentified: 1 });
    expect(env.recorder.batches.get('page-4')).toEqual([
      {
        originId: null,
        action: 'invalid',
        reason:
          'The object at position 2 on page 4 has no usable id: it has no "id" field (the id field of the synchronisation)',
      },
    ]);
  });

  it('a record the source could not read is found and invalid, without an id, named by its line', async () => {
    const env = setup();
    const unreadable = [
      { line: 9, reason: 'it has 6 fields but the header has 5' },
      { index: 4, reason: 'x.' },
    ];
    const counts = await syncPage(env.ports, runContext(), { number: 1, objects: [{ id: 1 }], unreadable });
    expect(counts).toMatchObject({ found: 3, created: 1, invalid: 2, unidentified: 2, withContract: 1 });
    expect(env.recorder.batches.get('page-1')).toEqual([
      {
        originId: null,
        action: 'invalid',
        reason: 'Line 9 of the file could not be read: it has 6 fields but the header has 5',
      },
      { originId: null, action: 'invalid', reason: 'Record 4 of the file could not be read: x' },
    ]);
  });

  it('an object refused before writing (invalid for the schema) counts as invalid, not as failed', async () => {
    const env = seeded();
    env.target.invalid.set('2', 'invalid for schema "people": /name must be string');
    const counts = await syncPage(env.ports, runContext(), { number: 1, objects });
    expect(counts).toMatchObject({ invalid: 1, failed: 0, unidentified: 0 });
    expect(env.contracts.contracts.get('2')).toMatchObject({
      status: 'invalid',
      lastAction: 'reject',
      lastError: 'invalid for schema "people": /name must be string',
      originHash: hashObject({ id: 2, name: 'before' }),
    });
    expect(env.recorder.all()).toEqual([
      { originId: '2', action: 'invalid', reason: 'invalid for schema "people": /name must be string' },
    ]);
  });

  it('a version the target refuses is rejected with its reason; one it cannot take for now, or does not answer for, failed and kept for a retry', async () => {
    const env = seeded();
    env.target.refuse.set('2', '422 title is required');
    env.target.unavailable.set('3', '503 Service Unavailable (after 3 attempts)');
    const counts = await syncPage(env.ports, runContext(), { number: 1, objects });
    expect(counts).toMatchObject({ failed: 2, skipped: 1 });
    expect(env.contracts.contracts.get('2')).toMatchObject({
      status: 'rejected',
      lastAction: 'update',
      lastError: '422 title is required',
      // The refused version's hash: it is not sent again until the object changes.
      originHash: hashObject({ id: 2, name: 'changed' }),
    });
    expect(env.contracts.contracts.get('3')).toMatchObject({ status: 'failed', targetId: null });
    expect(env.recorder.all().map((e) => [e.originId, e.action])).toEqual([
      ['2', 'failed'],
      ['3', 'failed'],
    ]);

    const silent = seeded();
    silent.target.silent.add('3');
    await syncPage(silent.ports, runContext(), { number: 1, objects });
    expect(silent.contracts.contracts.get('3')).toMatchObject({ status: 'failed', targetId: null });
  });

  it('a rejected version is not sent again until it changes; a failed one is tried again next run', async () => {
    const env = seeded();
    env.target.refuse.set('2', '422 title is required');
    env.target.unavailable.set('3', '503 Service Unavailable');
    await syncPage(env.ports, runContext(), { number: 1, objects });
    env.target.refuse.clear();
    env.target.unavailable.clear();
    const writes = env.target.writes.length;

    const again = await syncPage(
      env.ports,
      runContext({ runId: 'run_2', checkedAt: new Date('2024-04-01T00:00:00Z') }),
      {
        number: 1,
        objects,
      },
    );
    expect(again).toMatchObject({ skipped: 2, created: 1, failed: 0 });
    expect(env.target.writes.slice(writes).map((w) => w.originId)).toEqual(['3']);
    expect(env.contracts.contracts.get('2')).toMatchObject({
      status: 'rejected',
      lastAction: 'skip',
      lastError: '422 title is required',
    });

    const changed = objects.map((o) => (o.id === 2 ? { ...o, name: 'fixed' } : o));
    const fixed = await syncPage(
      env.ports,
      runContext({ runId: 'run_3', checkedAt: new Date('2024-05-01T00:00:00Z') }),
      {
        number: 1,
        objects: changed,
      },
    );
    expect(fixed).toMatchObject({ updated: 1, skipped: 2 });
    expect(env.contracts.contracts.get('2')).toMatchObject({ status: 'synced', lastError: null });
  });

  it('test mode writes nothing to the target or the contracts, and lists what it would write with the mapped object', async () => {
    const env = seeded();
    const compiled = compileMapping({ mapping: { title: '{{ name | upcase }}' } });
    if (!compiled.ok) throw new Error('mapping');
    const before = new Map(env.contracts.contracts);
    const context = runContext({
      mode: { force: false, test: true },
      settings: { ...NO_SETTINGS, mapping: compiled.mapping },
    });
    const counts = await syncPage(env.ports, context, { number: 1, objects });
    expect(counts).toMatchObject({ created: 1, updated: 1, skipped: 1 });
    expect(env.target.calls).toEqual({ create: 0, update: 0, delete: 0 });
    expect(env.contracts.calls.upsert).toBe(0);
    expect(env.contracts.contracts).toEqual(before);
    expect(env.recorder.batches.get('page-1')).toEqual([
      { originId: '2', action: 'update', reason: null, object: { title: 'CHANGED' } },
      { originId: '3', action: 'create', reason: null, object: { title: 'NEW' } },
    ]);
  });

  it('test mode asks the target which objects it would refuse as invalid, and counts them so', async () => {
    const env = seeded();
    env.target.invalid.set('3', 'invalid for schema "people": /name must be string');
    const counts = await syncPage(env.ports, runContext({ mode: { force: false, test: true } }), {
      number: 1,
      objects,
    });
    expect(counts).toMatchObject({ created: 0, updated: 1, invalid: 1 });
    expect(env.target.calls).toEqual({ create: 0, update: 0, delete: 0 });
    expect(env.recorder.batches.get('page-1')).toContainEqual({
      originId: '3',
      action: 'invalid',
      reason: 'invalid for schema "people": /name must be string',
    });
  });

  it('an id listed on an earlier page of the run is a duplicate; a retried page is not', async () => {
    const env = setup();
    await syncPage(env.ports, runContext(), { number: 1, objects: [{ id: 'a' }] });
    const again = await syncPage(env.ports, runContext(), { number: 1, objects: [{ id: 'a' }] });
    expect(again).toMatchObject({ invalid: 0 });
    const later = await syncPage(env.ports, runContext(), {
      number: 2,
      objects: [{ id: 'a', v: 2 }, { id: 'b' }],
    });
    expect(later).toMatchObject({ invalid: 1, created: 1 });
    expect(env.recorder.batches.get('page-2')?.[0]?.reason).toContain('Duplicate id "a"');
  });

  it('filtered objects are counted and still marked as seen', async () => {
    const env = setup();
    const settings = { ...NO_SETTINGS, conditions: { '!': { var: 'archived' } } };
    const counts = await syncPage(env.ports, runContext({ settings }), {
      number: 1,
      objects: [{ id: 1, archived: true }, { id: 2 }],
    });
    expect(counts).toMatchObject({ filtered: 1, created: 1 });
    expect([...(env.contracts.seen.get('run_1')?.keys() ?? [])]).toEqual(['1', '2']);
  });
});

describe('processPage with report', () => {
  it('tells what became of each object by its place, adding up to the counts; a repeated id is its own', async () => {
    const env = seeded();
    env.target.invalid.set('4', 'invalid for schema "people": /name must be string');
    const settings = { ...NO_SETTINGS, conditions: { '!': { var: 'archived' } } };
    const page = {
      number: 1,
      objects: [
        ...objects,
        { id: 3, name: 'again' },
        { name: 'no id' },
        { id: 4, name: 7 },
        { id: 5, archived: true },
      ],
    };
    const { counts, objects: report } = await processPage(env.ports, runContext({ settings }), page, null, {
      report: true,
    });
    expect(report!.map((o) => [o.index, o.originId, o.count, o.action, o.repeat])).toEqual([
      [0, '1', 'skipped', 'skip', false],
      [1, '2', 'updated', 'update', false],
      [2, '3', 'created', 'create', false],
      [3, '3', 'invalid', 'invalid', true],
      [4, null, 'invalid', 'invalid', false],
      [5, '4', 'invalid', 'create', false],
      [6, '5', 'filtered', 'filtered', false],
    ]);
    expect(report![3]!.reason).toMatch(/^Duplicate id "3"/);
    expect(report![5]!.reason).toBe('invalid for schema "people": /name must be string');
    expect(report![2]!.reason).toBeNull();
    const tally: Record<string, number> = {};
    for (const o of report!) tally[o.count] = (tally[o.count] ?? 0) + 1;
    expect(counts).toMatchObject({ found: 7, ...tally });
    // Without asking, no report.
    expect((await processPage(setup().ports, runContext(), page, null)).objects).toBeUndefined();
  });
});

describe('syncNextPage', () => {
  it('takes exactly one page from the source and reports cumulative progress', async () => {
    const env = setup();
    const source = pagesSource([[{ id: 1 }], [{ id: 2 }, { id: 3 }]]);
    const before = { counts: { ...ZERO_COUNTS, found: 5, created: 5, withContract: 5 }, pagesFetched: 2 };
    const result = await syncNextPage(source, 1, env.ports, runContext(), before);
    expect(result).toEqual({
      kind: 'page',
      page: 2,
      counts: { ...ZERO_COUNTS, found: 2, created: 2, withContract: 2 },
      then: { kind: 'end', outcome: { complete: true, pages: 2 } },
    });
    expect(source.opened).toEqual([1]);
    expect(env.recorder.progressed).toEqual([
      { pagesFetched: 3, counts: { ...ZERO_COUNTS, found: 7, created: 7, withContract: 7 } },
    ]);
  });

  it('returns the outcome when the source ends before a page', async () => {
    const env = setup();
    const source = pagesSource([]);
    expect(
      await syncNextPage(source, null, env.ports, runContext(), { counts: ZERO_COUNTS, pagesFetched: 0 }),
    ).toEqual({
      kind: 'end',
      outcome: { complete: true, pages: 0 },
    });
  });
});
