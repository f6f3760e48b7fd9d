// Page memos on libSQL (core/page-memo.ts): one statement checks a page read again against its memo and
// the page's contracts; one stores a page's memo. Nothing here is trusted that the contracts do not
// say again: the memo only supplies the hashes the page's objects have.
import type { InValue, ResultSet } from '@libsql/client';
import type { PageCheck, PageCheckAnswer, PageMemo } from '../core/page-memo';
import { syncSeqSql } from '../../db/schema';
import { LEDGER_SIGNATURE_SQL, listedElsewhere, recordListed } from './listed-ids';

type Execute = (statement: string, args: InValue[]) => Promise<ResultSet>;

// Bytes of one origin hash in the memo (32 hex characters, core/canonical-json.ts HASH_LENGTH).
const HASH_BYTES = 16;

/**
 * The skip rule (core/skip-rule.ts) and the table's "nothing to write" (core/one-way.ts: synced, so the
 * check alone would change the contract), asked of one contract `c` and the hash `h` its object has:
 * synced; the same origin hash; checked after the last edit of the synchronisation or its mapping (?8);
 * a target id and hash known (the rule's `!targetId || !targetHash`: empty counts as missing); and not
 * written by this very run (checked at its start, ?9, after a create, update or rewrite: decide.ts
 * `writtenBefore`, a page retried after its writes committed, which counts them as written).
 * test/integration/sync/page-memo-rule.test.ts holds this to the engine itself.
 */
const SKIPPED_WITH_NOTHING_TO_WRITE = (h: string) => `c.status = 'synced' AND c.origin_hash = ${h}
  AND c.source_last_checked > ?8 AND c.target_id <> '' AND c.target_hash <> ''
  AND NOT (c.source_last_checked = ?9 AND coalesce(c.last_action, 'create') IN ('create', 'update', 'rewrite'))`;

export async function checkPage(
  execute: Execute,
  scope: { readonly orgId: string; readonly syncId: string },
  check: PageCheck,
): Promise<PageCheckAnswer> {
  const { originIds } = check;
  const hash = `lower(hex(substr(m.hashes, j.key * ${HASH_BYTES} + 1, ${HASH_BYTES})))`;
  // The page's ids outside, each contract found by the unique index (as the lookup does); only a memo
  // of this very page (digest, key and length) counts its contracts at all.
  const result = await execute(
    `SELECT m.digest = ?4 AND m.key = ?5 AS same,
        CASE WHEN m.digest = ?4 AND m.key = ?5 AND length(m.hashes) = ${HASH_BYTES} * ?7 THEN
          (SELECT count(*) FROM json_each(?6) AS j CROSS JOIN contracts AS c
            ON c.org_id = ?1 AND c.sync_seq = m.sync_seq AND c.origin_id = j.value
            WHERE ${SKIPPED_WITH_NOTHING_TO_WRITE(hash)})
        END AS skipped,
        (${LEDGER_SIGNATURE_SQL.replace('?', '?10')}) AS ledger
      FROM page_memos AS m WHERE m.sync_seq = ${syncSeqSql('?2')} AND m.page = ?3 AND m.org_id = ?1`,
    [
      scope.orgId,
      scope.syncId,
      check.page,
      check.digest,
      check.key,
      JSON.stringify(originIds),
      originIds.length,
      check.editedAt.getTime(),
      check.checkedAt.getTime(),
      check.runId,
    ],
  );
  const row = result.rows[0];
  if (!row || Number(row.same) !== 1) return { memo: 'other', clean: false };
  if (originIds.length === 0 || Number(row.skipped) !== originIds.length)
    return { memo: 'same', clean: false };
  // An id another page of this run listed is a repeat, which the whole way reports.
  const signature = typeof row.ledger === 'string' ? row.ledger : null;
  const elsewhere = await listedElsewhere(execute, check.runId, check.page, originIds, signature);
  if (elsewhere.length > 0) return { memo: 'same', clean: false };
  // Clean: the page's ids go in the run's ledger now, without asking the ledger about them again.
  await recordListed(execute, check.runId, check.page, originIds, { fresh: true });
  return { memo: 'same', clean: true };
}

export async function rememberPage(
  execute: Execute,
  scope: { readonly orgId: string; readonly syncId: string },
  memo: PageMemo,
): Promise<void> {
  // The synchronisation's number found within the organisation: no memo is ever filed under another's.
  await execute(
    `INSERT INTO page_memos (org_id, sync_seq, page, digest, key, hashes, written_at)
      VALUES (?1, (SELECT seq FROM synchronisations WHERE id = ?2 AND org_id = ?1), ?3, ?4, ?5, unhex(?6), ?7)
      ON CONFLICT (sync_seq, page) DO UPDATE SET digest = excluded.digest, key = excluded.key,
        hashes = excluded.hashes, written_at = excluded.written_at
      WHERE page_memos.org_id = excluded.org_id`,
    [scope.orgId, scope.syncId, memo.page, memo.digest, memo.key, memo.hashes.join(''), Date.now()],
  );
}
