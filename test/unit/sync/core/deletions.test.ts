import { describe, expect, it } from 'vitest';
import { mayDelete, planDeletions, type DeletionInput } from '@/server/sync/core/deletions';
import { deletionSettings } from './helpers/factories';

const complete: DeletionInput = {
  outcome: { complete: true, pages: 3 },
  mode: { force: false, test: false },
  sourceDisabled: false,
  settings: deletionSettings(),
  candidates: 2,
  total: 10,
  unidentified: 0,
};

describe('planDeletions', () => {
  it('applies deletions after a complete listing with the configured policy', () => {
    expect(planDeletions(complete)).toEqual({ kind: 'apply', candidates: 2, total: 10, policy: 'hard' });
    expect(planDeletions({ ...complete, settings: deletionSettings({ policy: 'soft' }) })).toMatchObject({
      policy: 'soft',
    });
  });

  it('deletes nothing after an incomplete listing, whatever the reason', () => {
    for (const problem of [
      { kind: 'http-status', page: 2, url: 'u', status: 500, detail: null },
      { kind: 'page-cap', page: 50, maxPages: 50 },
      { kind: 'loop', page: 4, url: 'u' },
    ] as const) {
      expect(planDeletions({ ...complete, outcome: { complete: false, pages: 1, problem } })).toEqual({
        kind: 'none',
        reason: 'incomplete-listing',
      });
    }
  });

  it('deletes nothing after a file read to its end with a line it could not read, before counting', () => {
    const unreadable = { count: 1, samples: [{ line: 9, reason: 'it has 6 fields but the header has 5' }] };
    const outcome = { complete: true, pages: 1, unreadable } as const;
    // Whatever vanished (or nothing), and in a dry run too: any object may be the unread line.
    for (const candidates of [0, 1, 5])
      for (const mode of [
        { force: false, test: false },
        { force: false, test: true },
      ])
        expect(planDeletions({ ...complete, outcome, candidates, mode })).toEqual({
          kind: 'none',
          reason: 'unreadable-records',
          unreadable,
        });
    // A synchronisation that never deletes has nothing to say about it.
    const never = deletionSettings({ policy: 'none' });
    expect(planDeletions({ ...complete, outcome, settings: never })).toMatchObject({ reason: 'policy-none' });
    // Read without such lines, the same file deletes as usual.
    const clean = { complete: true, pages: 1, unreadable: { count: 0, samples: [] } } as const;
    expect(planDeletions({ ...complete, outcome: clean })).toMatchObject({ kind: 'apply' });
  });

  it('deletes nothing when the listing held an object whose id could not be read', () => {
    for (const mode of [
      { force: false, test: false },
      { force: false, test: true },
    ]) {
      expect(planDeletions({ ...complete, mode, unidentified: 1 })).toEqual({
        kind: 'none',
        reason: 'unidentified-objects',
        candidates: 2,
        unidentified: 1,
      });
    }
    // Nothing vanished: there is nothing the object without an id could be.
    expect(planDeletions({ ...complete, candidates: 0, unidentified: 1 })).toEqual({
      kind: 'none',
      reason: 'nothing-vanished',
    });
  });

  it('plans none when an object was listed on two pages: the listing shifted and may have left others out', () => {
    expect(planDeletions({ ...complete, repeated: 1 })).toEqual({
      kind: 'none',
      reason: 'repeated-ids',
      candidates: 2,
      repeated: 1,
    });
    expect(planDeletions({ ...complete, candidates: 0, repeated: 1 })).toEqual({
      kind: 'none',
      reason: 'nothing-vanished',
    });
  });

  it('deletes nothing in test mode, but previews what a real run would do', () => {
    expect(planDeletions({ ...complete, mode: { force: false, test: true } })).toEqual({
      kind: 'preview',
      candidates: 2,
      total: 10,
      limit: 0.5,
      wouldHold: false,
    });
  });

  it('deletes nothing when the source is disabled or the policy is none', () => {
    expect(planDeletions({ ...complete, sourceDisabled: true })).toEqual({
      kind: 'none',
      reason: 'source-disabled',
    });
    expect(planDeletions({ ...complete, settings: deletionSettings({ policy: 'none' }) })).toEqual({
      kind: 'none',
      reason: 'policy-none',
    });
  });

  it('holds deletions above the share for approval', () => {
    expect(planDeletions({ ...complete, candidates: 6 })).toEqual({
      kind: 'hold',
      candidates: 6,
      total: 10,
      share: 0.6,
      limit: 0.5,
    });
    expect(planDeletions({ ...complete, candidates: 5 })).toMatchObject({ kind: 'apply' });
  });

  it('uses a configured share', () => {
    const settings = deletionSettings({ holdAboveShare: 0.1 });
    expect(planDeletions({ ...complete, settings, candidates: 2 })).toMatchObject({
      kind: 'hold',
      limit: 0.1,
    });
  });

  it('a preview says when a real run would hold', () => {
    expect(planDeletions({ ...complete, candidates: 9, mode: { force: false, test: true } })).toMatchObject({
      wouldHold: true,
    });
  });

  it('has nothing to do when nothing vanished', () => {
    expect(planDeletions({ ...complete, candidates: 0 })).toEqual({
      kind: 'none',
      reason: 'nothing-vanished',
    });
  });
});

describe('restrictDeletion', () => {
  it('matches ids exactly, never as substrings', () => {
    const restrict = ['12', 'abc'];
    expect(mayDelete('12', restrict)).toBe(true);
    expect(mayDelete('123', restrict)).toBe(false);
    expect(mayDelete('1', restrict)).toBe(false);
    expect(mayDelete('a12', restrict)).toBe(false);
    expect(mayDelete('ABC', restrict)).toBe(false);
  });

  it('allows every id when not set, and none when empty', () => {
    expect(mayDelete('x', null)).toBe(true);
    expect(mayDelete('x', [])).toBe(false);
  });
});
