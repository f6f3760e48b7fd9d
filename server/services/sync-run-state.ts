// Where a synchronisation stands with its runs — when it runs next, how its latest run ended — as the
// overview shows it and /api/v1 answers it beside the configuration (never part of its ETag).
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { type synchronisations, syncStates } from '../db/schema';
import { shownNextRunAt } from './schedule';

/** Where a synchronisation stands with its runs: when it runs next (as the overview shows it), its last run. */
export function runStateOf(
  sync: typeof synchronisations.$inferSelect,
  state: Pick<typeof syncStates.$inferSelect, 'nextRunAt' | 'lastRunId' | 'lastRunAt' | 'lastResult'> | null,
  now = new Date(),
) {
  return {
    nextRunAt: shownNextRunAt({ ...sync, storedNextRunAt: state?.nextRunAt ?? null }, now),
    lastRunId: state?.lastRunId ?? null,
    lastRunAt: state?.lastRunAt ?? null,
    lastResult: state?.lastResult ?? null,
  };
}

/** The synchronisation's run state (runStateOf) read from its state row. */
export async function loadRunState(db: Db, sync: typeof synchronisations.$inferSelect) {
  const [state] = await db.select().from(syncStates).where(eq(syncStates.synchronisationId, sync.id));
  return runStateOf(sync, state ?? null);
}
