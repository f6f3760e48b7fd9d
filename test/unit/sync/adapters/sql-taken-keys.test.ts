// What a create at a key the table already holds does, per policy: another object's key is refused
// whatever the write mode; a row no contract names is refused (two-way), taken over (upsert) or left
// (insert only); an object's own row, written earlier in the run, is written again.
import { describe, expect, it } from 'vitest';
import type { SqlRow } from '@/server/sync/targets/sql-rows';
import { judgeTakenKey, takenKeyPolicyOf } from '@/server/sync/targets/sql-taken-keys';

const row: SqlRow = {
  originId: 'o1',
  columns: ['id'],
  values: ['10'],
  key: ['10'],
  targetId: '10',
  hash: 'h',
};

describe('judgeTakenKey', () => {
  it('refuses a key another object of the synchronisation wrote or holds, whatever the policy', () => {
    for (const policy of ['refuse', 'take-over', 'leave'] as const) {
      const wrote = judgeTakenKey(row, policy, 'people', { originId: 'o2', wroteThisRun: true });
      expect(wrote).toEqual({
        kind: 'refuse',
        reason: expect.stringContaining('already wrote key 10 in people'),
      });
      const holds = judgeTakenKey(row, policy, 'people', { originId: 'o2', wroteThisRun: false });
      expect(holds).toEqual({ kind: 'refuse', reason: expect.stringContaining('holds key 10 in people') });
    }
  });

  it('a row no contract names: refused naming key and table, taken over, or left', () => {
    expect(judgeTakenKey(row, 'refuse', 'people', undefined)).toEqual({
      kind: 'refuse',
      reason: expect.stringMatching(
        /^the table people already holds a row with key 10 that Concord has no contract for/,
      ),
    });
    expect(judgeTakenKey(row, 'take-over', 'people', undefined)).toEqual({ kind: 'take-over' });
    expect(judgeTakenKey(row, 'leave', 'people', undefined)).toEqual({ kind: 'leave' });
  });

  it("the object's own row is written again", () => {
    expect(judgeTakenKey(row, 'refuse', 'people', { originId: 'o1', wroteThisRun: true })).toEqual({
      kind: 'own',
    });
  });

  it('a one-way target follows its write mode', () => {
    expect(takenKeyPolicyOf('upsert')).toBe('take-over');
    expect(takenKeyPolicyOf('mirror')).toBe('take-over');
    expect(takenKeyPolicyOf('insert-only')).toBe('leave');
  });
});
