// The cursor logic of incremental pulls, pure: values compared in the source's own type, the lookback
// written back in the source's own format, the choice between a full and an incremental run, where the
// cursor goes when a run ends, and the REST query template.
import { describe, expect, it } from 'vitest';
import {
  addFacts,
  chooseListing,
  compareCursorValues,
  cursorValueOf,
  describeCursorMove,
  fillQueryTemplate,
  laterOf,
  moveCursor,
  pageFacts,
  parseQueryTemplate,
  readWindow,
  shiftBack,
  type IncrementalSettings,
  type IncrementalState,
} from '@/server/sync/core/incremental';
import { identifyObjects } from '@/server/sync/core/ids';

describe('cursor values', () => {
  it('orders date-times by the instant they name, whatever their offset', () => {
    // 10:00 at +05:00 is 05:00 UTC: before 06:00Z, although it sorts after it as text.
    expect(compareCursorValues('2024-05-01T10:00:00+05:00', '2024-05-01T06:00:00Z')).toBeLessThan(0);
    expect(compareCursorValues('2024-05-01 05:00:00+00', '2024-05-01T10:00:00+05:00')).toBe(0);
    expect(compareCursorValues('2024-05-01T04:00:00-0100', '2024-05-01T04:59:59Z')).toBeGreaterThan(0);
    expect(laterOf('2024-05-01T10:00:00+05:00', '2024-05-01T06:00:00Z')).toBe('2024-05-01T06:00:00Z');
  });

  it('keeps microseconds apart, which a JavaScript Date would lose', () => {
    expect(compareCursorValues('2024-05-01 05:00:00.000001', '2024-05-01 05:00:00.000002')).toBeLessThan(0);
    expect(compareCursorValues('2024-05-01 05:00:00.5', '2024-05-01 05:00:00.500000')).toBe(0);
  });

  it('orders numbers by value, also big integers that arrive as text', () => {
    expect(compareCursorValues(9, 10)).toBeLessThan(0);
    expect(compareCursorValues('9', '10')).toBeLessThan(0);
    expect(compareCursorValues('9007199254740993', '9007199254740992')).toBeGreaterThan(0);
  });

  it('reads an object’s value by dot path, only text and finite numbers', () => {
    expect(cursorValueOf({ meta: { updated: '2024-05-01' } }, 'meta.updated')).toBe('2024-05-01');
    expect(cursorValueOf({ version: 7 }, 'version')).toBe(7);
    expect(cursorValueOf({ updated: null }, 'updated')).toBeNull();
    expect(cursorValueOf({ updated: '' }, 'updated')).toBeNull();
    expect(cursorValueOf({}, 'updated')).toBeNull();
  });

  it('moves back by the lookback in the format the source wrote', () => {
    expect(shiftBack('2024-05-01T10:00:00.000Z', 90)).toBe('2024-05-01T09:58:30.000Z');
    expect(shiftBack('2024-05-01 00:00:30.123456+00', 60)).toBe('2024-04-30 23:59:30.123456+00');
    expect(shiftBack('2024-05-01T10:00:00+05:00', 3600)).toBe('2024-05-01T09:00:00+05:00');
    expect(shiftBack('2024-03-01 00:10', 1200)).toBe('2024-02-29 23:50');
    // A date moves by whole days, rounded up: the window is never shorter than asked.
    expect(shiftBack('2024-05-01', 3600)).toBe('2024-04-30');
    expect(shiftBack(1_714_557_600, 60)).toBe(1_714_557_540);
    expect(shiftBack('9007199254740993', 3)).toBe('9007199254740990');
    expect(shiftBack('v17', 60)).toBe('v17');
    expect(shiftBack('2024-05-01T10:00:00Z', 0)).toBe('2024-05-01T10:00:00Z');
  });
});

const settings = (overrides: Partial<IncrementalSettings> = {}): IncrementalSettings => ({
  field: 'updatedAt',
  lookbackSeconds: 60,
  reconcileEveryRuns: null,
  ...overrides,
});
const state = (overrides: Partial<IncrementalState> = {}): IncrementalState => ({
  cursor: '2024-05-01T10:00:00Z',
  cursorSetAt: new Date('2024-05-02T00:00:00Z'),
  runsSinceFull: 0,
  ...overrides,
});
const choose = (s: Partial<IncrementalState> = {}, o: Partial<Parameters<typeof chooseListing>[0]> = {}) =>
  chooseListing({
    settings: settings(),
    state: state(s),
    requestedFull: false,
    configChangedAt: new Date('2024-05-01T00:00:00Z'),
    mappingChangedAt: null,
    ...o,
  });

