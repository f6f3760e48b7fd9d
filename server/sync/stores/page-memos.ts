// Page memos on libSQL (core/page-memo.ts): a page read again is checked against its memo and the
// page's contracts; a page decided is remembered. The memo supplies the hashes the page's objects have;
// the contracts say whether each would be skipped with nothing to write.
//
// Asking a page's 1,000 contracts cost as much SQLite time as the rest of an unchanged page (issue 14),
// so a page whose contracts all said yes is stamped with the synchronisation's contract epoch, which
// triggers move whenever any of its contracts is updated or deleted (migration 0041). A page whose
// stamp still holds — the epoch where it was, the same edit time, stamped by another run — is clean
// without asking: no contract of the synchronisation was written since they all said yes, and so none
// by this run (which the rule counts as written), whose writes all come after an earlier run's stamp
// (one run of a synchronisation at a time). Any other page asks them, and is stamped again when they all
// say yes.
import type { InValue, ResultSet } from '@libsql/client';
import type { PageCheck, PageCheckAnswer, PageMemo, RecallRequest } from '../core/page-memo';
import type { RecalledAnswer } from '../core/pagination/types';
import { syncSeqSql } from '../../db/schema';
import { LEDGER_SIGNATURE_SQL, listedElsewhere, recordListed } from './listed-ids';

type Execute = (statement: string, args: InValue[]) => Promise<ResultSet>;

// Bytes of one origin hash in the memo (32 hex characters, core/canonical-json.ts HASH_LENGTH).
const HASH_BYTES = 16;

/**
 * The skip rule (core/skip-rule.ts) and the table's "nothing to write" (core/one-way.ts: synced, so the
 * check alone would change the contract), asked of one contract `c` and the hash `h` its object has:
 * synced; the same origin hash; checked after the last edit of the synchronisation or its mapping
 * (`edited`); a target id and hash known (the rule's `!targetId || !targetHash`: empty counts as
 * missing, in either form a hash column holds it, text or bytes); and not written by this very run
 * (checked at its start, `start`, after a create, update or rewrite: decide.ts `writtenBefore`, a page
 * retried after its writes committed, which counts them as written). test/integration/sync/page-memo-rule.test.ts holds this to the engine itself,
 * as lookup-skip-check.test.ts does for the lookup's skip check (contract-store.ts), which asks it too.
 */
export const SKIPPED_WITH_NOTHING_TO_WRITE = (
  h: string,
  edited: string,
  start: string,
) => `c.status = 'synced'
  AND c.origin_hash = ${h} AND c.source_last_checked > ${edited} AND c.target_id <> '' AND length(c.target_hash) > 0
  AND NOT (c.source_last_checked = ${start} AND coalesce(c.last_action, 'create') IN ('create', 'update', 'rewrite'))`;

// The memo of page ?3 of synchronisation ?2, within organisation ?1.
const THIS_MEMO = `m.sync_seq = ${syncSeqSql('?2')} AND m.page = ?3 AND m.org_id = ?1`;
const EPOCH = `coalesce((SELECT n FROM contract_epochs WHERE sync_seq = m.sync_seq), 0)`;
// The memo's hash of the page's object j: its bytes, as the contract keeps its origin hash (hashColumn).
const MEMO_HASH = `substr(m.hashes, j.key * ${HASH_BYTES} + 1, ${HASH_BYTES})`;

/**
 * How many of the page's contracts (ids ?4, a JSON array in the page's order; edit time ?5, this run's
 * start ?6) would be skipped with nothing to write against the memo of digest ?7 and key ?8, and the
 * contract epoch they were read at: one statement, so both are of the same moment.
 */
const COUNT_SKIPPED = `SELECT (SELECT count(*) FROM json_each(?4) AS j CROSS JOIN contracts AS c
      ON c.sync_seq = m.sync_seq AND c.origin_id = j.value
      WHERE ${SKIPPED_WITH_NOTHING_TO_WRITE(MEMO_HASH, '?5', '?6')}) AS skipped,
    ${EPOCH} AS epoch
  FROM page_memos AS m WHERE ${THIS_MEMO} AND m.digest = ?7 AND m.key = ?8`;

