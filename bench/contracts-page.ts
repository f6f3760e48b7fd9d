// The contracts page at scale: the synchronisation's real contracts are topped up with synthetic ones
// (statuses and last actions mixed as after a few runs, real-sized hashes and source objects), then
// the page's queries (the service behind `contracts.list`) are timed: each repeated, p95 and median
// of the wall time and of this process's CPU time (libSQL runs in process, so the CPU time is the
// query's own cost, barely moved by other load on the machine).
import { performance } from 'node:perf_hooks';
import { LAST_PAGE_CURSOR, listContracts } from '@/server/services/contracts-list';
import type { openDatabase } from '@/server/db/client';
import { syncSeqOfOrgSql, syncSeqSql } from '@/server/db/schema';
import type { BenchSync } from './concord';
import { round } from './memory';

type Database = ReturnType<typeof openDatabase>;

/** BENCH_CONTRACTS=1000000 measures issue 14's scale. */
export const CONTRACTS_ON_PAGE = Number(process.env.BENCH_CONTRACTS ?? 200_000);
const BATCH = 1000;
export const TIMES = 20;
const PAGE_SIZE = 50;

/** A contract's status and last action as a few runs leave them: mostly skipped, some of each other. */
export function mixOf(k: number): { status: string; action: string; error: string | null } {
  if (k % 1000 === 7) return { status: 'failed', action: 'update', error: 'The target answered 503.' };
  if (k % 1000 === 8) return { status: 'invalid', action: 'reject', error: 'name: must be a string' };
  if (k % 10_000 === 9) return { status: 'deleted', action: 'delete', error: null };
  if (k % 100 === 3) return { status: 'synced', action: 'update', error: null };
  if (k % 200 === 5) return { status: 'synced', action: 'create', error: null };
  return { status: 'synced', action: 'skip', error: null };
}

/** Adds synthetic contracts until the synchronisation has `total` of them. */
async function topUp(db: Database, s: BenchSync, total: number): Promise<number> {
  const existing = Number(
    (
      await db.client.execute({
        sql: `SELECT count(*) AS n FROM contracts WHERE sync_seq = ${syncSeqSql('?')}`,
        args: [s.syncId],
      })
    ).rows[0]?.n ?? 0,
  );
  const now = Date.now();
  // As the engine stores hashes: 32 hex characters kept as 16 bytes (db/schema/columns.ts hashColumn).
  const hash = (k: number) => k.toString(16).padStart(32, '0');
  for (let from = existing; from < total; from += BATCH) {
    const rows = [];
    for (let k = from; k < Math.min(from + BATCH, total); k++) {
      const { status, action, error } = mixOf(k);
      const data = { id: k, name: `Item ${k}`, email: `item${k}@example.test`, age: k % 90, active: true };
      rows.push([`synthetic-${k}`, `obj_bench${k}`, hash(k), status, action, error, JSON.stringify(data)]);
    }
    await db.client.execute({
      // As the engine writes a new contract: no legacy id, a salt for the derived one, and its time of
      // checking the source and of its last write the same as its creation (offsets 0).
      sql: `INSERT INTO contracts (id, salt, sync_seq, origin_id, target_id, origin_hash,
              target_hash, status, last_action, last_error, origin_data, source_last_checked_offset, created_at, updated_at_offset)
            SELECT '', randomblob(8), ${syncSeqOfOrgSql('?1', '?2')}, value->>0, value->>1, unhex(value->>2), unhex(value->>2), value->>3, value->>4, value->>5,
              value->>6, 0, ?, 0 FROM json_each(?)`,
      args: [s.orgId, s.syncId, now, JSON.stringify(rows)],
    });
  }
  return total - existing;
}

export interface Timing {
  p95Ms: number;
  medianMs: number;
  cpuP95Ms: number;
  rows: number;
}

/** `fn` run TIMES times: p95 and median of its wall time and of this process's CPU time. */
export async function timed(fn: () => Promise<{ rows: unknown[] }>): Promise<Timing> {
  const wall: number[] = [];
  const cpu: number[] = [];
  let rows = 0;
  for (let i = 0; i < TIMES; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    rows = (await fn()).rows.length;
    wall.push(performance.now() - t);
    const u = process.cpuUsage(c);
    cpu.push((u.user + u.system) / 1000);
  }
  const at = (list: number[], q: number) =>
    round(list.sort((a, b) => a - b)[Math.ceil(q * list.length) - 1]!, 1);
  return { p95Ms: at(wall, 0.95), medianMs: at(wall, 0.5), cpuP95Ms: at(cpu, 0.95), rows };
}

export async function contractsPage(db: Database, s: BenchSync) {
  const added = await topUp(db, s, CONTRACTS_ON_PAGE);
  const list = (extra: object, syncId: string | undefined = s.syncId) =>
    listContracts(db.db, s.orgId, { syncId, pageSize: PAGE_SIZE, ...extra });
  // The middle of the list, as a person paging there would reach it: the cursor after its contract.
  const [middle] = (
    await db.client.execute({
      // The list's key is the rowid, named seq (migration 0039): SQLite answers `rowid` under that name.
      sql: `SELECT seq AS rowid FROM contracts WHERE sync_seq = ${syncSeqSql('?1')} ORDER BY seq LIMIT 1 OFFSET ?2`,
      args: [s.syncId, Math.floor(CONTRACTS_ON_PAGE / 2)],
    })
  ).rows.map((r) => ({ synchronisationId: s.syncId, rowid: Number(r.rowid) }));
  const cursorAt = (row: { synchronisationId: string; rowid: number }) =>
    Buffer.from(JSON.stringify({ d: 'a', s: row.synchronisationId, r: row.rowid })).toString('base64url');
  const second = (await list({})).next!;
  const queries: Record<string, Timing> = {
    firstPage: await timed(() => list({})),
    secondPage: await timed(() => list({ cursor: second })),
    middlePage: await timed(() => list({ cursor: cursorAt(middle!) })),
    lastPage: await timed(() => list({ cursor: LAST_PAGE_CURSOR })),
    organisationFirstPage: await timed(() => list({}, undefined)),
    organisationLastPage: await timed(() => list({ cursor: LAST_PAGE_CURSOR }, undefined)),
    statusSynced: await timed(() => list({ status: 'synced' })),
    statusFailed: await timed(() => list({ status: 'failed' })),
    statusDeleted: await timed(() => list({ status: 'deleted' })),
    statusConflict: await timed(() => list({ status: 'conflict' })),
    actionSkip: await timed(() => list({ lastAction: 'skip' })),
    actionUpdate: await timed(() => list({ lastAction: 'update' })),
    actionReject: await timed(() => list({ lastAction: 'reject' })),
    actionCreate: await timed(() => list({ lastAction: 'create' })),
    actionMatch: await timed(() => list({ lastAction: 'match' })),
    statusAndAction: await timed(() => list({ status: 'failed', lastAction: 'update' })),
    searchOrigin: await timed(() => list({ search: 'synthetic-1999' })),
    searchTarget: await timed(() => list({ search: 'obj_bench12345' })),
    searchWide: await timed(() => list({ search: 'synthetic-1' })),
  };
  return {
    contracts: CONTRACTS_ON_PAGE,
    syntheticAdded: added,
    pageSize: PAGE_SIZE,
    repeats: TIMES,
    queries,
  };
}
