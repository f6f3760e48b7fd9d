// The step plan of an incremental synchronisation, with memory ports: the window is frozen in a step of
// its own before the first page, an incremental run deletes nothing and takes an object it meets again
// on a later page for a re-read (not a duplicate), and the cursor stops before a write to retry.
import { describe, expect, it } from 'vitest';
import {
  compareCursorValues,
  type CursorValue,
  type IncrementalPlan,
  type ReadWindow,
} from '@/server/sync/core/incremental';
import type { ListingOutcome } from '@/server/sync/core/pagination';
import { runSync, type RunPlanResult } from '@/server/sync/core/run-plan';
import type { SourcePage, SourcePort } from '@/server/sync/ports';
import { deletionSettings, runContext, TIMES } from './helpers/factories';
import { MemoryContractStore, MemoryRecorder, MemorySteps, MemoryTarget } from './helpers/fakes';

interface Row {
  id: number;
  updatedAt: string;
}

/**
 * A source sorted by updatedAt and paged by offset, two rows a page, like a REST API asked with
 * `_sort=updatedAt`: a row changed during the listing moves to its end. `freeze` emulates SQL's max().
 */
function sortedSource(rows: Row[], o: { freeze: boolean; beforePage?: (page: number) => void }) {
  // The window each page was asked with (every page of a run, one after the other).
  const windows: (ReadWindow | undefined)[] = [];
  const inWindow = (row: Row, w: ReadWindow | undefined) =>
    w?.kind !== 'incremental' ||
    (compareCursorValues(row.updatedAt, w.lower) >= 0 &&
      (w.upper === null || compareCursorValues(row.updatedAt, w.upper) <= 0));
  const source: SourcePort<number> = {
    systemId: 'src_1',
    async *pages(from, window): AsyncGenerator<SourcePage<number>, ListingOutcome, void> {
      windows.push(window);
      for (let page = from ?? 1; ; page++) {
        await Promise.resolve(o.beforePage?.(page));
        const listed = rows
          .filter((row) => inWindow(row, window))
          .sort((a, b) => compareCursorValues(a.updatedAt, b.updatedAt) || a.id - b.id);
        const objects = listed.slice((page - 1) * 2, page * 2).map((row) => ({ ...row }));
        const last = page * 2 >= listed.length;
        const outcome: ListingOutcome = { complete: true, pages: page };
        yield {
          number: page,
          objects,
          then: last ? { kind: 'end', outcome } : { kind: 'next', cursor: page + 1 },
        };
        if (last) return outcome;
      }
    },
  };
  if (o.freeze) {
    source.upperBound = () => {
      const values = rows.map((row) => row.updatedAt as CursorValue);
      return Promise.resolve({ ok: true, value: values.sort(compareCursorValues).at(-1) ?? null });
    };
  }
  return { source, windows };
}

const at = (minute: number) => `2024-05-01T10:${String(minute).padStart(2, '0')}:00Z`;
// Concord's clock the day the source wrote those values (a cursor far ahead of it would not be taken).
const now = () => new Date('2024-05-01T12:00:00Z');

function environment() {
  const contracts = new MemoryContractStore(() => TIMES.lastRun);
  const target = new MemoryTarget();
  return { contracts, target };
}

async function run(
  env: ReturnType<typeof environment>,
  source: SourcePort<number>,
  plan: Omit<IncrementalPlan, 'settings'> & { lookbackSeconds?: number },
  runId: string,
) {
  const recorder = new MemoryRecorder();
  const steps = new MemorySteps();
  const result = await runSync(
    {
      source,
      ports: { contracts: env.contracts, target: env.target, recorder },
      context: runContext({ runId, checkedAt: runId === 'run_1' ? TIMES.lastRun : TIMES.thisRun, now }),
      deletion: deletionSettings(),
      sourceDisabled: false,
      incremental: {
        settings: {
          field: 'updatedAt',
          lookbackSeconds: plan.lookbackSeconds ?? 0,
          reconcileEveryRuns: null,
        },
        state: plan.state,
        requestedFull: plan.requestedFull,
      },
    },
    steps,
  );
  if (result.kind !== 'finished') throw new Error('the run did not finish');
  return { summary: result.summary, steps, recorder };
}

const noCursor = { cursor: null, cursorSetAt: null, runsSinceFull: 0 };
const cursorAt = (cursor: string) => ({ cursor, cursorSetAt: TIMES.lastRun, runsSinceFull: 0 });

