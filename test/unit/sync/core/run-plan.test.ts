// Vitest's asymmetric matchers (expect.any, expect.stringContaining) are typed `any`.

import { describe, expect, it } from 'vitest';
import type { ContractState } from '@/server/sync/core/contracts';
import { listingConfigSchema, listingSource, type PageFetch } from '@/server/sync/core/pagination';
import { runSync, type RunPlanInput } from '@/server/sync/core/run-plan';
import type { ListingCursor } from '@/server/sync/core/pagination';
import { deletionSettings, runContext, TIMES } from './helpers/factories';
import { MemoryContractStore, MemoryRecorder, MemorySteps, MemoryTarget } from './helpers/fakes';
import { json, sequenceFetch } from './helpers/recorded';

const api = 'https://api.example.test/things';

/** A source serving pages of two objects with next links; `fail` answers that page with an error. */
function pagedFetch(ids: readonly (string | number)[], fail?: { page: number; status: number }): PageFetch {
  return ({ page }) => {
    if (fail && page === fail.page)
      return Promise.resolve(json({ message: 'Internal error' }, {}, fail.status));
    const slice = ids.slice((page - 1) * 2, page * 2).map((id) => ({ id, name: `thing ${id}` }));
    const more = page * 2 < ids.length;
    return Promise.resolve(json({ items: slice, next: more ? `${api}?page=${page + 1}` : null }));
  };
}

function environment() {
  // Contracts created by the first run (run_1) date from that run, before run_2 started.
  const clock = { now: TIMES.lastRun };
  const contracts = new MemoryContractStore(() => clock.now);
  const target = new MemoryTarget();
  const recorder = new MemoryRecorder();
  return { clock, contracts, target, recorder, ports: { contracts, target, recorder } };
}

type Env = ReturnType<typeof environment>;

async function run(
  env: Env,
  fetch: PageFetch,
  overrides: Partial<RunPlanInput<ListingCursor>> & {
    runId?: string;
    test?: boolean;
    force?: boolean;
    maxPages?: number;
    resultsPosition?: string;
  } = {},
  steps = new MemorySteps(),
) {
  const runId = overrides.runId ?? 'run_1';
  env.clock.now = runId === 'run_1' ? TIMES.lastRun : TIMES.now;
  const config = listingConfigSchema.parse({
    url: api,
    maxPages: overrides.maxPages ?? 50,
    resultsPosition: overrides.resultsPosition,
  });
  const result = await runSync(
    {
      source: listingSource('src_1', config, fetch),
      ports: env.ports,
      context: runContext({
        runId,
        checkedAt: runId === 'run_1' ? TIMES.lastRun : TIMES.thisRun,
        mode: { force: overrides.force ?? false, test: overrides.test ?? false },
        origin: { systemId: 'src_1', syncId: 'syn_1', runId },
      }),
      deletion: overrides.deletion ?? deletionSettings(),
      sourceDisabled: overrides.sourceDisabled ?? false,
      ...(overrides.pageBudget ? { pageBudget: overrides.pageBudget } : {}),
      ...(overrides.resume ? { resume: overrides.resume } : {}),
    },
    steps,
  );
  return { result, steps };
}

function statuses(env: Env): Record<string, ContractState['status']> {
  return Object.fromEntries([...env.contracts.contracts.values()].map((c) => [c.originId, c.status]));
}

async function firstRun(env: Env, ids: readonly (string | number)[] = [1, 2, 3, 4]) {
  await run(env, pagedFetch(ids));
  env.target.writes.length = 0;
}

