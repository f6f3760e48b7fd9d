import { describe, expect, it } from 'vitest';
import { can, canAssignRole } from '@/server/auth/permissions';
import { ADDRESS_POLICY, lockDuration } from '@/server/auth/throttle';

describe('permissions', () => {
  it('gives viewers read access only', () => {
    expect(can('viewer', 'syncs.read')).toBe(true);
    expect(can('viewer', 'syncs.write')).toBe(false);
    expect(can('viewer', 'members.manage')).toBe(false);
  });

  it('lets editors change configuration but not members', () => {
    expect(can('editor', 'syncs.write')).toBe(true);
    expect(can('editor', 'members.manage')).toBe(false);
  });

  it('keeps ownership in owners’ hands', () => {
    expect(canAssignRole('admin', 'viewer', 'editor')).toBe(true);
    expect(canAssignRole('admin', 'viewer', 'owner')).toBe(false);
    expect(canAssignRole('admin', 'owner', 'viewer')).toBe(false);
    expect(canAssignRole('owner', 'admin', 'owner')).toBe(true);
    expect(canAssignRole('editor', 'viewer', 'viewer')).toBe(false);
  });
});

describe('sign-in throttle', () => {
  it('doubles the wait after a few free attempts, up to a cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => lockDuration(n))).toEqual([0, 0, 1000, 2000, 4000]);
    expect(lockDuration(50)).toBe(15 * 60_000);
    // A client address gets more free attempts: several people may share it.
    expect([19, 20, 21].map((n) => lockDuration(n, ADDRESS_POLICY))).toEqual([0, 1000, 2000]);
  });
});