describe('an incremental synchronisation’s run', () => {
  it('freezes its window before the first page; without a cursor it lists everything and may delete', async () => {
    const env = environment();
    const rows = [1, 2, 3, 4, 5].map((id) => ({ id, updatedAt: at(id) }));
    const { source, windows } = sortedSource(rows, { freeze: true });
    const first = await run(env, source, { state: noCursor, requestedFull: false }, 'run_1');
    expect(first.steps.ran.slice(0, 2)).toEqual(['read-window', 'page-1']);
    expect(windows[0]).toEqual({ kind: 'full', because: 'no-cursor', upper: at(5) });
    expect(first.summary).toMatchObject({
      counts: { created: 5 },
      incremental: { listing: 'full', move: { kind: 'advance', cursor: at(5) } },
    });
    expect(first.summary.message).toMatch(
      /^Full reconciliation \(there is no cursor: none was taken yet, or it was reset\):/,
    );

    rows.splice(0, 1);
    const full = await run(env, source, { state: cursorAt(at(5)), requestedFull: true }, 'run_2');
    expect(full.summary.counts).toMatchObject({ deleted: 1, skipped: 4 });
  });

  it('deletes nothing in an incremental run, and reads from the cursor minus the lookback', async () => {
    const env = environment();
    const rows = [1, 2, 3, 4].map((id) => ({ id, updatedAt: at(id) }));
    const { source, windows } = sortedSource(rows, { freeze: true });
    await run(env, source, { state: noCursor, requestedFull: false }, 'run_1');
    rows.splice(0, 1);
    rows.push({ id: 9, updatedAt: at(9) });
    const second = await run(
      env,
      source,
      { state: cursorAt(at(4)), requestedFull: false, lookbackSeconds: 60 },
      'run_2',
    );
    expect(windows.at(-1)).toEqual({ kind: 'incremental', lower: at(3), upper: at(9) });
    expect(second.summary.counts).toMatchObject({ found: 3, created: 1, skipped: 2, deleted: 0 });
    expect(second.summary.message).toMatch(
      /^Incremental run \(changes from .*; nothing it did not read is deleted\):/,
    );
    expect(second.summary.incremental?.move).toEqual({
      kind: 'advance',
      cursor: at(9),
      heldBackByRetries: false,
    });
    expect(env.target.deleted).toEqual([]);
  });

  it('takes an object met again on a later page for a re-read, not a duplicate', async () => {
    const env = environment();
    const rows = [1, 2, 3, 4, 5, 6].map((id) => ({ id, updatedAt: at(id) }));
    let armed = false;
    let moved = false;
    const { source } = sortedSource(rows, {
      freeze: false,
      // While page 2 is asked for, row 1 (read on page 1) changes and moves to the end of the listing.
      beforePage: (page) => {
        if (page === 2 && armed && !moved) {
          rows[0]!.updatedAt = at(30);
          moved = true;
        }
      },
    });
    await run(env, source, { state: noCursor, requestedFull: false }, 'run_1');
    armed = true;
    const second = await run(env, source, { state: cursorAt(at(1)), requestedFull: false }, 'run_2');
    expect(moved).toBe(true);
    expect(second.summary.counts).toMatchObject({ invalid: 0, updated: 1 });
    expect(second.recorder.all().filter((e) => /Duplicate/.test(e.reason ?? ''))).toEqual([]);
    // Without a frozen bound (REST), the cursor is the largest value the run read.
    expect(second.summary.incremental?.move).toMatchObject({ kind: 'advance', cursor: at(30) });
  });

  it('stops the cursor before an object whose write failed for a reason that may pass', async () => {
    const env = environment();
    const rows = [1, 2, 3, 4].map((id) => ({ id, updatedAt: at(id) }));
    const { source } = sortedSource(rows, { freeze: true });
    env.target.unavailable.set('2', '503 Service Unavailable');
    const first = await run(env, source, { state: noCursor, requestedFull: false }, 'run_1');
    expect(first.summary.counts).toMatchObject({ created: 3, failed: 1 });
    expect(first.summary.incremental?.move).toEqual({
      kind: 'advance',
      cursor: at(2),
      heldBackByRetries: true,
    });
    expect(first.summary.message).toMatch(/held back to an object whose write is retried/);
  });

  it('carries its window into a follow-on execution, which does not freeze another', async () => {
    const env = environment();
    const rows = [1, 2, 3, 4, 5].map((id) => ({ id, updatedAt: at(id) }));
    const { source } = sortedSource(rows, { freeze: true });
    const input = {
      source,
      ports: { contracts: env.contracts, target: env.target, recorder: new MemoryRecorder() },
      context: runContext({ now }),
      deletion: deletionSettings(),
      sourceDisabled: false,
      pageBudget: 1,
      incremental: {
        settings: { field: 'updatedAt', lookbackSeconds: 0, reconcileEveryRuns: null },
        state: noCursor,
        requestedFull: false,
      },
    };
    const first = await runSync(input, new MemorySteps());
    if (first.kind !== 'continue') throw new Error('expected a follow-on');
    expect(first.resume).toMatchObject({ window: { kind: 'full', upper: at(5) }, facts: { highest: at(2) } });
    // The follow-on keeps the bound frozen at the start: the cursor goes to it, not to a row committed
    // meanwhile (which the next run reads, its lower bound being inclusive).
    rows.push({ id: 6, updatedAt: at(6) });
    let result: RunPlanResult<number> = first;
    const later = new MemorySteps();
    while (result.kind === 'continue') result = await runSync({ ...input, resume: result.resume }, later);
    expect(later.ran).not.toContain('read-window');
    expect(result.summary.incremental?.move).toEqual({
      kind: 'advance',
      cursor: at(5),
      heldBackByRetries: false,
    });
  });

  it('moves no cursor in a dry run', async () => {
    const env = environment();
    const { source } = sortedSource([{ id: 1, updatedAt: at(1) }], { freeze: true });
    const recorder = new MemoryRecorder();
    const result = await runSync(
      {
        source,
        ports: { contracts: env.contracts, target: env.target, recorder },
        context: runContext({ mode: { test: true, force: false }, now }),
        deletion: deletionSettings(),
        sourceDisabled: false,
        incremental: {
          settings: { field: 'updatedAt', lookbackSeconds: 0, reconcileEveryRuns: null },
          state: noCursor,
          requestedFull: false,
        },
      },
      new MemorySteps(),
    );
    expect(result.kind === 'finished' && result.summary.incremental?.move).toEqual({
      kind: 'stay',
      because: 'test-run',
    });
  });
});
