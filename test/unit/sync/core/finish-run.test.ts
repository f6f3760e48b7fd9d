import { describe, expect, it } from 'vitest';
import { finishRun } from '@/server/sync/core/finish-run';
import { ZERO_COUNTS, type RunCounts } from '@/server/sync/core/run-result';
import type { UnseenQuery } from '@/server/sync/ports';
import { contract, deletionSettings, runContext, TIMES } from './helpers/factories';
import { MemoryContractStore, MemoryRecorder, MemorySteps, MemoryTarget } from './helpers/fakes';

function environment(ids: string[], seen: string[]) {
  const contracts = new MemoryContractStore(() => TIMES.now).seed(
    ids.map((originId) => contract({ originId })),
  );
  contracts.seen.set('run_1', new Map(seen.map((id) => [id, 1])));
  const target = new MemoryTarget();
  const recorder = new MemoryRecorder();
  return { contracts, target, recorder, ports: { contracts, target, recorder } };
}

const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];

describe('finishRun', () => {
  it('deletes in batches, one step each, until the unseen contracts are done', async () => {
    const env = environment(ids, ['a', 'b', 'c', 'd', 'e', 'f']);
    const steps = new MemorySteps();
    const summary = await finishRun(
      env.ports,
      {
        context: runContext(),
        outcome: { complete: true, pages: 1 },
        counts: { ...ZERO_COUNTS, found: 6, skipped: 6 },
        deletion: deletionSettings(),
        sourceDisabled: false,
        batchSize: 3,
      },
      steps,
    );
    expect(steps.ran).toEqual(['deletions-plan', 'deletions-1', 'deletions-2', 'finish']);
    expect(env.target.deleted.map((d) => d.targetId)).toEqual(['t-g', 't-h', 't-i', 't-j']);
    expect(summary).toMatchObject({ result: 'success', counts: { deleted: 4, skipped: 6 } });
    expect(env.recorder.summary).toEqual(summary);
  });

  it('does not count contracts without a target object as deleted, but closes them', async () => {
    const env = environment([], []);
    env.contracts.seed([
      contract({ originId: 'x', targetId: null, status: 'invalid' }),
      contract({ originId: 'y' }),
      contract({ originId: 'z' }),
    ]);
    env.contracts.seen.set('run_1', new Map([['z', 1]]));
    const summary = await finishRun(
      env.ports,
      {
        context: runContext(),
        outcome: { complete: true, pages: 1 },
        counts: ZERO_COUNTS,
        deletion: deletionSettings({ holdAboveShare: 1 }),
        sourceDisabled: false,
      },
      new MemorySteps(),
    );
    expect(summary.counts.deleted).toBe(1);
    expect(env.contracts.contracts.get('x')).toMatchObject({ status: 'deleted', lastAction: 'delete' });
  });

  it('uses the soft policy when configured', async () => {
    const env = environment(['a', 'b', 'c'], ['a', 'b']);
    await finishRun(
      env.ports,
      {
        context: runContext(),
        outcome: { complete: true, pages: 1 },
        counts: ZERO_COUNTS,
        deletion: deletionSettings({ policy: 'soft' }),
        sourceDisabled: false,
      },
      new MemorySteps(),
    );
    expect(env.target.deleted).toEqual([{ targetId: 't-c', policy: 'soft' }]);
  });

  it('lets the store count instead of walking only when every object found was left with a contract', async () => {
    const env = environment(ids, ids);
    const asked: UnseenQuery[] = [];
    const countUnseen = env.contracts.countUnseen.bind(env.contracts);
    env.contracts.countUnseen = (query) => {
      asked.push(query);
      return countUnseen(query);
    };
    const finish = (counts: RunCounts) =>
      finishRun(
        env.ports,
        {
          context: runContext(),
          outcome: { complete: true, pages: 1 },
          counts,
          deletion: deletionSettings(),
          sourceDisabled: false,
        },
        new MemorySteps(),
      );
    await finish({ ...ZERO_COUNTS, found: 10, created: 4, skipped: 6, withContract: 10 });
    // One skipped without a contract of its own (an update the target did not have): it must walk.
    await finish({ ...ZERO_COUNTS, found: 10, skipped: 10, withContract: 9 });
    // Counts of steps stored before withContract was: they walk too.
    await finish({ ...ZERO_COUNTS, found: 10, skipped: 10, fromMemo: 10 });
    expect(asked.map((q) => q.allListedActive)).toEqual([10, undefined, undefined]);
  });

  it('does not even count contracts when nothing could be deleted', async () => {
    const env = environment(ids, []);
    const steps = new MemorySteps();
    const summary = await finishRun(
      env.ports,
      {
        context: runContext(),
        outcome: {
          complete: false,
          pages: 2,
          problem: { kind: 'loop', page: 2, url: 'https://a.test/?page=1' },
        },
        counts: ZERO_COUNTS,
        deletion: deletionSettings(),
        sourceDisabled: false,
      },
      steps,
    );
    expect(steps.ran).toEqual(['deletions-plan', 'finish']);
    expect(summary).toMatchObject({ result: 'warning', complete: false });
    expect(summary.message).toContain('stopped to avoid a loop');
    expect(env.target.deleted).toEqual([]);
  });
});
