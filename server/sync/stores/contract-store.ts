// The contract store of one synchronisation on libSQL: one lookup per page, one statement per page for
// each kind of write, and the per-run ledger of listed origin ids that deletion planning reads (a row
// per page, listed-ids.ts). An unchanged object costs a lookup and nothing written.
//
// The per-page statements take their rows as ONE JSON parameter that SQLite unpacks with json_each:
// the statement text never changes (cheap to prepare), nothing binds thousands of parameters, and a
// whole page is one atomic statement. A query builder spends more time assembling a 1,000-row insert
// than SQLite spends executing it (see bench/ and README "Speed").
import type { InValue } from '@libsql/client';
import { and, asc, count, eq, inArray, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import {
  contractCounts,
  contracts,
  contractsOfOrg,
  contractStateColumns,
  ofSynchronisation,
  syncSeqOfOrgSql,
  syncSeqSql,
} from '../../db/schema';
import { hashTextSql } from '../../db/schema/columns';
import { HASH_LENGTH, isStoredHash } from '../core/canonical-json';
import type { ContractState } from '../core/contracts';
import type { ContractLookup, ContractStore, SeenRequest, UnseenQuery } from '../ports';
import { chunk } from './chunks';
import { adoptRoundedIds } from './rounded-ids';
import { CONTRACT_ROW_COLUMNS, HASH_COLUMNS, ROW_CHUNK, upsertStatements } from './contract-upsert';
import { versionOf, versionStatements, type VersionRow } from './contract-versions';
import { unseenChildren } from './unseen-children';
import { LEDGER_SIGNATURE_SQL, listedElsewhere, listedTest, recordListed } from './listed-ids';
import { checkPage, forgetPage, recallPage, rememberPage, SKIPPED_WITH_NOTHING_TO_WRITE } from './page-memos';

// Origin ids per statement when deletion planning walks a synchronisation's contracts.
const WALK_CHUNK = 10_000;

// A page's contracts come back as ONE JSON array of arrays (json_group_array): turning thousands of
// result rows into row objects costs the client more than the query costs SQLite.
const LOOKUP_SELECT = CONTRACT_ROW_COLUMNS.map((c) => (HASH_COLUMNS.has(c) ? hashTextSql(c) : c)).join(', ');

// A looked-up contract with a skip check (SkipCheck): its origin id alone when it would skip its object
// with nothing to write (the rule page memos ask; edit time ?5, run start ?6), else the whole row. Most
// contracts of a page that changed since its memo are the former: its lookup parses a tenth of the JSON.
// The objects' hashes: ?7, a blob of HASH_BYTES bytes per id in the ids' order (as a page memo holds
// them; a blob's substr is an offset, where a string's counts its characters from the start). A slot
// of zeros is an object without a hash, which matches no contract (NULL).
const HASH_BYTES = HASH_LENGTH / 2;
const CHECKED_HASH = `nullif(substr(?7, j.key * ${HASH_BYTES} + 1, ${HASH_BYTES}), zeroblob(${HASH_BYTES}))`;
const CHECKED_ROW = `CASE WHEN ${SKIPPED_WITH_NOTHING_TO_WRITE(CHECKED_HASH, '?5', '?6')}
  THEN c.origin_id ELSE json_array(${LOOKUP_SELECT}) END`;

/** The hashes of these pairs, one after the other (CHECKED_HASH); zeros for none or a malformed one. */
function hashBytes(pairs: readonly [string, string | null][]): Uint8Array {
  const bytes = Buffer.alloc(pairs.length * HASH_BYTES);
  pairs.forEach(([, hash], i) => {
    if (hash !== null && isStoredHash(hash)) bytes.write(hash, i * HASH_BYTES, 'hex');
  });
  return bytes;
}

/** Each id once (its first place), with the hash in the same place of `hashes`. */
function uniquePairs(ids: readonly string[], hashes: readonly (string | null)[]): [string, string | null][] {
  const seen = new Set<string>();
  const pairs: [string, string | null][] = [];
  ids.forEach((id, i) => {
    if (seen.has(id)) return;
    seen.add(id);
    pairs.push([id, hashes[i] ?? null]);
  });
  return pairs;
}

type ContractRow = [
  originId: string,
  parentOriginId: string | null,
  targetId: string | null,
  originHash: string | null,
  targetHash: string | null,
  status: ContractState['status'],
  lastAction: ContractState['lastAction'] | null,
  lastError: string | null,
  sentHash: string | null,
  sentData: string | null,
  sourceLastChanged: number | null,
  sourceLastChecked: number | null,
  sourceLastSynced: number | null,
  targetLastChanged: number | null,
  targetLastChecked: number | null,
  targetLastSynced: number | null,
];

const date = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

function toState(row: ContractRow): ContractState {
  return {
    originId: row[0],
    parentOriginId: row[1],
    targetId: row[2],
    originHash: row[3],
    targetHash: row[4],
    status: row[5],
    lastAction: row[6] ?? 'create',
    lastError: row[7],
    sentHash: row[8],
    sentData: row[9] === null ? null : (JSON.parse(row[9]) as Record<string, unknown>),
    sourceLastChanged: date(row[10]),
    sourceLastChecked: date(row[11]),
    sourceLastSynced: date(row[12]),
    targetLastChanged: date(row[13]),
    targetLastChecked: date(row[14]),
    targetLastSynced: date(row[15]),
  };
}

/** One JSON column of an aggregate query's single row, parsed (an empty aggregate is `[]`). */
function parsedList<T>(result: { rows: readonly { [column: string]: unknown }[] }, column: string): T[] {
  const text = result.rows[0]?.[column];
  return typeof text === 'string' ? (JSON.parse(text) as T[]) : [];
}

// A contract's columns without the stored source object, which the engine never reads back.
const { originData: _originData, ...STATE_COLUMNS } = contractStateColumns;
type StateRow = { [K in keyof typeof STATE_COLUMNS]: (typeof contracts.$inferSelect)[K] };

/** The engine's view of a contract row read through drizzle (no origin data). */
export function contractFromRow(row: StateRow): ContractState {
  return {
    originId: row.originId,
    parentOriginId: row.parentOriginId,
    targetId: row.targetId,
    originHash: row.originHash,
    targetHash: row.targetHash,
    status: row.status,
    lastAction: row.lastAction ?? 'create',
    lastError: row.lastError,
    sentHash: row.sentHash,
    sentData: row.sentData,
    sourceLastChanged: row.sourceLastChanged,
    sourceLastChecked: row.sourceLastChecked,
    sourceLastSynced: row.sourceLastSynced,
    targetLastChanged: row.targetLastChanged,
    targetLastChecked: row.targetLastChecked,
    targetLastSynced: row.targetLastSynced,
  };
}

/**
 * `history`: the run this store writes for; each state that changes the object also records a version
 * of it (contract-versions.ts), in the same transaction as the contract. Without it, none is recorded.
 * With `implicitCreations` (a pull into the register, whose objects hold what was written), a synced
 * creation records no version row: its contract is that version until it first changes
 * (contracts.createdRunSeq).
 */
export function createContractStore(
  db: Db,
  orgId: string,
  syncId: string,
  history?: { readonly runId: string; readonly implicitCreations?: boolean },
): ContractStore {
  const ofSync = and(contractsOfOrg(orgId), ofSynchronisation(syncId));
  const active = and(ofSync, ne(contracts.status, 'deleted'));

  const run = (statement: string, args: InValue[]) => db.$client.execute({ sql: statement, args });

  /**
   * The contracts not deleted and not listed by the run, after `after` in origin-id order, up to `limit`
   * (all: Infinity). The synchronisation's origin ids are walked a chunk at a time along the (synchronisation,
   * origin id) index — no table row read, one JSON value a chunk; the organisation is checked once, on the
   * synchronisation (which it owns, and with it every contract) — and tested against the run's in-memory
   * index of listed ids (listed-ids.ts). The few left are checked against the deleted contracts of the
   * chunk's range, a range of their partial index. The index's order is SQLite's order of text (UTF-8
   * bytes), which keyset paging goes by.
   */
  async function unseenIds(q: UnseenQuery, after: string | null, limit: number): Promise<string[]> {
    const listed = await listedTest(run, q.runId);
    const only = q.onlyOriginIds === null ? [] : [JSON.stringify(q.onlyOriginIds)];
    const found: string[] = [];
    // From the start, '' included (an origin id may be empty); then after the last id walked.
    for (let from = after ?? '', past = after !== null; found.length < limit; past = true) {
      const result = await run(
        `SELECT json_group_array(origin_id) AS ids FROM (SELECT origin_id FROM contracts
          WHERE sync_seq = ${syncSeqSql('?2')} AND origin_id ${past ? '>' : '>='} ?3
          AND EXISTS (SELECT 1 FROM synchronisations WHERE id = ?2 AND org_id = ?1)
          ${only.length === 0 ? '' : 'AND origin_id IN (SELECT value FROM json_each(?5))'}
          ORDER BY origin_id LIMIT ?4)`,
        [orgId, syncId, from, WALK_CHUNK, ...only],
      );
      const ids = parsedList<string>(result, 'ids');
      const unlisted = ids.filter((id) => !listed(id));
      if (unlisted.length > 0) {
        // `status = 'deleted'` written out: SQLite uses a partial index only for its own condition.
        const deleted = await run(
          `SELECT json_group_array(origin_id) AS ids FROM contracts
            WHERE sync_seq = ${syncSeqSql('?1')} AND status = 'deleted'
            AND origin_id ${past ? '>' : '>='} ?2 AND origin_id <= ?3`,
          [syncId, from, ids[ids.length - 1]!],
        );
        const gone = new Set(parsedList<string>(deleted, 'ids'));
        for (const id of unlisted) {
          if (gone.has(id)) continue;
          found.push(id);
          if (found.length >= limit) break;
        }
      }
      if (ids.length < WALK_CHUNK) break;
      from = ids[ids.length - 1]!;
    }
    return found;
  }

  return {
    async lookup({ runId, page, originIds, skipCheck }): Promise<ContractLookup> {
      const found: ContractState[] = [];
      const clean: string[] = [];
      let signature: string | null = null;
      // Each id once: the page's ids drive the join below, so a repeated id would repeat its contract.
      // With a skip check, each with its object's hash, in the same place of one blob (CHECKED_HASH).
      const asked = skipCheck ? uniquePairs(originIds, skipCheck.hashes) : [...new Set(originIds)];
      await adoptRoundedIds(run, orgId, syncId, originIds);
      for (const part of chunk<string | [string, string | null]>(asked, ROW_CHUNK)) {
        const ids = skipCheck ? part.map((pair) => pair[0]) : part;
        // One statement: the contracts, and the signature of the run's ledger (is the index current?).
        // The page's ids outside, each contract found by the unique index (CROSS JOIN keeps that order):
        // a third cheaper than `origin_id IN (…)`, which first builds a temporary index of the ids.
        const result = await run(
          `SELECT (SELECT json_group_array(${skipCheck ? CHECKED_ROW : `json_array(${LOOKUP_SELECT})`})
              FROM json_each(?3) AS j CROSS JOIN contracts${skipCheck ? ' AS c' : ''}
              ON sync_seq = ${syncSeqOfOrgSql('?1', '?2')} AND origin_id = j.value) AS contracts,
            (${LEDGER_SIGNATURE_SQL.replace('?', '?4')}) AS ledger`,
          [
            orgId,
            syncId,
            JSON.stringify(ids),
            runId,
            ...(skipCheck
              ? [
                  skipCheck.editedAt.getTime(),
                  skipCheck.checkedAt.getTime(),
                  hashBytes(part as [string, string | null][]),
                ]
              : []),
          ],
        );
        for (const row of parsedList<ContractRow | string>(result, 'contracts')) {
          if (typeof row === 'string') clean.push(row);
          else found.push(toState(row));
        }
        const ledger = result.rows[0]?.ledger;
        signature ??= typeof ledger === 'string' ? ledger : null;
      }
      const seenInRun =
        originIds.length === 0 ? [] : await listedElsewhere(run, runId, page, originIds, signature);
      return skipCheck ? { contracts: found, clean, seenInRun } : { contracts: found, seenInRun };
    },

    async markSeen({ runId, page, originIds }: SeenRequest): Promise<void> {
      await recordListed(run, runId, page, originIds);
    },

    async upsert(states: readonly ContractState[], at?: Date): Promise<void> {
      if (states.length === 0) return;
      const now = at?.getTime() ?? Date.now();
      const implicit = history?.implicitCreations === true;
      const statements = upsertStatements(states, [orgId, syncId, now, implicit ? history.runId : undefined]);
      if (history) {
        // Only the objects that changed: a page of skips adds no statement at all; nor does a page of
        // creations whose contracts are their first version.
        const versions: VersionRow[] = [];
        for (const s of states) {
          // The upsert marks such a contract (contract-upsert.ts): its object is not even serialised.
          if (implicit && s.status === 'synced' && s.lastAction === 'create') continue;
          const version = versionOf(s, s.written);
          if (version) versions.push(version);
        }
        const scope = { orgId, syncId, runId: history.runId };
        for (const rows of chunk(versions, ROW_CHUNK))
          statements.push(...versionStatements(scope, rows, now));
      }
      // One statement is atomic on its own; several go in one write transaction.
      if (statements.length === 1) await db.$client.execute(statements[0]!);
      else await db.$client.batch(statements, 'write');
    },

    cleanPage: (check) => checkPage(run, { orgId, syncId }, check),

    rememberPage: (memo) => rememberPage(run, { orgId, syncId }, memo),

    recallPage: (request) => recallPage(run, { orgId, syncId }, request),

    forgetPage: (page) => forgetPage(run, { orgId, syncId }, page),

    // From the counts the triggers keep (a few rows), not a walk over the contracts.
    async countRefused(): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`coalesce(sum(${contractCounts.n}), 0)`.mapWith(Number) })
        .from(contractCounts)
        .where(
          and(
            eq(contractCounts.orgId, orgId),
            eq(contractCounts.synchronisationId, syncId),
            eq(contractCounts.status, 'rejected'),
          ),
        );
      return row?.n ?? 0;
    },

    async countActive({ before }): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(contracts)
        .where(and(active, lt(contracts.createdAt, before)));
      return row?.n ?? 0;
    },

    async countUnseen(q: UnseenQuery): Promise<number> {
      if (q.childrenOfListed) return (await unseenChildren(run, { orgId, syncId }, q, null, Infinity)).length;
      if (q.allListedActive !== undefined && q.onlyOriginIds === null) {
        // Every object listed was left with an active contract of its own: distinct ids, each with one.
        // As many active contracts means they are those (counted in the status index alone, the
        // organisation checked on the synchronisation): no walk over every contract id — 0.1 s per
        // 100,000, and at 1M 30–45 MiB of memory the walk's results held until the collector ran (issue
        // 14). Any other number walks them. A contract made by another hand during the run and one of the
        // listed ones deleted meanwhile would go unnoticed this run: the safe side, nothing deleted.
        const result = await run(
          `SELECT count(*) FROM contracts WHERE sync_seq = ${syncSeqSql('?2')} AND status <> 'deleted'
            AND EXISTS (SELECT 1 FROM synchronisations WHERE id = ?2 AND org_id = ?1)`,
          [orgId, syncId],
        );
        if (Number(result.rows[0]?.[0]) === q.allListedActive) return 0;
      }
      return (await unseenIds(q, null, Number.POSITIVE_INFINITY)).length;
    },

    async listUnseen(q): Promise<readonly ContractState[]> {
      const ids = q.childrenOfListed
        ? await unseenChildren(run, { orgId, syncId }, q, q.after, q.limit)
        : await unseenIds(q, q.after, q.limit);
      if (ids.length === 0) return [];
      const rows = await db
        .select(STATE_COLUMNS)
        .from(contracts)
        .where(and(ofSync, inArray(contracts.originId, ids)))
        .orderBy(asc(contracts.originId));
      return rows.map(contractFromRow);
    },
  };
}