describe('a whole run', () => {
  it('first run creates all, in one step per page, and finishes with success', async () => {
    const env = environment();
    const { result, steps } = await run(env, pagedFetch([1, 2, 3, 4, 5]));
    expect(result).toMatchObject({
      kind: 'finished',
      summary: { result: 'success', complete: true, pagesFetched: 3 },
    });
    expect(result.kind === 'finished' && result.summary.counts).toMatchObject({ found: 5, created: 5 });
    expect(result.kind === 'finished' && result.summary.message).toBe(
      'Created 5, updated 0, deleted 0, unchanged 0 of 5 objects.',
    );
    expect(steps.ran).toEqual(['page-1', 'page-2', 'page-3', 'deletions-plan', 'finish']);
    expect(env.target.objects.size).toBe(5);
    expect(env.recorder.summary?.result).toBe('success');
  });

  it('steps carry cursors and counts, never object data', async () => {
    const env = environment();
    const { steps } = await run(env, pagedFetch([1, 2, 3]));
    for (const stored of steps.memo.values()) expect(stored).not.toContain('thing ');
  });

  it('a re-run skips everything and writes nothing', async () => {
    const env = environment();
    await firstRun(env);
    const { result } = await run(env, pagedFetch([1, 2, 3, 4]), { runId: 'run_2' });
    expect(result.kind === 'finished' && result.summary.counts).toMatchObject({
      skipped: 4,
      created: 0,
      updated: 0,
      deleted: 0,
    });
    expect(env.target.writes).toEqual([]);
  });

  it('a forced run counts as updated only what changed, and its rewrites of identical objects apart', async () => {
    const env = environment();
    await firstRun(env, [1, 2, 3, 4]);
    const changed: PageFetch = async (request) => {
      const response = await pagedFetch([1, 2, 3, 4])(request);
      const body = (response as { body: { items: { id: number; name: string }[] } }).body;
      return json({ ...body, items: body.items.map((o) => (o.id === 2 ? { ...o, name: 'renamed' } : o)) });
    };
    const { result } = await run(env, changed, { runId: 'run_2', force: true });
    if (result.kind !== 'finished') throw new Error('expected a finished run');
    expect(result.summary).toMatchObject({
      result: 'success',
      counts: { found: 4, updated: 1, rewritten: 3, skipped: 0, created: 0 },
    });
    expect(result.summary.message).toBe(
      'Created 0, updated 1, rewrote 3 unchanged, deleted 0, unchanged 0 of 4 objects.',
    );
    // Forced: every object was written, and the contracts say which writes changed the target.
    expect(env.target.writes).toHaveLength(4);
    const actions = [...env.contracts.contracts.values()].map((c) => [c.originId, c.lastAction]);
    expect(actions).toEqual([
      ['1', 'rewrite'],
      ['2', 'update'],
      ['3', 'rewrite'],
      ['4', 'rewrite'],
    ]);
  });

  it('a forced dry run foresees the same: would update what changed, rewrite the rest unchanged', async () => {
    const env = environment();
    await firstRun(env, [1, 2, 3, 4]);
    const { fetch } = sequenceFetch([
      json({ items: [1, 2, 3, 4].map((id) => ({ id, name: id === 2 ? 'renamed' : `thing ${id}` })) }),
    ]);
    const { result } = await run(env, fetch, { runId: 'run_2', force: true, test: true });
    if (result.kind !== 'finished') throw new Error('expected a finished run');
    expect(result.summary.counts).toMatchObject({ updated: 1, rewritten: 3 });
    expect(result.summary.message).toContain('would create 0, update 1, rewrite 3 unchanged, delete 0');
    expect(env.recorder.all().map((e) => [e.action, e.originId])).toEqual([['update', '2']]);
  });

  it('a replayed run returns memoised steps without writing again', async () => {
    const env = environment();
    const { steps, result } = await run(env, pagedFetch([1, 2, 3]));
    const writes = env.target.writes.length;
    const again = await run(env, pagedFetch([1, 2, 3]), {}, steps);
    expect(again.result).toEqual(result);
    expect(env.target.writes.length).toBe(writes);
  });

  it('deletes the target objects of contracts whose origin vanished after a complete listing', async () => {
    const env = environment();
    await firstRun(env);
    const { result } = await run(env, pagedFetch([1, 2, 4]), { runId: 'run_2' });
    expect(result.kind === 'finished' && result.summary).toMatchObject({
      result: 'success',
      counts: { deleted: 1, skipped: 3 },
    });
    expect(statuses(env)).toEqual({ '1': 'synced', '2': 'synced', '3': 'deleted', '4': 'synced' });
    expect(env.target.deleted).toEqual([{ targetId: 'obj-3', policy: 'hard' }]);
  });

  it('a listing with an object whose id cannot be read deletes nothing, and says why (safety rule 9)', async () => {
    const env = environment();
    await firstRun(env, [1, 2, 3]);
    // Object 2 is gone, but the object without an id may be object 2: nothing can be deleted.
    const { fetch } = sequenceFetch([json({ items: [{ id: 1 }, { name: 'x' }, { id: 3 }], next: null })]);
    const { result } = await run(env, fetch, { runId: 'run_2' });
    if (result.kind !== 'finished') throw new Error('expected a finished run');
    expect(result.summary).toMatchObject({
      result: 'warning',
      complete: true,
      counts: { deleted: 0, invalid: 1, unidentified: 1, updated: 2 },
    });
    expect(result.summary.message).toContain(
      '1 object is no longer listed, but 1 object in the listing had no usable id and may be it, so ' +
        'Concord deleted nothing',
    );
    expect(env.target.deleted).toEqual([]);
    expect(statuses(env)).toEqual({ '1': 'synced', '2': 'synced', '3': 'synced' });
    expect(env.recorder.all()).toEqual([
      {
        originId: null,
        action: 'invalid',
        reason:
          'The object at position 2 on page 1 has no usable id: it has no "id" field (the id field of the synchronisation)',
      },
    ]);
  });

  it('an object without an id on an early page still stops deletions after a follow-on execution', async () => {
    const env = environment();
    await firstRun(env, [1, 2, 3, 4]);
    const pages = [[{ id: 1 }, { name: 'x' }], [{ id: 3 }], [{ id: 4 }]];
    const fetch: PageFetch = ({ page }) =>
      Promise.resolve(json({ items: pages[page - 1], next: page < 3 ? `${api}?page=${page + 1}` : null }));
    const first = await run(env, fetch, { runId: 'run_2', pageBudget: 1 });
    if (first.result.kind !== 'continue') throw new Error('expected a continuation');
    // The resume point travels as JSON (an Inngest event, or memory), counts included.
    const resume = JSON.parse(JSON.stringify(first.result.resume)) as typeof first.result.resume;
    const rest = await run(env, fetch, { runId: 'run_2', resume });
    expect(rest.result).toMatchObject({
      kind: 'finished',
      summary: { counts: { deleted: 0, unidentified: 1 } },
    });
    expect(env.target.deleted).toEqual([]);
  });

  it('a dry run over such a listing says that a real run would delete nothing', async () => {
    const env = environment();
    await firstRun(env, [1, 2, 3]);
    const { fetch } = sequenceFetch([json({ items: [{ id: 1 }, { name: 'x' }, { id: 3 }], next: null })]);
    const { result } = await run(env, fetch, { runId: 'run_2', test: true });
    if (result.kind !== 'finished') throw new Error('expected a finished run');
    expect(result.summary.message).toContain('so a real run would delete nothing');
    expect(result.summary.message).toContain('would create 0, update 2, delete 0');
    expect(env.recorder.all().filter((e) => e.action === 'delete')).toEqual([]);
  });

  it.each([
    ['a 500 on page 2', { page: 2, status: 500 }, 'error', 'Page 2 answered 500: Internal error'],
    ['a 429 on page 1', { page: 1, status: 429 }, 'error', 'Page 1 answered 429'],
  ])('%s deletes nothing and says so', async (_name, fail, expected, message) => {
    const env = environment();
    await firstRun(env);
    // Object 4 vanished, and the failed page hides 3: without the safety rule both would be deleted.
    // The share limit is lifted so that only the completeness rule stands between the run and deletion.
    const deletion = deletionSettings({ holdAboveShare: 1 });
    const { result } = await run(env, pagedFetch([1, 2, 3], fail), { runId: 'run_2', deletion });
    if (result.kind !== 'finished') throw new Error('expected a finished run');
    expect(result.summary).toMatchObject({ result: expected, complete: false, counts: { deleted: 0 } });
    expect(result.summary.message).toContain(message);
    expect(result.summary.message).toContain('nothing was deleted');
    expect(env.target.deleted).toEqual([]);
    expect(Object.values(statuses(env))).not.toContain('deleted');
  });

  it.each([
    ['an empty body', json('')],
    ['a missing results position', json({ data: [] })],
  ])('%s deletes nothing', async (_name, response) => {
    const env = environment();
    await firstRun(env);
    const deletion = deletionSettings({ holdAboveShare: 1 });
    const { result } = await run(env, sequenceFetch([response]).fetch, {
      runId: 'run_2',
      resultsPosition: 'items',
      deletion,
    });
    expect(result).toMatchObject({
      kind: 'finished',
      summary: { result: 'error', complete: false, counts: { deleted: 0 } },
    });
    expect(env.target.deleted).toEqual([]);
  });

  it('hitting the page cap is a warning and deletes nothing', async () => {
    const env = environment();
    await firstRun(env, [1, 2, 3, 4, 5, 6]);
    const { result } = await run(env, pagedFetch([1, 2, 3, 4, 5, 6]), { runId: 'run_2', maxPages: 2 });
    expect(result.kind === 'finished' && result.summary).toMatchObject({
      result: 'warning',
      counts: { deleted: 0 },
    });
    expect(result.kind === 'finished' && result.summary.message).toContain('Stopped after 2 pages');
    expect(env.target.deleted).toEqual([]);
  });

  it('holds deletions above the share instead of applying them', async () => {
    const env = environment();
    await firstRun(env);
    const { result } = await run(env, pagedFetch([1]), { runId: 'run_2' });
    if (result.kind !== 'finished') throw new Error('expected a finished run');
    expect(result.summary).toMatchObject({ result: 'warning', counts: { held: 3, deleted: 0 } });
    expect(result.summary.message).toContain('3 of 4 objects (75 %) disappeared');
    expect(statuses(env)).toEqual({ '1': 'synced', '2': 'held', '3': 'held', '4': 'held' });
    expect(env.target.deleted).toEqual([]);
  });

  it('restrictDeletion deletes exact ids only', async () => {
    const env = environment();
    await firstRun(env, ['1', '12', '123', 'a12', 'keep', 'keep2']);
    const deletion = deletionSettings({ restrictDeletion: ['12'] });
    await run(env, pagedFetch(['keep', 'keep2']), { runId: 'run_2', deletion });
    expect(statuses(env)).toMatchObject({ '1': 'synced', '12': 'deleted', '123': 'synced', a12: 'synced' });
  });

  it('test mode writes nothing anywhere and previews the deletions', async () => {
    const env = environment();
    await firstRun(env);
    const before = structuredClone([...env.contracts.contracts.entries()]);
    const { result } = await run(env, pagedFetch([1, 2, 5]), { runId: 'run_2', test: true });
    if (result.kind !== 'finished') throw new Error('expected a finished run');
    expect(result.summary.message).toBe(
      'Dry run, nothing was written: would create 1, update 0, delete 2, unchanged 2 of 3 objects.',
    );
    // Counted as the creates it would make are, so the log's columns say what its message says (it used
    // to keep deleted at 0 beside "delete 2"); env.target.deleted below shows nothing was deleted.
    expect(result.summary).toMatchObject({ test: true, counts: { created: 1, deleted: 2 } });
    expect(env.target.writes).toEqual([]);
    expect(env.target.deleted).toEqual([]);
    expect([...env.contracts.contracts.entries()]).toEqual(before);
    expect(
      env.recorder
        .all()
        .filter((e) => e.action === 'delete')
        .map((e) => e.originId),
    ).toEqual(['3', '4']);
  });

  it('a target that refuses a deletion leaves the contract failed with the reason', async () => {
    const env = environment();
    await firstRun(env);
    env.target.refuse.set('4', '409 still referenced');
    const { result } = await run(env, pagedFetch([1, 2]), { runId: 'run_2' });
    expect(result.kind === 'finished' && result.summary).toMatchObject({
      result: 'warning',
      counts: { deleted: 1, failed: 1 },
    });
    expect(env.contracts.contracts.get('4')).toMatchObject({
      status: 'failed',
      lastAction: 'delete',
      lastError: '409 still referenced',
    });
  });

  it('a disabled source reads, writes and deletes nothing', async () => {
    const env = environment();
    await firstRun(env);
    const { fetch, requested } = sequenceFetch([]);
    const { result } = await run(env, fetch, { runId: 'run_2', sourceDisabled: true });
    expect(result).toMatchObject({
      kind: 'finished',
      summary: { result: 'error', message: expect.stringContaining('disabled') },
    });
    expect(requested).toEqual([]);
    expect(env.target.deleted).toEqual([]);
  });

  it('continues in a follow-on execution when the page budget runs out', async () => {
    const env = environment();
    const first = await run(env, pagedFetch([1, 2, 3, 4, 5]), { pageBudget: 2 });
    if (first.result.kind !== 'continue') throw new Error('expected a continuation');
    expect(first.result.resume).toMatchObject({ pagesFetched: 2, counts: { created: 4 }, from: { page: 3 } });
    const resume = JSON.parse(JSON.stringify(first.result.resume)) as typeof first.result.resume;
    const rest = await run(env, pagedFetch([1, 2, 3, 4, 5]), { resume });
    expect(rest.steps.ran).toEqual(['page-3', 'deletions-plan', 'finish']);
    expect(rest.result).toMatchObject({
      kind: 'finished',
      summary: { result: 'success', counts: { created: 5 } },
    });
  });
});
