// The run's timeline in lines: a page with its retries before it and the listing's end after the last
// one; a failed page with the reason a person acts on; the deletion plan and its batches in words.
import { describe, expect, it } from 'vitest';
import { csvField } from '@/server/services/run-export';
import { maskedUrl } from '@/server/sync/http/redact';
import {
  deletionBatchTimeline,
  deletionPlanTimeline,
  endTimeline,
  pageTimeline,
} from '@/server/sync/core/timeline';

const read = { startedAt: 1_000, durationMs: 40 };

describe('pageTimeline', () => {
  it('puts the retries of the request before its page, and the facts of the fetch on the page', () => {
    const lines = pageTimeline(
      {
        number: 2,
        url: 'https://api.test/people?page=2',
        objects: [{}, {}, {}],
        then: { kind: 'next', cursor: {} },
        total: 30,
        fetch: {
          url: 'https://api.test/people?page=2&token=***',
          status: 200,
          durationMs: 1_250,
          startedAt: 900,
          retries: [
            { attempt: 1, cause: 'server', reason: '502 Bad Gateway', status: 502, waitMs: 1_000, at: 950 },
          ],
        },
      },
      read,
    );
    expect(lines).toEqual([
      {
        kind: 'retry',
        at: 950,
        page: 2,
        waitMs: 1_000,
        detail: '502 Bad Gateway',
        status: 502,
        data: { attempt: 1, cause: 'server' },
      },
      {
        kind: 'page',
        at: 900,
        page: 2,
        durationMs: 1_250,
        objects: 3,
        url: 'https://api.test/people?page=2&token=***',
        status: 200,
        data: { total: 30 },
      },
    ]);
  });

  it("times a page the source did not time by the engine's wait, and ends a last page's listing", () => {
    const lines = pageTimeline(
      { number: 1, objects: [], then: { kind: 'end', outcome: { complete: true, pages: 1 } } },
      read,
    );
    expect(lines.map((l) => [l.kind, l.durationMs, l.detail])).toEqual([
      ['page', 40, undefined],
      ['listing-end', undefined, 'The listing is complete: 1 page read.'],
    ]);
  });
});

describe('endTimeline', () => {
  it('names the failed page, its status and why, after the retries its request had', () => {
    const lines = endTimeline(
      {
        complete: false,
        pages: 2,
        problem: {
          kind: 'transport',
          page: 3,
          url: 'https://api.test/people?page=3',
          message: 'GET https://api.test/people?page=3 answered 503 Service Unavailable after 2 attempts',
          fetch: {
            durationMs: 80,
            startedAt: 990,
            status: 503,
            retries: [{ attempt: 1, cause: 'network', reason: 'connection reset', waitMs: 10, at: 995 }],
          },
        },
      },
      read,
    );
    expect(lines.map((l) => [l.kind, l.page, l.status])).toEqual([
      ['retry', 3, undefined],
      ['page-failed', 3, 503],
      ['listing-end', undefined, undefined],
    ]);
    expect(lines[1]!.detail).toContain('Page 3 could not be fetched');
    expect(lines[1]!.url).toBe('https://api.test/people?page=3');
    expect(lines[2]!.detail).toMatch(/^The listing stopped after 2 pages: Page 3 could not be fetched/);
  });
});

describe('the deletion phase', () => {
  it('says why nothing is deleted, what is held, and what each batch did', () => {
    expect(deletionPlanTimeline({ kind: 'none', reason: 'incomplete-listing' }, 5)[0]!.detail).toBe(
      'No deletions: the listing was not complete.',
    );
    const unreadable = {
      count: 2,
      samples: [
        { line: 9, reason: 'r' },
        { line: 12, reason: 'r' },
      ],
    };
    expect(
      deletionPlanTimeline({ kind: 'none', reason: 'unreadable-records', unreadable }, 5)[0]!.detail,
    ).toBe(
      'No deletions: lines 9 and 12 of the file could not be read, so it is not known which objects left it.',
    );
    expect(endTimeline({ complete: true, pages: 1, unreadable }, read)[0]!.detail).toBe(
      'The file was read to its end (1 page), but lines 9 and 12 could not be read.',
    );
    const hold = { kind: 'hold', candidates: 60, total: 100, share: 0.6, limit: 0.5 } as const;
    expect(deletionPlanTimeline(hold, 5)[0]).toMatchObject({
      objects: 60,
      detail: '60 of 100 objects are gone from the source, more than 50 %: held for approval.',
    });
    const apply = { kind: 'apply', candidates: 3, total: 100, policy: 'soft' } as const;
    expect(deletionBatchTimeline(1, apply, 3, { deleted: 2, failed: 1 }, read)[0]).toMatchObject({
      kind: 'deletions',
      objects: 3,
      detail: 'Batch 1: 2 deleted, 1 failed.',
      data: { batch: 1, plan: 'apply', deleted: 2, held: 0, failed: 1 },
    });
  });
});

describe('what reaches the log and the download', () => {
  it('masks key-like query parameters and credentials in URLs', () => {
    expect(maskedUrl('https://user:pw@api.test/p?page=2&api_key=abc&access_token=xyz')).toBe(
      'https://api.test/p?page=2&api_key=***&access_token=***',
    );
    expect(maskedUrl('postgres 127.0.0.1:5432/test')).toBe('postgres 127.0.0.1:5432/test');
  });

  it('quotes CSV fields that need it and defuses spreadsheet formulas', () => {
    expect(csvField(null)).toBe('');
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, "b"')).toBe('"a, ""b"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
  });
});
