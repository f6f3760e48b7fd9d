// Whole runs with sub-objects: children vanish through the normal unseen logic (a removed child, or
// every child of a removed parent), and every deletion safety rule covers them as it covers parents.
import { describe, expect, it } from 'vitest';
import type { ContractState } from '@/server/sync/core/contracts';
import { runSync } from '@/server/sync/core/run-plan';
import type { SubObjectSettings } from '@/server/sync/core/sub-objects';
import { deletionSettings, NO_SETTINGS, runContext, TIMES } from './helpers/factories';
import { MemoryContractStore, MemoryRecorder, MemorySteps, MemoryTarget, pagesSource } from './helpers/fakes';

const LINES: SubObjectSettings = {
  path: 'lines',
  idField: 'id',
  settings: NO_SETTINGS,
  mappingChangedAt: null,
};

type Order = { id: number; lines?: { id: string; qty: number }[] };

const orders = (): Order[] => [
  {
    id: 1,
    lines: [
      { id: 'a', qty: 1 },
      { id: 'b', qty: 2 },
    ],
  },
  { id: 2, lines: [{ id: 'a', qty: 3 }] },
  { id: 3, lines: [{ id: 'c', qty: 4 }] },
  { id: 4, lines: [{ id: 'd', qty: 5 }] },
];

function environment() {
  const clock = { now: TIMES.lastRun };
  const contracts = new MemoryContractStore(() => clock.now);
  const target = new MemoryTarget();
  const recorder = new MemoryRecorder();
  return { clock, contracts, target, recorder, ports: { contracts, target, recorder } };
}

type Env = ReturnType<typeof environment>;

async function run(
  env: Env,
  pages: readonly Order[][],
  options: { runId?: string; test?: boolean; complete?: boolean; holdAboveShare?: number } = {},
) {
  const runId = options.runId ?? 'run_1';
  env.clock.now = runId === 'run_1' ? TIMES.lastRun : TIMES.now;
  const end =
    options.complete === false
      ? {
          complete: false as const,
          pages: pages.length,
          problem: { kind: 'page-cap' as const, page: 1, maxPages: 1 },
        }
      : { complete: true as const, pages: pages.length };
  const result = await runSync(
    {
      source: pagesSource(pages, end),
      ports: env.ports,
      context: runContext({
        runId,
        checkedAt: runId === 'run_1' ? TIMES.lastRun : TIMES.thisRun,
        mode: { force: false, test: options.test ?? false },
        origin: { systemId: 'src_1', syncId: 'syn_1', runId },
        subObjects: [LINES],
      }),
      deletion: deletionSettings({ holdAboveShare: options.holdAboveShare ?? 0.5 }),
      sourceDisabled: false,
    },
    new MemorySteps(),
  );
  if (result.kind !== 'finished') throw new Error('run did not finish');
  return result.summary;
}

function statuses(env: Env): Record<string, ContractState['status']> {
  return Object.fromEntries([...env.contracts.contracts.values()].map((c) => [c.originId, c.status]));
}

describe('runs with sub-objects', () => {
  it('creates parents and children over several pages, and a re-run skips all of them', async () => {
    const env = environment();
    const pages = [orders().slice(0, 2), orders().slice(2)];
    expect((await run(env, pages)).counts).toMatchObject({ found: 9, created: 9 });
    env.target.writes.length = 0;
    const again = await run(env, pages, { runId: 'run_2' });
    expect(again.counts).toMatchObject({ found: 9, skipped: 9, created: 0, deleted: 0 });
    expect(env.target.writes).toEqual([]);
  });

  it('deletes a child removed from its parent, and every child of a removed parent', async () => {
    const env = environment();
    await run(env, [orders()]);
    const next = orders().filter((o) => o.id !== 3);
    next[0]!.lines = next[0]!.lines!.filter((l) => l.id !== 'b');
    const summary = await run(env, [next], { runId: 'run_2' });
    expect(summary.counts).toMatchObject({ deleted: 3, skipped: 5, created: 0 });
    expect(statuses(env)).toMatchObject({
      '1': 'synced',
      '1/lines/a': 'synced',
      '1/lines/b': 'deleted',
      '3': 'deleted',
      '3/lines/c': 'deleted',
      '2/lines/a': 'synced',
    });
  });

  it('deletes no child after an incomplete listing', async () => {
    const env = environment();
    await run(env, [orders()]);
    const summary = await run(env, [orders().slice(0, 1)], { runId: 'run_2', complete: false });
    expect(summary.counts.deleted).toBe(0);
    expect(Object.values(statuses(env)).every((s) => s === 'synced')).toBe(true);
  });

  it('deletes nothing when a child has no usable id: it may be the child that vanished', async () => {
    const env = environment();
    await run(env, [orders()]);
    const next = orders();
    next[0]!.lines = [{ id: 'a', qty: 1 }, { qty: 2 } as never];
    const summary = await run(env, [next], { runId: 'run_2' });
    expect(summary.counts).toMatchObject({ deleted: 0, unidentified: 1 });
    expect(summary.message).toContain('had no usable id');
    expect(statuses(env)['1/lines/b']).toBe('synced');
  });

  it('counts children in the share that holds deletions for approval', async () => {
    const env = environment();
    await run(env, [orders()]);
    // Orders 1 and 2 go with their three lines: 5 of 9 contracts, more than half.
    const summary = await run(env, [orders().slice(2)], { runId: 'run_2' });
    expect(summary.counts).toMatchObject({ held: 5, deleted: 0 });
    expect(statuses(env)['1/lines/b']).toBe('held');
  });

  it('a dry run lists the children it would delete and deletes nothing', async () => {
    const env = environment();
    await run(env, [orders()]);
    const summary = await run(env, [orders().slice(1)], { runId: 'run_2', test: true });
    expect(summary.message).toMatch(/delete 3/);
    expect(env.target.deleted).toEqual([]);
    expect(
      env.recorder
        .all()
        .filter((e) => e.action === 'delete')
        .map((e) => e.originId),
    ).toEqual(['1', '1/lines/a', '1/lines/b']);
  });
});
