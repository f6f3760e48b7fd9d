// The contract store's writes (contract-store.ts), as SQL: a batch of contract states becomes one
// statement inserting the page's rows of source copies (source-copies.ts) and one upsert per chunk of
// rows, their rows in ONE JSON parameter that SQLite unpacks with json_each, columns equal across the
// batch sent once as parameters.
import type { InValue } from '@libsql/client';
import {
  CONTRACT_TIMES,
  contractTimeOffsetSql,
  UPDATED_AT_OFFSET_SQL,
  syncSeqOfOrgSql,
  type ContractTime,
} from '../../db/schema';
import { hashSql } from '../../db/schema/columns';
import { runSeqSql } from '../../db/schema/runs';
import type { ContractState } from '../core/contracts';
import { chunk } from './chunks';
import { packSourceCopies, type PackedCopies } from './source-copies';

// Rows per statement: bounded so one JSON parameter stays a few megabytes even with large origin data.
export const ROW_CHUNK = 2_000;

/**
 * What a batch's statements share: the organisation, the synchronisation, the write's time (a new
 * contract's creation) and, for a run that leaves a synced creation's version to its contract (the
 * contract store with `implicitCreations`), that run's id.
 */
export type UpsertContext = readonly [orgId: string, syncId: string, now: number, createdBy?: string];

const ms = (d: Date | null): number | null => (d === null ? null : d.getTime());

// Every column the engine reads back (the store's lookup) and writes, in this order; origin_data is
// left out on purpose (it is only ever written, now as a place in source copies).
export const CONTRACT_ROW_COLUMNS = [
  'origin_id',
  'parent_origin_id',
  'target_id',
  'origin_hash',
  'target_hash',
  'status',
  'last_action',
  'last_error',
  'sent_hash',
  'sent_data',
  ...CONTRACT_TIMES,
] as const;

// The hash columns (kept as bytes, db/schema/columns.ts hashColumn): read as hex, written from hex.
export const HASH_COLUMNS: ReadonlySet<string> = new Set(['origin_hash', 'target_hash', 'sent_hash']);

// Positions in the JSON row array of an upsert (see upsertRow): what a lookup reads. No id: a new
// contract's is derived from its rowid and the salt the statement draws (contractIdSql).
// And a register source's record of the object each contract was made from (NULL for every other
// synchronisation's, one parameter then), written with the contract rather than by an UPDATE after it.
const UPSERT_COLUMNS = [...CONTRACT_ROW_COLUMNS, 'origin_object'] as const;
const DATA_POSITION = UPSERT_COLUMNS.length;
// A row that sets the source object ends in where the object went among the page's source copies: the
// row of copies (counted back from the last one the batch inserts) and the place in it; both null for
// no object kept.
const COPY_COLUMNS = ['origin_copy', 'origin_copy_at'] as const;
type CopyPlace = PackedCopies['places'][number] | null;

function upsertRow(s: ContractState, copy?: CopyPlace): InValue[] {
  const row: InValue[] = [
    s.originId,
    s.parentOriginId,
    s.targetId,
    s.originHash,
    s.targetHash,
    s.status,
    s.lastAction,
    s.lastError,
    s.sentHash ?? null,
    s.sentData ? JSON.stringify(s.sentData) : null,
    ms(s.sourceLastChanged),
    ms(s.sourceLastChecked),
    ms(s.sourceLastSynced),
    ms(s.targetLastChanged),
    ms(s.targetLastChecked),
    ms(s.targetLastSynced),
    s.originObject ?? null,
  ];
  if (copy !== undefined) row.push(copy?.back ?? null, copy?.at ?? null);
  return row;
}

/**
 * INSERT … ON CONFLICT DO UPDATE over json_each rows (see upsertRow). With places of source copies in the
 * rows, each contract points at its own (none for null; a source object a row held before 0048 is
 * cleared); without, an existing contract keeps the source object it has. The
 * conflict is on (synchronisation, origin id), the unique index; a synchronisation has one organisation,
 * and its number is found among the organisation's synchronisations only (syncSeqOfOrgSql): for another
 * organisation's it is NULL, which the column refuses, so no row of another is ever written.
 *
 * Columns holding the same value in every row of the batch (a page's statuses and times usually do) go
 * as statement parameters instead: each value SQLite extracts from a row's JSON costs about as much as
 * inserting the row's index entries, and a page of creates varies in only five of its columns.
 */
