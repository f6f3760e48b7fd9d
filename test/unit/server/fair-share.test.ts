// The embedded runner's choice of queued runs: one organisation's runs never hold every slot while
// another organisation's run waits (issue 9: two stuck syncs of one organisation made another's
// one-row sync wait four minutes).
import { describe, expect, it } from 'vitest';
import { chooseRuns, type QueuedRun } from '@/server/runner/fair-share';

const run = (id: string, orgId: string, syncId = `syn_${id}`): QueuedRun => ({ id, orgId, syncId });
const ids = (runs: readonly QueuedRun[]) => runs.map((r) => r.id);

describe('chooseRuns', () => {
  it('fills the slots oldest first when one organisation is alone', () => {
    expect(ids(chooseRuns([run('a1', 'A'), run('a2', 'A'), run('a3', 'A')], [], 2))).toEqual(['a1', 'a2']);
  });

  it('alternates between organisations that are waiting together', () => {
    const queued = [run('a1', 'A'), run('a2', 'A'), run('a3', 'A'), run('b1', 'B'), run('b2', 'B')];
    expect(ids(chooseRuns(queued, [], 2))).toEqual(['a1', 'b1']);
    expect(ids(chooseRuns(queued, [], 4))).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  it("starts another organisation's first run at once when one organisation holds every slot", () => {
    const active = [
      { orgId: 'A', syncId: 'syn_x' },
      { orgId: 'A', syncId: 'syn_y' },
    ];
    const queued = [run('a3', 'A'), run('b1', 'B'), run('b2', 'B'), run('c1', 'C')];
    expect(ids(chooseRuns(queued, active, 2))).toEqual(['b1', 'c1']);
    // Never beyond twice the concurrency, and never a second run of an organisation on a fairness slot.
    expect(ids(chooseRuns([...queued, run('d1', 'D')], active, 2))).toEqual(['b1', 'c1']);
  });

  it('keeps one run per synchronisation', () => {
    const queued = [run('a1', 'A', 'syn_1'), run('a2', 'A', 'syn_1'), run('a3', 'A', 'syn_2')];
    expect(ids(chooseRuns(queued, [], 3))).toEqual(['a1', 'a3']);
    expect(ids(chooseRuns(queued, [{ orgId: 'A', syncId: 'syn_1' }], 3))).toEqual(['a3']);
  });
});
