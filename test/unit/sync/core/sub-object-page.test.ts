// Sub-objects through syncPage: one lookup for parents and children, children decided with their own
// contracts and settings, written after their parents, found again on the next run.
import { describe, expect, it } from 'vitest';
import type { EngineSettings } from '@/server/sync/core/one-way';
import { compileMapping } from '@/server/sync/core/mapping';
import { syncPage } from '@/server/sync/core/run-page';
import { ZERO_COUNTS } from '@/server/sync/core/run-result';
import type { SubObjectSettings } from '@/server/sync/core/sub-objects';
import { NO_SETTINGS, runContext, TIMES } from './helpers/factories';
import { MemoryContractStore, MemoryRecorder, MemoryTarget } from './helpers/fakes';

function setup() {
  const contracts = new MemoryContractStore(() => TIMES.now);
  const target = new MemoryTarget();
  const recorder = new MemoryRecorder();
  return { contracts, target, recorder, ports: { contracts, target, recorder } };
}

function mapping(config: unknown): EngineSettings['mapping'] {
  const compiled = compileMapping(config);
  if (!compiled.ok) throw new Error('mapping');
  return compiled.mapping;
}

const LINES: SubObjectSettings = {
  path: 'lines',
  idField: 'sku',
  settings: NO_SETTINGS,
  mappingChangedAt: null,
};

const orders = () => [
  {
    id: 'o1',
    total: 3,
    lines: [
      { sku: 'A', qty: 1 },
      { sku: 'B', qty: 2 },
    ],
  },
  { id: 'o2', total: 5, lines: [{ sku: 'A', qty: 5 }] },
  { id: 'o3', total: 0 },
];

const first = runContext({ runId: 'run_1', checkedAt: TIMES.lastRun, subObjects: [LINES] });
const second = (overrides: Parameters<typeof runContext>[0] = {}) =>
  runContext({ runId: 'run_2', subObjects: [LINES], ...overrides });

