import { describe, expect, it } from 'vitest';
import {
  addCounts,
  summariseRun,
  withStandingRefusals,
  ZERO_COUNTS,
  type SummaryInput,
} from '@/server/sync/core/run-result';

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

  it('a file read to its end with an unreadable line is a warning that says once why nothing was deleted', () => {
    const unreadable = { count: 1, samples: [{ line: 9, reason: 'it has 6 fields but the header has 5' }] };
    const input: SummaryInput = {
      outcome: { complete: true, pages: 1, unreadable },
      counts: { ...ZERO_COUNTS, found: 10, created: 7, invalid: 3, unidentified: 2 },
      deletion: { kind: 'none', reason: 'unreadable-records', unreadable },
      mode: { force: false, test: false },
    };
    const summary = summariseRun(input);
    expect(summary).toMatchObject({ result: 'warning', complete: true, unreadable: 1, pagesFetched: 1 });
    expect(summary.message).toBe(
      'Created 7, updated 0, deleted 0, unchanged 0 of 10 objects. Partly synchronised: 3 invalid (refused by ' +
        'Concord before writing); each has its reason in the entries. Deletions were not carried out: line 9 ' +
        'could not be read, so Concord cannot tell which objects left the file.',
    );
    expect(summary.message).not.toMatch(/\.\./);
    // A dry run says what a real run would not do; several lines are named, the rest counted.
    const many = {
      count: 7,
      samples: [9, 12, 15].map((line) => ({ line, reason: 'it has 6 fields but the header has 5' })),
    };
    const test = summariseRun({
      ...input,
      outcome: { complete: true, pages: 1, unreadable: many },
      deletion: { kind: 'none', reason: 'unreadable-records', unreadable: many },
      mode: { force: false, test: true },
    });
    expect(test.message).toContain(
      'A real run would not carry out deletions: lines 9, 12, 15 and 4 more could not be read',
    );
    // Nothing got through: an error, as for any run whose every object was refused.
    const none = summariseRun({ ...input, counts: { ...input.counts, created: 0, invalid: 10 } });
    expect(none.result).toBe('error');
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

  // A dry run counts the deletions it previews as a real run would count them (finish-run.ts), and its
  // message says what its counts say: deleted, or held for approval.
  it('a dry run speaks in would, of the deletions it counted', () => {
    const summary = summariseRun({
      ...ok,
      counts: { ...ok.counts, deleted: 2 },
      mode: { force: false, test: true },
      deletion: { kind: 'preview', candidates: 2, total: 10, limit: 0.5, wouldHold: false },
    });
    expect(summary.message).toBe(
      'Dry run, nothing was written: would create 2, update 3, delete 2, unchanged 4, filtered out 1 of 10 objects.',
    );
  });

  it('a dry run whose deletions a real run would hold says so, and deletes none', () => {
    const summary = summariseRun({
      ...ok,
      counts: { ...ok.counts, deleted: 0, held: 7 },
      mode: { force: false, test: true },
      deletion: { kind: 'preview', candidates: 7, total: 10, limit: 0.5, wouldHold: true },
    });
    expect(summary.message).toContain('Dry run, nothing was written: would create 2, update 3, delete 0');
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

describe('withStandingRefusals', () => {
  const summary = (counts: Partial<typeof ZERO_COUNTS>, test = false) => ({
    result: 'success' as const,
    message: 'Created 0, updated 0, deleted 0, unchanged 4 of 4 objects.',
    counts: { ...ZERO_COUNTS, ...counts },
    pagesFetched: 1,
    complete: true,
    test,
  });

  it('says objects refused earlier are still missing from the target, one or several', () => {
    expect(withStandingRefusals(summary({ found: 4, skipped: 4 }), 1).message).toBe(
      'Created 0, updated 0, deleted 0, unchanged 4 of 4 objects. 1 object the target refused in an earlier run is still refused: it is sent again once it changes (its contract says why).',
    );
    expect(withStandingRefusals(summary({ found: 4, skipped: 4 }), 3).message).toContain(
      '3 objects the target refused in earlier runs are still refused: each is sent again once it changes',
    );
  });

  it('leaves the summary as it is with none, in a dry run, and when the run names its own failures', () => {
    const plain = summary({ found: 4, skipped: 4 });
    expect(withStandingRefusals(plain, 0)).toBe(plain);
    const dry = summary({ found: 4, skipped: 4 }, true);
    expect(withStandingRefusals(dry, 2)).toBe(dry);
    const failing = summary({ found: 4, skipped: 3, failed: 1 });
    expect(withStandingRefusals(failing, 2)).toBe(failing);
  });
});