describe('choosing the kind of run', () => {
  it('reads incrementally from the cursor', () => {
    expect(choose()).toEqual({ kind: 'incremental', cursor: '2024-05-01T10:00:00Z' });
  });

  it('lists everything without a cursor, when asked, every N runs, and after an edit', () => {
    expect(choose({ cursor: null })).toEqual({ kind: 'full', because: 'no-cursor' });
    expect(choose({}, { requestedFull: true })).toEqual({ kind: 'full', because: 'requested' });
    const everyThird = settings({ reconcileEveryRuns: 3 });
    expect(choose({ runsSinceFull: 1 }, { settings: everyThird }).kind).toBe('incremental');
    expect(choose({ runsSinceFull: 2 }, { settings: everyThird })).toEqual({
      kind: 'full',
      because: 'every-n-runs',
    });
    // An edit after the cursor was taken must reach objects the cursor has passed.
    expect(choose({}, { mappingChangedAt: new Date('2024-05-03T00:00:00Z') })).toEqual({
      kind: 'full',
      because: 'configuration-changed',
    });
  });

  it('reads from the cursor minus the lookback, inclusive, up to the frozen bound', () => {
    const window = readWindow(choose(), settings(), '2024-05-01T12:00:00Z');
    expect(window).toEqual({
      kind: 'incremental',
      lower: '2024-05-01T09:59:00Z',
      upper: '2024-05-01T12:00:00Z',
    });
  });
});

// Concord's clock in these tests: 1 May 2024, noon UTC.
const NOW = Date.parse('2024-05-01T12:00:00Z');