function upsertStatement(
  rows: readonly (readonly InValue[])[],
  context: UpsertContext,
): { sql: string; args: InValue[] } {
  const withData = rows[0]!.length > DATA_POSITION;
  const columns = [...UPSERT_COLUMNS, ...(withData ? COPY_COLUMNS : [])];
  const first = rows[0]!;
  // origin_id always differs (and a copy's place, in practice).
  const constant = columns.map((column, i) => column !== 'origin_id' && rows.every((r) => r[i] === first[i]));
  const key = `${withData}:${constant.map(Number).join('')}`;
  let text = statementTexts.get(key);
  const [orgId, syncId, now, createdBy] = context;
  // ?4 the rows, ?5 the run whose creations are their contracts' first version (NULL: none).
  const args: InValue[] = [orgId, syncId, now, null, createdBy ?? null];
  const values: string[] = [];
  let position = 0;
  columns.forEach((column, i) => {
    let value: string;
    if (constant[i]) {
      args.push(first[i] ?? null);
      value = `?${args.length}`;
    } else value = `value ->> ${position++}`;
    // The batch inserted its rows of copies in one statement just before: they are the last ones.
    if (column === 'origin_copy') value = `(SELECT max(seq) FROM source_copies) - (${value})`;
    else if (HASH_COLUMNS.has(column)) value = hashSql(value);
    // A time is stored as its offset from the row's creation (?3 for a new one): 0 for a new contract.
    else if (isTime(column)) value = `(${value}) - ?3`;
    values.push(value);
  });
  if (!text) {
    const updated = [...columns.filter((c) => c !== 'origin_id'), ...(withData ? ['origin_data'] : [])];
    const stored = [
      ...columns.map((c) => (isTime(c) ? `${c}_offset` : c)),
      ...(withData ? ['origin_data'] : []),
    ];
    if (withData) values.push('NULL');
    // A synced creation by the run in ?5 (written by `createdBy`): the contract is its first version.
    const of = (column: string) => values[columns.indexOf(column as (typeof columns)[number])];
    stored.push('created_run_seq');
    updated.push('created_run_seq');
    values.push(
      `CASE WHEN (${of('status')}) = 'synced' AND (${of('last_action')}) = 'create' THEN ${runSeqSql('?5')} END`,
    );
    // A new contract: no legacy id, and a salt for its derived id (the update keeps both). An existing
    // one's time offsets move to its own creation (contractTimeOffsetSql).
    text = `INSERT INTO contracts (sync_seq, created_at, updated_at_offset, id, salt, ${stored.join(', ')})
      SELECT ${syncSeqOfOrgSql('?1', '?2')}, ?3, 0, '', randomblob(8), ${values.join(', ')}
      FROM json_each(?4) WHERE true
      ON CONFLICT (sync_seq, origin_id) DO UPDATE SET updated_at_offset = ${UPDATED_AT_OFFSET_SQL},
      ${updated.map(updateOf).join(', ')}`;
    statementTexts.set(key, text);
  }
  args[3] = JSON.stringify(constant.some(Boolean) ? rows.map((r) => r.filter((_, i) => !constant[i])) : rows);
  return { sql: text, args };
}

// Statement texts by the shape of their batch (columns with data, columns sent once).
const statementTexts = new Map<string, string>();

/**
 * One statement for all of a batch's rows of copies, so that they number in a row (AUTOINCREMENT, one
 * writer at a time) and the batch's upserts find each by counting back from the last. Every contract
 * written points into them, so each starts with all its objects live. The synchronisation's number is
 * found among the organisation's only (NULL otherwise, which the column refuses).
 */
function copiesStatement(
  packed: PackedCopies,
  orgId: string,
  syncId: string,
): { sql: string; args: InValue[] } {
  const args: InValue[] = [orgId, syncId];
  const rows = packed.rows.map((row) => {
    args.push(row.objects, row.data);
    return `(${syncSeqOfOrgSql('?1', '?2')}, ?${args.length - 1}, ?${args.length - 1}, ?${args.length})`;
  });
  return { sql: `INSERT INTO source_copies (sync_seq, objects, live, data) VALUES ${rows.join(', ')}`, args };
}

/** What an upsert sets a column of an existing contract to. */
function updateOf(column: string): string {
  if (isTime(column)) return `${column}_offset = ${contractTimeOffsetSql(column)}`;
  // A contract keeps the object it was made from: one another object claims is refused before (register-claims.ts).
  if (column === 'origin_object')
    return 'origin_object = coalesce(contracts.origin_object, excluded.origin_object)';
  return `${column} = excluded.${column}`;
}

const TIMES: ReadonlySet<string> = new Set(CONTRACT_TIMES);
const isTime = (column: string): column is ContractTime => TIMES.has(column);

/**
 * The statements that write these contracts (in order, to run as one write transaction when more than
 * one): the rows of copies of the source objects they keep first, then the upserts (UpsertContext).
 */
export function upsertStatements(
  states: readonly ContractState[],
  context: UpsertContext,
): { sql: string; args: InValue[] }[] {
  const withData: InValue[][] = [];
  const keepingData: InValue[][] = [];
  const kept = states.flatMap((s) =>
    s.originData === undefined || s.originData === null ? [] : [s.originData],
  );
  const packed = packSourceCopies(kept);
  let next = 0;
  for (const s of states) {
    if (s.originData === undefined) keepingData.push(upsertRow(s));
    else withData.push(upsertRow(s, s.originData === null ? null : packed.places[next++]!));
  }
  return [
    ...(packed.rows.length === 0 ? [] : [copiesStatement(packed, context[0], context[1])]),
    ...[...chunk(withData, ROW_CHUNK), ...chunk(keepingData, ROW_CHUNK)].map((rows) =>
      upsertStatement(rows, context),
    ),
  ];
}
