import { describe, expect, it } from 'vitest';
import { decide, moment, newerSide, type PairInput } from '@/server/sync/core/decide';
import { DEFAULT_TWO_WAY, type TwoWaySettings } from '@/server/sync/core/two-way/settings';

const base = { sourceHash: 's0', targetHash: 't0', sourceWritten: null, deleted: false };
const side = (hash: string, updatedAt: unknown = null) => ({ hash, updatedAt });
const with_ = (settings: Partial<TwoWaySettings>) => ({ ...DEFAULT_TWO_WAY, ...settings });
const input = (over: Partial<PairInput>): PairInput => ({
  base,
  source: side('s0'),
  target: side('t0'),
  same: false,
  settings: DEFAULT_TWO_WAY,
  ...over,
});

describe('two-way decisions: no contract', () => {
  it('an object only at the source is created on the target', () => {
    expect(decide(input({ base: null, target: null }))).toMatchObject({ do: 'to-target', create: true });
  });

  it('an object only on the target follows the target-only policy (seed 000, scenario 1)', () => {
    const only = (targetOnly: TwoWaySettings['targetOnly']) =>
      decide(input({ base: null, source: null, settings: with_({ targetOnly }) }));
    expect(only('leave')).toEqual({ do: 'nothing', why: 'left-alone' });
    expect(only('delete')).toMatchObject({ do: 'delete-target', why: 'target-only' });
    expect(only('add-to-source')).toMatchObject({ do: 'to-source', create: true, why: 'target-only' });
  });

  it('two matched objects with the same content are linked; different content is a conflict', () => {
    expect(decide(input({ base: null, same: true }))).toEqual({ do: 'rebase', why: 'matched' });
    expect(decide(input({ base: null }))).toEqual({ do: 'conflict', kind: 'both-changed' });
  });
});

describe('two-way decisions: both sides hold it', () => {
  it('neither changed: nothing', () => {
    expect(decide(input({ same: true }))).toEqual({ do: 'nothing', why: 'unchanged' });
  });

  it('one side changed since the base: it is copied to the other', () => {
    expect(decide(input({ source: side('s1') }))).toMatchObject({ do: 'to-target', create: false });
    expect(decide(input({ target: side('t1') }))).toMatchObject({ do: 'to-source', create: false });
  });

  it('the clock never decides which side changed: an older date on the changed side still wins', () => {
    const skewed = input({
      source: side('s0', '2026-12-03T12:00:00Z'),
      target: side('t1', '2026-12-03T10:00:00Z'),
      settings: with_({ conflictPolicy: 'newer-wins', updatedAt: { source: 'u', target: 'u' } }),
    });
    expect(decide(skewed)).toMatchObject({ do: 'to-source' });
  });

  it('identical edits on both sides are no conflict: the new versions become the base', () => {
    expect(decide(input({ source: side('s1'), target: side('t1'), same: true }))).toEqual({
      do: 'rebase',
      why: 'identical-edits',
    });
  });

  it('the source answering with exactly what Concord wrote is its own echo, not a change', () => {
    const echo = input({ base: { ...base, sourceWritten: 's9' }, source: side('s9'), target: side('t1') });
    expect(decide(echo)).toMatchObject({ do: 'to-source' });
    const echoOnly = input({ base: { ...base, sourceWritten: 's9' }, source: side('s9'), same: false });
    // Neither changed, yet they differ: the source of truth brings them together — not a source change.
    expect(decide(echoOnly)).toMatchObject({ do: 'to-target', why: 'apart' });
  });

  it('both changed into different versions: a conflict, settled by the policy or kept for a person', () => {
    const both = (conflictPolicy: TwoWaySettings['conflictPolicy'], extra: Partial<PairInput> = {}) =>
      decide(
        input({ source: side('s1'), target: side('t1'), settings: with_({ conflictPolicy }), ...extra }),
      );
    expect(both('manual')).toEqual({ do: 'conflict', kind: 'both-changed' });
    expect(both('source-wins')).toMatchObject({ do: 'to-target', settled: { by: 'source-wins' } });
    expect(both('target-wins')).toMatchObject({ do: 'to-source', settled: { by: 'target-wins' } });
  });

  it('newer wins by the updated-at values, and falls back to the source of truth without them or on a tie', () => {
    const newer = (s: unknown, t: unknown, sourceOfTruth: 'source' | 'target' = 'source') =>
      decide(
        input({
          source: side('s1', s),
          target: side('t1', t),
          settings: with_({ conflictPolicy: 'newer-wins', sourceOfTruth }),
        }),
      );
    expect(newer('2026-12-03T10:00:00Z', '2026-12-03T11:00:00Z')).toMatchObject({
      do: 'to-source',
      settled: { by: 'newer-wins' },
    });
    expect(newer('2026-12-03T12:00:00Z', '2026-12-03T11:00:00Z')).toMatchObject({ do: 'to-target' });
    expect(newer(null, '2026-12-03T11:00:00Z')).toMatchObject({
      do: 'to-target',
      settled: { by: 'source-of-truth' },
    });
    expect(newer(5, 5, 'target')).toMatchObject({ do: 'to-source', settled: { by: 'source-of-truth' } });
  });

  it('sides apart though neither changed (a refused write) are brought together from the source of truth', () => {
    expect(decide(input({}))).toMatchObject({ do: 'to-target' });
    expect(decide(input({ settings: with_({ sourceOfTruth: 'target' }) }))).toMatchObject({
      do: 'to-source',
    });
  });
});