// A run starts after this: a contract checked "at this run's start" never matches when stamping.
const NO_RUN = -1;

interface Scope {
  readonly orgId: string;
  readonly syncId: string;
}

/** Whether every contract of the page says yes, and at which epoch (null: no such memo). */
async function allSkipped(
  execute: Execute,
  scope: Scope,
  memo: { readonly page: number; readonly digest: string; readonly key: string },
  ask: { readonly originIds: readonly string[]; readonly editedAt: Date; readonly runStart: number },
): Promise<{ clean: boolean; epoch: number } | null> {
  const result = await execute(COUNT_SKIPPED, [
    scope.orgId,
    scope.syncId,
    memo.page,
    JSON.stringify(ask.originIds),
    ask.editedAt.getTime(),
    ask.runStart,
    memo.digest,
    memo.key,
  ]);
  const row = result.rows[0];
  if (!row) return null;
  return { clean: Number(row.skipped) === ask.originIds.length, epoch: Number(row.epoch) };
}

/** Stamps the memo of this digest and key: its contracts all said yes at `epoch`, asked by `runId`. */
async function stamp(
  execute: Execute,
  scope: Scope,
  memo: { readonly page: number; readonly digest: string; readonly key: string },
  asked: { readonly epoch: number; readonly editedAt: Date; readonly runId: string },
): Promise<void> {
  await execute(
    `UPDATE page_memos AS m SET stamp_epoch = ?6, stamp_edited = ?7, stamp_run = ?8
      WHERE ${THIS_MEMO} AND m.digest = ?4 AND m.key = ?5`,
    [
      scope.orgId,
      scope.syncId,
      memo.page,
      memo.digest,
      memo.key,
      asked.epoch,
      asked.editedAt.getTime(),
      asked.runId,
    ],
  );
}

export async function checkPage(execute: Execute, scope: Scope, check: PageCheck): Promise<PageCheckAnswer> {
  const { originIds } = check;
  // Only a memo of this very page (digest, key and length) counts its contracts at all.
  const result = await execute(
    `SELECT m.digest = ?4 AND m.key = ?5 AS same, length(m.hashes) = ${HASH_BYTES} * ?6 AS whole,
        m.stamp_epoch = ${EPOCH} AND m.stamp_edited = ?7 AND m.stamp_run <> ?8 AS stamped,
        (${LEDGER_SIGNATURE_SQL.replace('?', '?8')}) AS ledger
      FROM page_memos AS m WHERE ${THIS_MEMO}`,
    [
      scope.orgId,
      scope.syncId,
      check.page,
      check.digest,
      check.key,
      originIds.length,
      check.editedAt.getTime(),
      check.runId,
    ],
  );
  const row = result.rows[0];
  if (!row || Number(row.same) !== 1) return { memo: 'other', clean: false };
  if (originIds.length === 0 || Number(row.whole) !== 1) return { memo: 'same', clean: false };
  if (Number(row.stamped) !== 1) {
    const runStart = check.checkedAt.getTime();
    const asked = await allSkipped(execute, scope, check, { ...check, runStart });
    if (!asked?.clean) return { memo: 'same', clean: false };
    await stamp(execute, scope, check, { ...asked, editedAt: check.editedAt, runId: check.runId });
  }
  // An id another page of this run listed is a repeat, which the whole way reports.
  const signature = typeof row.ledger === 'string' ? row.ledger : null;
  const elsewhere = await listedElsewhere(execute, check.runId, check.page, originIds, signature);
  if (elsewhere.length > 0) return { memo: 'same', clean: false };
  // Clean: the page's ids go in the run's ledger now, without asking the ledger about them again.
  await recordListed(execute, check.runId, check.page, originIds, { fresh: true });
  return { memo: 'same', clean: true };
}

