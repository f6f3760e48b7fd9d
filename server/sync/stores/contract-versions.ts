// A record's history, written beside the contracts: which states are a new version of the object, and
// the statements that record them, to run in the same batch (one transaction) as the contract upsert.
//
// Like the contract upsert, the rows travel as ONE JSON parameter unpacked by json_each, and each is
// joined to its contract by (synchronisation, origin id) — the contract's unique index, the organisation
// checked on the synchronisation (neither a version nor a contract has one of its own: syncSeqOfOrgSql)
// — so the contract's number need not be known
// (an upsert keeps the one an existing contract has). CROSS JOIN keeps
// SQLite's join order: the page's rows outside, each contract found by that index — without it the
// planner walked every contract of the synchronisation for each statement.
import type { InValue } from '@libsql/client';
import { CONTRACT_VERSIONS_KEPT, type VersionAction } from '../core/versions';
import type { ContractState } from '../core/contracts';
import { hashSql } from '../../db/schema/columns';
import { syncSeqOfOrgSql } from '../../db/schema/contracts';
import { runSeqSql } from '../../db/schema/runs';

/** Which run writes the versions (a store built without one records none: tests, tools). */
export interface VersionScope {
  readonly orgId: string;
  readonly syncId: string;
  readonly runId: string;
}

/** A version row before its contract id is known: [origin id, action, origin hash, target hash, data]. */
export type VersionRow = readonly [string, VersionAction, string | null, string | null, string | null];

const WRITTEN: ReadonlySet<string> = new Set(['create', 'update', 'rewrite', 'write-back', 'match']);

/**
 * The version a contract state records, or null when the object did not change: a skip, a filter, a
 * hold, a refusal or a failure (the target does not hold anything new) write nothing.
 * `data` is what the target was handed (or, two-way, the register object as synced).
 */
export function versionOf(state: ContractState, data: unknown): VersionRow | null {
  const action = state.lastAction;
  const changed =
    (state.status === 'synced' && WRITTEN.has(action)) || (state.status === 'deleted' && action === 'delete');
  if (!changed) return null;
  const json = action === 'delete' || data === undefined || data === null ? null : JSON.stringify(data);
  return [state.originId, action as VersionAction, state.originHash, state.targetHash, json];
}

// The data is left out (NULL) where the register object the contract links holds it: the same hash,
// last written by this synchronisation. Triggers on `objects` copy it into version_data before the object
// changes or goes (migrations 0028, 0034): a created object's history costs no second copy of it. A
// rewritten version (the upsert below) loses that copy (trigger contract_versions_rewritten).
// The run is named by its number (runs.seq), looked up once per statement. Hashes arrive as hex and
// are stored as bytes (hashSql).
const INSERT = `INSERT INTO contract_versions
    (contract_seq, run_seq, action, origin_hash, target_hash, data, updated_at)
  SELECT c.seq, ${runSeqSql('?3')}, v.value ->> 1, ${hashSql('v.value ->> 2')}, ${hashSql('v.value ->> 3')},
    CASE WHEN v.value ->> 1 <> 'delete' AND EXISTS (SELECT 1 FROM objects AS o WHERE o.id = c.target_id
        AND o.schema_seq IN (SELECT seq FROM schemas WHERE org_id = ?1) AND o.updated_by_sync_seq = c.sync_seq AND o.hash = ${hashSql('v.value ->> 3')})
      THEN NULL ELSE v.value ->> 4 END,
    ?4
  FROM json_each(?5) AS v
  CROSS JOIN contracts AS c ON c.sync_seq = ${syncSeqOfOrgSql('?1', '?2')} AND c.origin_id = v.value ->> 0
  WHERE true
  ON CONFLICT (run_seq, contract_seq) DO UPDATE SET
    action = CASE WHEN contract_versions.action = 'create' THEN 'create' ELSE excluded.action END,
    origin_hash = excluded.origin_hash, target_hash = excluded.target_hash, data = excluded.data,
    updated_at = excluded.updated_at`;

// Per touched contract, the id of its KEPT-th newest version (one index walk of KEPT entries); every
// older version goes. A contract with fewer versions has no such id and loses nothing.
const PRUNE = `WITH touched(cid) AS (
    SELECT c.seq FROM json_each(?3) AS v
    CROSS JOIN contracts AS c ON c.sync_seq = ${syncSeqOfOrgSql('?1', '?2')} AND c.origin_id = v.value),
  cut(cid, below) AS MATERIALIZED (
    SELECT cid, (SELECT w.id FROM contract_versions AS w WHERE w.contract_seq = cid
      ORDER BY w.id DESC LIMIT 1 OFFSET ?4) FROM touched)
  DELETE FROM contract_versions WHERE id IN (
    SELECT w.id FROM cut CROSS JOIN contract_versions AS w
      ON w.contract_seq = cut.cid AND w.id < cut.below
    WHERE cut.below IS NOT NULL)`;

/** The statements recording these versions and pruning the histories they lengthen (none: no rows). */
export function versionStatements(
  scope: VersionScope,
  rows: readonly VersionRow[],
  now = Date.now(),
  kept = CONTRACT_VERSIONS_KEPT,
): { sql: string; args: InValue[] }[] {
  if (rows.length === 0) return [];
  const { orgId, syncId, runId } = scope;
  const statements: { sql: string; args: InValue[] }[] = [
    { sql: INSERT, args: [orgId, syncId, runId, now, JSON.stringify(rows)] as InValue[] },
  ];
  // A created object's contract is new (or was deleted and comes back): only longer histories are pruned.
  const longer = rows.filter((r) => r[1] !== 'create').map((r) => r[0]);
  if (longer.length > 0)
    statements.push({ sql: PRUNE, args: [orgId, syncId, JSON.stringify(longer), kept - 1] });
  return statements;
}