describe('two-way decisions: deletes', () => {
  it('deleted at the source, unchanged on the target: deleted on the target', () => {
    expect(decide(input({ source: null }))).toMatchObject({ do: 'delete-target', why: 'source-deleted' });
  });

  it('deleted in the register, unchanged at the source: deleted at the source', () => {
    expect(decide(input({ target: null }))).toMatchObject({ do: 'delete-source', why: 'target-deleted' });
  });

  it('a delete on one side and an edit on the other is a conflict, never a silent resurrection', () => {
    expect(decide(input({ source: null, target: side('t1') }))).toEqual({
      do: 'conflict',
      kind: 'source-deleted',
    });
    expect(decide(input({ source: side('s1'), target: null }))).toEqual({
      do: 'conflict',
      kind: 'target-deleted',
    });
    const settings = with_({ conflictPolicy: 'target-wins' });
    expect(decide(input({ source: null, target: side('t1'), settings }))).toMatchObject({
      do: 'to-source',
      create: true,
    });
    expect(decide(input({ source: side('s1'), target: null, settings }))).toMatchObject({
      do: 'delete-source',
    });
  });

  it('both gone: the contract stays a tombstone; the source bringing it back creates it again', () => {
    expect(decide(input({ source: null, target: null }))).toEqual({ do: 'nothing', why: 'both-gone' });
    const tomb = { ...base, deleted: true };
    expect(decide(input({ base: tomb, source: side('s1'), target: null }))).toMatchObject({
      do: 'to-target',
      why: 'reappeared',
    });
    // Soft deleted at the source by Concord: still listed, exactly as it was marked. Not new.
    expect(decide(input({ base: tomb, target: null }))).toEqual({ do: 'nothing', why: 'both-gone' });
  });
});

describe('dates for newer wins', () => {
  it('reads ISO strings, seconds and milliseconds, and refuses what is not a date', () => {
    expect(moment('2026-12-03T10:00:00Z')).toBe(Date.parse('2026-12-03T10:00:00Z'));
    expect(moment(1_764_756_000)).toBe(1_764_756_000_000);
    expect(moment(1_764_756_000_000)).toBe(1_764_756_000_000);
    expect(moment('soon')).toBeNull();
    expect(newerSide('2026-01-01', 'nope')).toBeNull();
  });
});
