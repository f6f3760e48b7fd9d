// A two-way run's result follows the rule of every run (run-result.ts objectsResult): objects that
// failed make it partial, a warning — as a push with the same refused row is — and only a run in which
// not one object got through is an error. A listing that broke off is judged as a one-way run's is.
import { describe, expect, it } from 'vitest';
import type { ListingOutcome } from '@/server/sync/core/pagination/types';
import { DEFAULT_TWO_WAY } from '@/server/sync/core/two-way/settings';
import type { TwoWayContext } from '@/server/sync/two-way/pairs';
import { summarise, type Totals } from '@/server/sync/two-way/summary';
import { emptyTally, type SideTally } from '@/server/sync/two-way/tally';

const ctx = (test = false): TwoWayContext => ({
  runId: 'run_test',
  idField: 'id',
  syncId: 'syn_test',
  mode: { test, force: false },
  checkedAt: new Date(Date.UTC(2026, 11, 7, 9, 0)),
  twoWay: DEFAULT_TWO_WAY,
  hashFields: null,
  reverse: null,
  sourceOwnFields: null,
  origin: { systemId: 'src_test', syncId: 'syn_test', runId: 'run_test' },
  deletionPolicy: 'hard',
});

const complete: ListingOutcome = { complete: true, pages: 1 };
const totals = (found: number, invalid = 0): Totals => ({ found, invalid, filtered: 0, unidentified: 0 });
const tally = (change: (t: SideTally) => void): SideTally => {
  const t = emptyTally();
  change(t);
  return t;
};

describe('a two-way run’s result', () => {
  it('is a warning when some objects failed and others got through', () => {
    const summary = summarise(
      ctx(),
      tally((t) => {
        t.register.created = 1;
        t.unchanged = 3;
        t.failed = 1;
      }),
      totals(5),
      complete,
      1,
      0.5,
    );
    expect(summary.result).toBe('warning');
    expect(summary.counts).toMatchObject({ created: 1, skipped: 3, failed: 1 });
    expect(summary.message).toContain('1 failed (see the entries); they are tried again next run.');
  });

  it('is an error when not one object got through', () => {
    const failedOnly = tally((t) => {
      t.failed = 2;
    });
    expect(summarise(ctx(), failedOnly, totals(2), complete, 1, 0.5).result).toBe('error');
    // Invalid ones too: the register refused every source version.
    expect(summarise(ctx(), emptyTally(), totals(2, 2), complete, 1, 0.5).result).toBe('error');
  });

  it('is a warning for invalid objects beside objects in step, and for what waits for a person', () => {
    const inStep = tally((t) => {
      t.unchanged = 4;
    });
    expect(summarise(ctx(), inStep, totals(5, 1), complete, 1, 0.5).result).toBe('warning');
    const conflict = tally((t) => {
      t.conflicts = 1;
      t.unchanged = 2;
    });
    expect(summarise(ctx(), conflict, totals(3), complete, 1, 0.5).result).toBe('warning');
    expect(summarise(ctx(), inStep, totals(4), complete, 1, 0.5).result).toBe('success');
  });

  it('judges a listing that broke off as a one-way run does: a source that failed is an error, a page cap a warning', () => {
    const inStep = tally((t) => {
      t.unchanged = 4;
    });
    const failedSource: ListingOutcome = {
      complete: false,
      pages: 1,
      problem: {
        kind: 'http-status',
        page: 2,
        url: 'http://127.0.0.1/people?page=2',
        status: 500,
        detail: null,
      },
    };
    const capped: ListingOutcome = {
      complete: false,
      pages: 1,
      problem: { kind: 'page-cap', page: 2, maxPages: 1 },
    };
    const broken = summarise(ctx(), inStep, totals(4), failedSource, 1, 0.5);
    expect(broken.result).toBe('error');
    expect(broken.message).toContain('nothing was deleted on either side');
    const atCap = summarise(ctx(), inStep, totals(4), capped, 1, 0.5);
    expect(atCap.result).toBe('warning');
    expect(atCap.message).toContain('nothing was deleted on either side');
    // A page cap does not hide objects that all failed.
    const allFailed = tally((t) => {
      t.failed = 4;
    });
    expect(summarise(ctx(), allFailed, totals(4), capped, 1, 0.5).result).toBe('error');
  });
});