describe('syncPage with sub-objects', () => {
  it('looks parents and children up in one call, and writes the children after their parents', async () => {
    const env = setup();
    const counts = await syncPage(env.ports, first, { number: 1, objects: orders() });
    expect(counts).toEqual({ ...ZERO_COUNTS, found: 6, created: 6, withContract: 6 });
    expect(env.contracts.calls).toEqual({ lookup: 1, upsert: 1, markSeen: 1 });
    expect(env.target.calls).toEqual({ create: 2, update: 0, delete: 0 });
    expect(env.target.writes.map((w) => w.originId)).toEqual([
      'o1',
      'o2',
      'o3',
      'o1/lines/A',
      'o1/lines/B',
      'o2/lines/A',
    ]);
    expect(env.contracts.contracts.get('o1/lines/B')).toMatchObject({
      parentOriginId: 'o1',
      status: 'synced',
      lastAction: 'create',
    });
    expect(env.contracts.contracts.get('o1')).toMatchObject({ parentOriginId: null });
    expect([...(env.contracts.seen.get('run_1')?.keys() ?? [])]).toHaveLength(6);
  });

  it('finds every child contract again on the next run: all skipped, nothing created twice', async () => {
    const env = setup();
    await syncPage(env.ports, first, { number: 1, objects: orders() });
    env.target.writes.length = 0;
    const counts = await syncPage(env.ports, second(), { number: 1, objects: orders() });
    expect(counts).toEqual({ ...ZERO_COUNTS, found: 6, skipped: 6, withContract: 6 });
    expect(env.target.writes).toEqual([]);
    expect(env.contracts.contracts.size).toBe(6);
  });

  it('updates a changed child and decides children on their own even when the parent is skipped', async () => {
    const env = setup();
    const settings = { ...NO_SETTINGS, hashFields: ['total'] };
    await syncPage(env.ports, { ...first, settings }, { number: 1, objects: orders() });
    env.target.writes.length = 0;
    const changed = orders();
    changed[0]!.lines![1]!.qty = 7;
    const counts = await syncPage(env.ports, second({ settings }), { number: 1, objects: changed });
    expect(counts).toMatchObject({ found: 6, updated: 1, skipped: 5, created: 0 });
    expect(env.target.writes).toEqual([
      expect.objectContaining({ originId: 'o1/lines/B', object: { sku: 'B', qty: 7 } }),
    ]);
  });

  it('maps children with their own mapping, and an edit of that mapping updates only the children', async () => {
    const env = setup();
    const lines = { ...LINES, settings: { ...NO_SETTINGS, mapping: mapping({ mapping: { code: 'sku' } }) } };
    await syncPage(env.ports, { ...first, subObjects: [lines] }, { number: 1, objects: orders() });
    expect(env.target.writes[3]?.object).toEqual({ code: 'A' });
    const edited = { ...lines, mappingChangedAt: TIMES.now };
    const counts = await syncPage(env.ports, second({ subObjects: [edited] }), {
      number: 1,
      objects: orders(),
    });
    // The edit leaves the children's output as it was: nothing to send (the hash of what the target
    // was last handed says so), so no request at all.
    expect(counts).toMatchObject({ skipped: 6, rewritten: 0, updated: 0, created: 0 });
    expect(env.target.writes).toHaveLength(6);
    const changed = {
      ...lines,
      settings: { ...NO_SETTINGS, mapping: mapping({ mapping: { item: 'sku' } }) },
    };
    const third = await syncPage(
      env.ports,
      second({
        runId: 'run_3',
        checkedAt: TIMES.now,
        subObjects: [{ ...changed, mappingChangedAt: TIMES.now }],
      }),
      { number: 1, objects: orders() },
    );
    expect(third).toMatchObject({ skipped: 3, updated: 3 });
    expect(env.target.writes.slice(6).map((w) => w.originId)).toEqual([
      'o1/lines/A',
      'o1/lines/B',
      'o2/lines/A',
    ]);
  });

  it('force writes children as well as parents', async () => {
    const env = setup();
    await syncPage(env.ports, first, { number: 1, objects: orders() });
    const counts = await syncPage(env.ports, second({ mode: { force: true, test: false } }), {
      number: 1,
      objects: orders(),
    });
    expect(counts).toMatchObject({ rewritten: 6, updated: 0, skipped: 0, created: 0 });
    expect(env.target.writes).toHaveLength(12);
  });

  it('test mode writes no child either, lists the children it would write and still marks them seen', async () => {
    const env = setup();
    const counts = await syncPage(
      env.ports,
      { ...first, mode: { force: false, test: true } },
      {
        number: 1,
        objects: orders().slice(1, 2),
      },
    );
    expect(counts).toMatchObject({ found: 2, created: 2 });
    expect(env.target.calls).toEqual({ create: 0, update: 0, delete: 0 });
    expect(env.contracts.contracts.size).toBe(0);
    expect(env.recorder.batches.get('page-1')).toEqual([
      { originId: 'o2', action: 'create', reason: null, object: orders()[1] },
      { originId: 'o2/lines/A', action: 'create', reason: null, object: { sku: 'A', qty: 5 } },
    ]);
    expect([...(env.contracts.seen.get('run_1')?.keys() ?? [])]).toEqual(['o2', 'o2/lines/A']);
  });

  it('keeps the children of a filtered or invalid parent: marked seen, not decided or counted', async () => {
    const env = setup();
    const settings: EngineSettings = {
      ...NO_SETTINGS,
      conditions: { '!=': [{ var: 'id' }, 'o1'] },
      mapping: mapping({ mapping: { total: 'total' }, cast: { total: 'int' } }),
    };
    const objects = orders();
    objects[1] = { ...objects[1]!, total: 'five' as unknown as number };
    const counts = await syncPage(env.ports, { ...first, settings }, { number: 1, objects });
    // The invalid parent keeps a contract (status invalid); the filtered new one gets none.
    expect(counts).toEqual({
      ...ZERO_COUNTS,
      found: 3,
      filtered: 1,
      invalid: 1,
      created: 1,
      withContract: 2,
    });
    expect(env.target.writes.map((w) => w.originId)).toEqual(['o3']);
    expect(env.contracts.contracts.has('o1')).toBe(false);
    expect(env.contracts.contracts.get('o2')?.status).toBe('invalid');
    expect([...(env.contracts.seen.get('run_1')?.keys() ?? [])].sort()).toEqual(
      ['o1', 'o1/lines/A', 'o1/lines/B', 'o2', 'o2/lines/A', 'o3'].sort(),
    );
  });

  it('reports a child without an id or with a repeated id as invalid while the rest sync', async () => {
    const env = setup();
    const objects = [{ id: 'o1', lines: [{ sku: 'A' }, { qty: 1 }, { sku: 'A', qty: 2 }] }];
    const counts = await syncPage(env.ports, first, { number: 2, objects });
    expect(counts).toMatchObject({ found: 4, created: 2, invalid: 2 });
    expect(env.recorder.batches.get('page-2')?.map((e) => e.reason)).toEqual([
      expect.stringContaining('Sub-object lines[1] of "o1" has no usable id'),
      expect.stringContaining('repeats id "A"'),
    ]);
    expect(env.contracts.seen.get('run_1')?.get('o1/lines/A')).toBe(2);
  });

  it('leaves the children of a parent listed on an earlier page to that first listing', async () => {
    const env = setup();
    await syncPage(env.ports, first, { number: 1, objects: orders().slice(0, 1) });
    const counts = await syncPage(env.ports, first, { number: 2, objects: orders().slice(0, 1) });
    expect(counts).toMatchObject({ found: 1, invalid: 1, created: 0 });
    expect(env.target.writes).toHaveLength(3);
  });

  it('a child whose id repeats an object of the run is a duplicate, not a second contract', async () => {
    const env = setup();
    const objects = [{ id: 'o1/lines/A' }, { id: 'o1', lines: [{ sku: 'A' }] }];
    const counts = await syncPage(env.ports, first, { number: 1, objects });
    expect(counts).toMatchObject({ found: 3, created: 2, invalid: 1 });
    expect(env.recorder.all()[0]?.reason).toContain('Duplicate id "o1/lines/A"');
  });

  it('retries a child whose write failed on the next run, although its parent is unchanged', async () => {
    const env = setup();
    env.target.unavailable.set('o1/lines/B', '503 Service Unavailable');
    const firstCounts = await syncPage(env.ports, first, { number: 1, objects: orders() });
    expect(firstCounts).toMatchObject({ created: 5, failed: 1 });
    expect(env.contracts.contracts.get('o1/lines/B')).toMatchObject({
      status: 'failed',
      parentOriginId: 'o1',
    });
    env.target.unavailable.clear();
    const counts = await syncPage(env.ports, second(), { number: 1, objects: orders() });
    expect(counts).toMatchObject({ created: 1, skipped: 5 });
  });

  it('does not send a child the target rejected again until it changes', async () => {
    const env = setup();
    env.target.refuse.set('o1/lines/B', '422 qty too large');
    await syncPage(env.ports, first, { number: 1, objects: orders() });
    expect(env.contracts.contracts.get('o1/lines/B')).toMatchObject({ status: 'rejected' });
    env.target.refuse.clear();
    expect(await syncPage(env.ports, second(), { number: 1, objects: orders() })).toMatchObject({
      created: 0,
      skipped: 6,
    });
  });
});
