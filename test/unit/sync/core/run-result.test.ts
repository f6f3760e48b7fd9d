import { describe, expect, it } from 'vitest';
import { addCounts, summariseRun, ZERO_COUNTS, type SummaryInput } from '@/server/sync/core/run-result';

const ok: SummaryInput = {
  outcome: { complete: true, pages: 2 },
  counts: { ...ZERO_COUNTS, found: 10, created: 2, updated: 3, skipped: 4, deleted: 1, filtered: 1 },
  deletion: { kind: 'apply', candidates: 1, total: 9, policy: 'hard' },
  mode: { force: false, test: false },
};

describe('summariseRun', () => {
  it('a clean run is a success with the counts in words', () => {
    expect(summariseRun(ok)).toEqual({
      result: 'success',
      message: 'Created 2, updated 3, deleted 1, unchanged 4, filtered out 1 of 10 objects.',
      counts: ok.counts,
      pagesFetched: 2,
      complete: true,
      test: false,
    });
  });

  it('some invalid or failed objects make a partial run (a warning) that says how many and where to look', () => {
    const summary = summariseRun({ ...ok, counts: { ...ok.counts, invalid: 1, failed: 1 } });
    expect(summary.result).toBe('warning');
    expect(summary.message).toContain(
      'Partly synchronised: 1 invalid (refused by Concord before writing) and 1 failed (refused by the ' +
        'target, or it did not answer); each has its reason in the entries.',
    );
  });

  it('a run that did its job with objects the target refused, also deletions, is partial, not an error', () => {
    // Two objects created, four writes and two deletions refused: more refusals than objects found.
    const counts = { ...ZERO_COUNTS, found: 6, created: 2, failed: 6 };
    const summary = summariseRun({ ...ok, counts, deletion: { kind: 'none', reason: 'nothing-vanished' } });
    expect(summary.result).toBe('warning');
    expect(summary.message).toContain('Partly synchronised: 6 failed');
  });

  it('a dry run says what would not be synchronised, in the same words', () => {
    const summary = summariseRun({
      ...ok,
      counts: { ...ok.counts, invalid: 1 },
      mode: { force: false, test: true },
      deletion: { kind: 'preview', candidates: 1, total: 9, limit: 0.5, wouldHold: false },
    });
    expect(summary).toMatchObject({ result: 'warning', test: true });
    expect(summary.message).toContain(
      'Some objects would not be synchronised: 1 invalid (refused by Concord before writing)',
    );
  });

  it('when no object got through at all, the run is an error', () => {
    const counts = { ...ZERO_COUNTS, found: 3, invalid: 1, failed: 2 };
    const summary = summariseRun({ ...ok, counts, deletion: { kind: 'none', reason: 'nothing-vanished' } });
    expect(summary.result).toBe('error');
    expect(summary.message).toContain('Nothing was synchronised: 1 invalid');
  });

  it('an incomplete listing says what went wrong and that nothing was deleted', () => {
    const summary = summariseRun({
      ...ok,
      outcome: {
        complete: false,
        pages: 2,
        problem: { kind: 'http-status', page: 3, url: 'u', status: 503, detail: 'maintenance' },
      },
      deletion: { kind: 'none', reason: 'incomplete-listing' },
    });
    expect(summary.result).toBe('error');
    expect(summary.message).toMatch(
      /^Page 3 answered 503: maintenance .* — the listing is incomplete, so nothing was deleted\. Before that: created 2/,
    );
  });

  it('held deletions are a warning with the numbers', () => {
    const summary = summariseRun({
      ...ok,
      deletion: { kind: 'hold', candidates: 6, total: 10, share: 0.6, limit: 0.5 },
    });
    expect(summary.result).toBe('warning');
    expect(summary.message).toContain(
      '6 of 10 objects (60 %) disappeared from the source, more than the 50 % limit',
    );
  });

  it('a dry run speaks in would', () => {
    const summary = summariseRun({
      ...ok,
      mode: { force: false, test: true },
      deletion: { kind: 'preview', candidates: 7, total: 10, limit: 0.5, wouldHold: true },
    });
    expect(summary.message).toContain('Dry run, nothing was written: would create 2, update 3, delete 7');
    expect(summary.message).toContain('A real run would hold these 7 deletions for approval');
  });
});

describe('addCounts', () => {
  it('adds field by field', () => {
    expect(addCounts({ ...ZERO_COUNTS, found: 2, created: 1 }, { found: 3, failed: 1 })).toEqual({
      ...ZERO_COUNTS,
      found: 5,
      created: 1,
      failed: 1,
    });
  });
});
