// Whether a run keeps its speed from the first page to the last: the time its first tenth of pages
// took against its last tenth, from the run's timeline (one row per page, written as the page's step
// commits). 1.0 is flat; 1.2 means the last pages came 20 % slower (issue 14: flat at 1M objects). Also
// how many pages were decided from their memos (core/page-memo.ts), which their lines say.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '@/server/db/client';
import { runEvents } from '@/server/db/schema';
import { DECIDED_FROM_MEMO } from '@/server/sync/core/page-memo';
import { round } from './memory';

export interface PagePace {
  pages: number;
  firstTenthSeconds: number;
  lastTenthSeconds: number;
  /** lastTenthSeconds ÷ firstTenthSeconds. */
  endOverStart: number | null;
}

export async function pagePace(db: Db, runId: string): Promise<PagePace | null> {
  const rows = await db
    .select({ page: runEvents.page, at: runEvents.createdAt })
    .from(runEvents)
    .where(and(eq(runEvents.runId, runId), eq(runEvents.kind, 'page')))
    .orderBy(asc(runEvents.page));
  const times = rows.map((r) => r.at.getTime());
  const tenth = Math.floor(times.length / 10);
  if (tenth < 2) return null;
  // Page k's time: from the commit of page k-1 to its own; a tenth is `tenth` such spans.
  const span = (from: number) => (times[from + tenth]! - times[from]!) / 1000;
  const first = span(0);
  const last = span(times.length - 1 - tenth);
  return {
    pages: times.length,
    firstTenthSeconds: round(first, 3),
    lastTenthSeconds: round(last, 3),
    endOverStart: first > 0 ? round(last / first, 2) : null,
  };
}

/** The run's pages decided from their memos: every object skipped, no contract read back. */
export async function pagesFromMemo(db: Db, runId: string): Promise<number> {
  const rows = await db
    .select({ page: runEvents.page })
    .from(runEvents)
    .where(
      and(eq(runEvents.runId, runId), eq(runEvents.kind, 'page'), eq(runEvents.detail, DECIDED_FROM_MEMO)),
    );
  return rows.length;
}