describe('moving the cursor', () => {
  const incremental = { kind: 'incremental', lower: 'a', upper: null } as const;
  const complete = { complete: true, pages: 3 } as const;

  it('moves to the frozen upper bound (SQL) or else the largest value read (REST)', () => {
    const facts = { highest: '2024-05-01T11:00:00Z', lowestRetry: null };
    expect(
      moveCursor({
        window: { ...incremental, upper: '2024-05-01T12:00:00Z' },
        facts,
        outcome: complete,
        test: false,
        found: 3,
      }),
    ).toEqual({ kind: 'advance', cursor: '2024-05-01T12:00:00Z', heldBackByRetries: false });
    expect(
      moveCursor({ window: incremental, facts, outcome: complete, test: false, found: 3 }),
    ).toMatchObject({
      kind: 'advance',
      cursor: '2024-05-01T11:00:00Z',
    });
  });

  it('stays for a dry run, an incomplete listing and a listing without values', () => {
    const facts = { highest: '2024-05-01T11:00:00Z', lowestRetry: null };
    expect(moveCursor({ window: incremental, facts, outcome: complete, test: true, found: 3 })).toEqual({
      kind: 'stay',
      because: 'test-run',
    });
    const failed = {
      complete: false,
      pages: 1,
      problem: { kind: 'http-status', page: 2, url: 'u', status: 500, detail: null },
    } as const;
    expect(moveCursor({ window: incremental, facts, outcome: failed, test: false, found: 3 })).toEqual({
      kind: 'stay',
      because: 'incomplete',
    });
    const none = { highest: null, lowestRetry: null };
    expect(
      moveCursor({ window: incremental, facts: none, outcome: complete, test: false, found: 0 }),
    ).toEqual({
      kind: 'stay',
      because: 'nothing-read',
    });
    // Objects read, none with a value: a setting to look at, told apart from an empty answer.
    expect(
      moveCursor({ window: incremental, facts: none, outcome: complete, test: false, found: 2 }),
    ).toEqual({
      kind: 'stay',
      because: 'no-values',
    });
  });

  it('never passes an object whose write is to be retried', () => {
    const facts = { highest: '2024-05-01T11:00:00Z', lowestRetry: '2024-05-01T10:30:00Z' };
    expect(moveCursor({ window: incremental, facts, outcome: complete, test: false, found: 3 })).toEqual({
      kind: 'advance',
      cursor: '2024-05-01T10:30:00Z',
      heldBackByRetries: true,
    });
  });

  it('learns both values from a page', () => {
    const objects = [
      { id: 1, updatedAt: '2024-05-01T10:00:00+05:00' },
      { id: 2, updatedAt: '2024-05-01T06:00:00Z' },
      { id: 3, updatedAt: '2024-05-01T07:00:00Z' },
      { id: 4 },
    ];
    const items = identifyObjects(objects);
    expect(pageFacts(objects, items, 'updatedAt', new Set(['2', '4']), NOW)).toEqual({
      highest: '2024-05-01T07:00:00Z',
      lowestRetry: '2024-05-01T06:00:00Z',
    });
  });

  it('counts date-times more than a day ahead of the clock apart, never as the largest', () => {
    const objects = [
      { id: 1, updatedAt: '2024-05-01T10:00:00Z' },
      // Ahead, but within a day: a source's clock a few hours off.
      { id: 2, updatedAt: '2024-05-02T09:00:00Z' },
      { id: 3, updatedAt: '2099-01-01 00:00:00' },
      { id: 4, updatedAt: '2030-06-01' },
      // Numbers are the source's own unit: never judged.
      { id: 5, version: 99999999999999 },
    ];
    const items = identifyObjects(objects);
    expect(pageFacts(objects, items, 'updatedAt', new Set(), NOW)).toEqual({
      highest: '2024-05-02T09:00:00Z',
      lowestRetry: null,
      future: { count: 2, example: '2099-01-01 00:00:00' },
    });
    expect(pageFacts(objects, items, 'version', new Set(), NOW)).toEqual({
      highest: 99999999999999,
      lowestRetry: null,
    });
  });

  it('does not move to values or a frozen upper bound far in the future, and says why', () => {
    const future = { count: 1, example: '2099-01-01T00:00:00Z' };
    const facts = { highest: '2024-05-01T11:00:00Z', lowestRetry: null, future };
    const upper = { ...incremental, upper: '2099-01-01T00:00:00Z' };
    const move = moveCursor({ window: upper, facts, outcome: complete, test: false, found: 3, now: NOW });
    expect(move).toEqual({
      kind: 'advance',
      cursor: '2024-05-01T11:00:00Z',
      heldBackByRetries: false,
      future,
    });
    expect(describeCursorMove(move)).toBe(
      'The cursor moved to 2024-05-01T11:00:00Z. 1 object read has an updated-at more than a day ahead of Concord’s clock (2099-01-01T00:00:00Z): the cursor does not go there. Correct it at the source, or its changes are read only by full reconciliations.',
    );
    const only = { highest: null, lowestRetry: null, future: { count: 3, example: '2099-01-01T00:00:00Z' } };
    const stay = moveCursor({
      window: incremental,
      facts: only,
      outcome: complete,
      test: false,
      found: 3,
      now: NOW,
    });
    expect(stay).toMatchObject({ kind: 'stay', because: 'future-values' });
    expect(describeCursorMove(stay)).toMatch(
      /^The cursor stays where it was: the only values read lie in the future\. 3 objects read have an updated-at .*\(2099-01-01T00:00:00Z, the latest\)/,
    );
    expect(addFacts(facts, only).future).toEqual({ count: 4, example: '2099-01-01T00:00:00Z' });
  });
});

describe('the REST query template', () => {
  it('fills {{cursor}} into the parameters, keeping the others', () => {
    const parsed = parseQueryTemplate('updatedAt_gte={{cursor}}&_sort=updatedAt');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(fillQueryTemplate(parsed.pairs, '2024-05-01T10:00:00+05:00')).toEqual({
      updatedAt_gte: '2024-05-01T10:00:00+05:00',
      _sort: 'updatedAt',
    });
  });

  it('refuses a template without {{cursor}} or with a bare word, saying what to write', () => {
    expect(parseQueryTemplate('updated_since=yesterday')).toMatchObject({
      ok: false,
      reason: /\{\{cursor\}\}/,
    });
    expect(parseQueryTemplate('since')).toMatchObject({ ok: false, reason: /name=value/ });
    expect(parseQueryTemplate('')).toMatchObject({ ok: false });
  });
});
