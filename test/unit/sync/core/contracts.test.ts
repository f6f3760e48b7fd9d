import { describe, expect, it } from 'vitest';
import { canTransition, CONTRACT_STATUSES, evolveContract } from '@/server/sync/core/contracts';
import { contract } from './helpers/factories';

describe('contract status transitions', () => {
  it('a new contract can only start as synced, failed, rejected, invalid or (two-way, matched) conflict', () => {
    expect(CONTRACT_STATUSES.filter((to) => canTransition('new', to))).toEqual([
      'synced',
      'failed',
      'rejected',
      'invalid',
      'conflict',
    ]);
  });

  it('a deleted contract cannot be held again, but can be recreated', () => {
    expect(canTransition('deleted', 'held')).toBe(false);
    expect(canTransition('deleted', 'synced')).toBe(true);
  });

  it('evolveContract throws on an impossible transition, which is an engine bug', () => {
    expect(() => evolveContract(null, 'x', { status: 'deleted', lastAction: 'delete' })).toThrow(
      /cannot become deleted/,
    );
    expect(() =>
      evolveContract(contract({ originId: 'x', status: 'deleted' }), 'x', {
        status: 'held',
        lastAction: 'hold',
      }),
    ).toThrow();
  });

  it('evolveContract keeps what it is not told to change', () => {
    const next = evolveContract(contract({ originId: 'x', targetId: 't9' }), 'x', {
      status: 'synced',
      lastAction: 'skip',
    });
    expect(next).toMatchObject({ originId: 'x', targetId: 't9', lastAction: 'skip' });
  });
});
