// The contracts page at 200,000 contracts: the synchronisation's real contracts are topped up with
// synthetic ones, then the page's queries (the service behind `contracts.list`) are timed.
import { performance } from 'node:perf_hooks';
import { listContracts } from '@/server/services/contracts';
import type { openDatabase } from '@/server/db/client';
import type { BenchSync } from './concord';
import { round } from './memory';

type Database = ReturnType<typeof openDatabase>;

export const CONTRACTS_ON_PAGE = 200_000;
const BATCH = 1000;

/** Adds synthetic synced contracts until the synchronisation has `total` of them. */
async function topUp(db: Database, s: BenchSync, total: number): Promise<number> {
  const existing = Number(
    (
      await db.client.execute({
        sql: 'SELECT count(*) AS n FROM contracts WHERE synchronisation_id = ?',
        args: [s.syncId],
      })
    ).rows[0]?.n ?? 0,
  );
  const now = Date.now();
  for (let from = existing; from < total; from += BATCH) {
    const n = Math.min(BATCH, total - from);
    const values: (string | number)[] = [];
    for (let i = 0; i < n; i++) {
      const k = from + i;
      values.push(
        `con_bench${k}`,
        s.orgId,
        s.syncId,
        `synthetic-${k}`,
        `obj_bench${k}`,
        'h',
        'h',
        'synced',
        'create',
        now,
        now,
      );
    }
    const row = '(?,?,?,?,?,?,?,?,?,?,?)';
    await db.client.execute({
      sql:
        'INSERT INTO contracts (id, org_id, synchronisation_id, origin_id, target_id, origin_hash, target_hash, status, last_action, created_at, updated_at) VALUES ' +
        Array.from({ length: n }, () => row).join(','),
      args: values,
    });
  }
  return total - existing;
}

async function median(fn: () => Promise<unknown>, times = 5): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return round(samples[Math.floor(times / 2)]!, 1);
}

export async function contractsPage(db: Database, s: BenchSync) {
  const added = await topUp(db, s, CONTRACTS_ON_PAGE);
  const q = { syncId: s.syncId, pageSize: 50 };
  const list = (extra: object) => listContracts(db.db, s.orgId, { ...q, page: 1, ...extra });
  const queries = {
    firstPageMs: await median(() => list({})),
    deepPageMs: await median(() => list({ page: 3000 })),
    statusFilterMs: await median(() => list({ status: 'synced' })),
    lastActionFilterMs: await median(() => list({ lastAction: 'update' })),
    searchMs: await median(() => list({ search: 'synthetic-1999' })),
  };
  return { contracts: CONTRACTS_ON_PAGE, syntheticAdded: added, pageSize: q.pageSize, medianOfFive: queries };
}
