// The sub-objects an incremental run's objects no longer hold: contracts whose parent this run listed
// (read whole, with every child it has now) and which the run itself did not list. An incremental run
// deletes only these — what it read — never an object it did not read.
import type { InValue, ResultSet } from '@libsql/client';
import { syncSeqSql } from '../../db/schema';
import type { UnseenQuery } from '../ports';
import { listedTest } from './listed-ids';

type Execute = (statement: string, args: InValue[]) => Promise<ResultSet>;

// A child's origin id starts with its parent's, escaped as core/sub-objects.ts escapes it, and `/`:
// the range [prefix, prefix with `/` turned into `0`) of the (synchronisation, origin id) index holds
// them — parent_origin_id has no index of its own. The parents are the run's ledger of listed ids.
const PREFIX = `replace(replace(p.value, '%', '%25'), '/', '%2F')`;

export async function unseenChildren(
  execute: Execute,
  scope: { readonly orgId: string; readonly syncId: string },
  q: UnseenQuery,
  after: string | null,
  limit: number,
): Promise<string[]> {
  const result = await execute(
    `SELECT json_group_array(origin_id) AS ids FROM (SELECT DISTINCT c.origin_id
      FROM run_listed r, json_each(r.ids) p
      JOIN contracts c ON c.sync_seq = ${syncSeqSql('?2')}
        AND c.origin_id >= ${PREFIX} || '/' AND c.origin_id < ${PREFIX} || '0'
        AND c.parent_origin_id = p.value AND c.status <> 'deleted'
      WHERE r.run_id = ?3 AND EXISTS (SELECT 1 FROM synchronisations WHERE id = ?2 AND org_id = ?1)
        ${after === null ? '' : 'AND c.origin_id > ?4'}
      ORDER BY c.origin_id)`,
    [scope.orgId, scope.syncId, q.runId, ...(after === null ? [] : [after])],
  );
  const cell = result.rows[0]?.['ids'];
  const ids = typeof cell === 'string' ? (JSON.parse(cell) as string[]) : [];
  const listed = await listedTest(execute, q.runId);
  const only = q.onlyOriginIds === null ? null : new Set(q.onlyOriginIds);
  return ids.filter((id) => !listed(id) && (only === null || only.has(id))).slice(0, limit);
}
