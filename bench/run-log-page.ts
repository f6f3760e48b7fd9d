// The run log page of a run that went badly at scale: a run given BENCH_RUN_ENTRIES entries (200,000
// unless told) as a mapping that fails every object leaves them — most objects invalid for one reason,
// a seventh for another, a few dozen rare ones —, then the page's queries (the services behind
// `runs.entryGroups` and `runs.entries`) timed as the contracts page's are (bench/contracts-page.ts).
import { listRunEntries } from '@/server/services/run-entries';
import { requestRun } from '@/server/services/runs';
import { runEntryGroups } from '@/server/services/run-log';
import type { openDatabase } from '@/server/db/client';
import type { BenchSync } from './concord';
import { TIMES, timed, type Timing } from './contracts-page';

type Database = ReturnType<typeof openDatabase>;

export const RUN_ENTRIES = Number(process.env.BENCH_RUN_ENTRIES ?? 200_000);
const BATCH = 1000;
const PAGE_SIZE = 50;

const reasonOf = (k: number) =>
  k % 10_007 === 0
    ? `rare ${k % 40}: must be one of the allowed values`
    : k % 7 === 0
      ? 'age: must be a number'
      : 'name: must be a string';

export async function runLogPage(db: Database, s: BenchSync) {
  const { run } = await requestRun(db.db, s.orgId, s.syncId, { trigger: 'manual' });
  const now = Date.now();
  for (let from = 0; from < RUN_ENTRIES; from += BATCH) {
    const rows = [];
    for (let k = from; k < Math.min(from + BATCH, RUN_ENTRIES); k++)
      rows.push([
        `ren_bench${String(k).padStart(22, '0')}`,
        `page-${Math.floor(k / BATCH) + 1}`,
        String(k),
        reasonOf(k),
      ]);
    await db.client.execute({
      sql: `INSERT INTO run_entries (id, org_id, run_id, batch_key, action, origin_id, reason, data, created_at, updated_at)
            SELECT value->>0, ?1, ?2, value->>1, 'invalid', value->>2, value->>3, json_object('id', value->>2, 'name', 123), ?3, ?3
            FROM json_each(?4)`,
      args: [s.orgId, run.id, now, JSON.stringify(rows)],
    });
  }
  const entries = (extra: object) =>
    listRunEntries(db.db, s.orgId, run.id, { page: 1, pageSize: PAGE_SIZE, ...extra });
  const queries: Record<string, Timing> = {
    groups: await timed(async () => ({ rows: (await runEntryGroups(db.db, s.orgId, run.id)).groups })),
    entriesFirstPage: await timed(() => entries({})),
    entriesOfCommonReason: await timed(() =>
      entries({ action: 'invalid', reason: 'name: must be a string' }),
    ),
    entriesOfRareReason: await timed(() => entries({ action: 'invalid', reason: reasonOf(10_007 * 3) })),
    entriesSearched: await timed(() => entries({ search: '12345' })),
  };
  return { entries: RUN_ENTRIES, pageSize: PAGE_SIZE, repeats: TIMES, queries };
}
