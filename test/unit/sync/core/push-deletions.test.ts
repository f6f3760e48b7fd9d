// Deletions a push run was told of: only those objects, under the deletion policy, restrictDeletion
// (exact), the approval share and dry runs — never one the target does not hold a contract for.
import { describe, expect, it } from 'vitest';
import { deleteDeparted } from '@/server/sync/core/push-deletions';
import { contract, deletionSettings, runContext } from './helpers/factories';
import { MemoryContractStore, MemoryRecorder, MemoryTarget } from './helpers/fakes';

function setup(count = 10) {
  const contracts = new MemoryContractStore().seed(
    Array.from({ length: count }, (_, i) => contract({ originId: String(i + 1) })),
  );
  const target = new MemoryTarget();
  return { contracts, target, ports: { contracts, target, recorder: new MemoryRecorder() } };
}

describe('deleteDeparted', () => {
  it('deletes exactly the departed objects with the policy, and marks their contracts deleted', async () => {
    const { contracts, target, ports } = setup();
    const result = await deleteDeparted(
      ports,
      runContext(),
      deletionSettings(),
      ['2', '7', 'unknown'],
      false,
    );
    expect(result.plan).toEqual({ kind: 'apply', candidates: 2, total: 10, policy: 'hard' });
    expect(result.counts).toEqual({ deleted: 2, failed: 0 });
    expect(target.deleted).toEqual([
      { targetId: 't-2', policy: 'hard' },
      { targetId: 't-7', policy: 'hard' },
    ]);
    expect(contracts.contracts.get('2')?.status).toBe('deleted');
    expect(contracts.contracts.get('3')?.status).toBe('synced');
  });

  it('deletes nothing when the policy is none, in a dry run, or outside restrictDeletion', async () => {
    const none = setup();
    const kept = await deleteDeparted(
      none.ports,
      runContext(),
      deletionSettings({ policy: 'none' }),
      ['2'],
      false,
    );
    expect(kept.plan).toEqual({ kind: 'none', reason: 'policy-none' });
    expect(none.target.calls.delete).toBe(0);

    const dry = setup();
    const test = runContext({ mode: { test: true, force: false } });
    const preview = await deleteDeparted(dry.ports, test, deletionSettings(), ['2'], false);
    expect(preview.plan).toMatchObject({ kind: 'preview', candidates: 1 });
    expect(preview.entries).toEqual([{ originId: '2', action: 'delete', reason: 'Gone from the source' }]);
    expect(dry.target.calls.delete).toBe(0);

    const restricted = setup();
    const only12 = deletionSettings({ restrictDeletion: ['12'] });
    const left = await deleteDeparted(restricted.ports, runContext(), only12, ['1', '2'], false);
    expect(left.plan).toEqual({ kind: 'none', reason: 'nothing-vanished' });
    expect(restricted.target.calls.delete).toBe(0);
  });

  it('holds the deletions for approval above the share', async () => {
    const { contracts, target, ports } = setup(4);
    const result = await deleteDeparted(ports, runContext(), deletionSettings(), ['1', '2', '3'], false);
    expect(result.plan).toMatchObject({ kind: 'hold', candidates: 3, total: 4 });
    expect(result.counts).toEqual({ held: 3 });
    expect(target.calls.delete).toBe(0);
    expect(contracts.contracts.get('1')?.status).toBe('held');
  });
});