/**
 * Stores a page's memo (replacing the page's previous one, and its stamp), then stamps it if every
 * contract of the page is clean now, this run's writes included: the stamp names this run, which never
 * takes it (a step retried after its writes counts them as written, by the rule).
 */
export async function rememberPage(execute: Execute, scope: Scope, memo: PageMemo): Promise<void> {
  // The synchronisation's number found within the organisation: no memo is ever filed under another's.
  await execute(
    `INSERT INTO page_memos (org_id, sync_seq, page, digest, key, hashes, written_at, answer)
      VALUES (?1, (SELECT seq FROM synchronisations WHERE id = ?2 AND org_id = ?1), ?3, ?4, ?5, unhex(?6), ?7, ?8)
      ON CONFLICT (sync_seq, page) DO UPDATE SET digest = excluded.digest, key = excluded.key,
        hashes = excluded.hashes, written_at = excluded.written_at, answer = excluded.answer,
        stamp_epoch = NULL, stamp_edited = NULL, stamp_run = NULL
      WHERE page_memos.org_id = excluded.org_id`,
    [
      scope.orgId,
      scope.syncId,
      memo.page,
      memo.digest,
      memo.key,
      memo.hashes.join(''),
      Date.now(),
      answerText(memo),
    ],
  );
  if (memo.originIds.length === 0 || memo.originIds.length !== memo.hashes.length) return;
  const asked = await allSkipped(execute, scope, memo, { ...memo, runStart: NO_RUN });
  if (asked?.clean)
    await stamp(execute, scope, memo, { ...asked, editedAt: memo.editedAt, runId: memo.runId });
}

// An answer's skeleton larger than this is not kept (a body carrying much besides its objects, such as
// JSON:API's `included`): its page is parsed every time rather than its memo grown by its body.
const MAX_SKELETON_CHARS = 64 * 1024;

/** The memo's `answer` column: the answer's facts with the page's ids, when they describe each other. */
function answerText(memo: PageMemo): string | null {
  const { answer, originIds, hashes } = memo;
  if (!answer || answer.count !== originIds.length || hashes.length !== originIds.length) return null;
  const skeleton = JSON.stringify(answer.skeleton);
  if (skeleton.length > MAX_SKELETON_CHARS) return null;
  return JSON.stringify({ ...answer, ids: originIds });
}

/**
 * The facts its memo keeps of the answer with this digest, read by this key (core/page-memo.ts
 * recallFor), or null: no such memo, or one without facts (see answerText) or with facts this version
 * cannot read, whose page is then parsed and decided the whole way. Whatever doubt there is answers
 * null: a count the page does not hold would end a listing early.
 */
export async function recallPage(
  execute: Execute,
  scope: Scope,
  request: RecallRequest,
): Promise<RecalledAnswer | null> {
  const result = await execute(
    `SELECT m.answer FROM page_memos AS m WHERE ${THIS_MEMO} AND m.digest = ?4 AND m.key = ?5`,
    [scope.orgId, scope.syncId, request.page, request.digest, request.key],
  );
  const text = result.rows[0]?.answer;
  if (typeof text !== 'string') return null;
  let facts: unknown;
  try {
    facts = JSON.parse(text);
  } catch {
    return null;
  }
  if (facts === null || typeof facts !== 'object' || !('skeleton' in facts)) return null;
  const { skeleton, count, fingerprint, ids } = facts as Partial<Record<keyof RecalledAnswer, unknown>>;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1) return null;
  if (typeof fingerprint !== 'string') return null;
  if (!Array.isArray(ids) || ids.length !== count || !ids.every((id) => typeof id === 'string')) return null;
  return { skeleton, count, fingerprint, ids };
}

/** Forgets the memo of a page (one whose answer no longer reads as when it was kept). */
export async function forgetPage(execute: Execute, scope: Scope, page: number): Promise<void> {
  await execute(`DELETE FROM page_memos WHERE sync_seq = ${syncSeqSql('?2')} AND page = ?3 AND org_id = ?1`, [
    scope.orgId,
    scope.syncId,
    page,
  ]);
}
