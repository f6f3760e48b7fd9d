// Contracts: one per synchronisation and origin id, remembering both sides of a synchronised object.
import { randomBytes } from 'node:crypto';
import { and, eq, getTableColumns, or, sql, type SQL } from 'drizzle-orm';
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { CONTRACT_ACTIONS, CONTRACT_STATUSES, type ContractState } from '../../sync/core/contracts';
import { ID_PREFIXES } from '../ids';
import {
  hashColumn,
  jsonb,
  jsonbRead,
  timeAfterCreation,
  timestamp,
  timestamps,
  updatedAfterCreation,
} from './columns';
import { orgIdColumn } from './organisations';
import { synchronisations } from './synchronisations';

// The statuses and actions are the engine's (a small state machine, see server/sync/core/contracts.ts).
// Triggers on this table, which a migration that rebuilds it must create again: contracts_sync_kept,
// contract_counts_insert/delete/update (the list's totals), contract_epochs_update/delete (page
// memos' stamps, migration 0041), contracts_copy_moved/deleted (source copies' counts, 0048) and
// contracts_first_version (a creation's version written out, 0051, redefined in 0054) and
// contracts_target_moved (a version keeps the object it was written to, 0054).

const CONTRACT_ID_PREFIX = `${ID_PREFIXES.contract}_`;

/** The contract times kept as offsets from the contract's creation (see contracts.sourceLastChanged). */
export const CONTRACT_TIMES = [
  'source_last_changed',
  'source_last_checked',
  'source_last_synced',
  'target_last_changed',
  'target_last_checked',
  'target_last_synced',
] as const;
export type ContractTime = (typeof CONTRACT_TIMES)[number];

/** A contract time as read: its creation plus the stored offset (a virtual column: no byte stored). */
const contractTime = (name: ContractTime) => timeAfterCreation(name);
const SALT_BYTES = 8;

export const contracts = sqliteTable(
  'contracts',
  {
    // The rowid, named (migration 0039): a small number that a VACUUM cannot renumber, by which a
    // contract's versions name it (3 bytes where the id took 30, in their row and both their indexes).
    // It is also the list's order (the order Concord first recorded its contracts). Never set it.
    seq: integer('seq').primaryKey(),
    // The id a contract recorded before migration 0045 was given, kept so that links to it still work;
    // '' for every later contract, whose id is derived from its rowid and `salt` (contractIdSql): a
    // stored 30-character id and its unique index cost every contract 74 bytes and one more index entry
    // to write (issue 14). Read a contract's id as `contractIdSql`, find one with `contractById`.
    legacyId: text('id')
      .notNull()
      .$defaultFn(() => ''),
    // 8 random bytes in every derived id: the rowid alone would make ids guessable (the organisation
    // gate refuses another organisation's contract anyway; this keeps ids as unguessable as they were).
    // NULL for a contract with a legacy id. The upsert writes randomblob(8).
    salt: blob('salt', { mode: 'buffer' }).$defaultFn(() => randomBytes(SALT_BYTES)),
    // No org_id: the synchronisation holds it, and every query finds a contract through synchronisations
    // of the caller's organisation (`ofSynchronisation` with an id the organisation owns, or
    // `contractsOfOrg`). Its copy cost every contract 30 bytes, so a 4 KiB page held 10 contracts where
    // it holds 11 (issue 14, migration 0043); deleting the organisation deletes its synchronisations and
    // so their contracts.
    // The synchronisation, by its number (synchronisations.seq, given once and never changed): 1–4
    // bytes where its id took 30 (migrations 0029, 0037). Write it as `syncSeqOf(id)`; read the id
    // through `synchronisations` (contractColumns). Deleting the synchronisation deletes its
    // contracts, found by contracts_sync_origin.
    syncSeq: integer('sync_seq')
      .notNull()
      .references(() => synchronisations.seq, { onDelete: 'cascade' }),
    // Sub-objects have their own contract, linked to the origin id of the object they were found in.
    parentOriginId: text('parent_origin_id'),
    originId: text('origin_id').notNull(),
    // A register source's synchronisation (push): the register object this contract was made from. Its
    // origin id is the object's data id, which two objects may share and a person may change: the
    // contract stays with its object (sources/register-identity.ts) — a second object with the same id
    // is refused, an object whose id changed takes its contract along. NULL for every other
    // synchronisation (a NULL column costs a row no byte of data, only its header's) and for a push
    // contract written before migration 0056, until its object claims it.
    originObject: text('origin_object'),
    targetId: text('target_id'),
    originHash: hashColumn('origin_hash'),
    targetHash: hashColumn('target_hash'),
    // The hash of what Concord last handed the target, when it differs from target_hash (null: the same).
    sentHash: hashColumn('sent_hash'),
    // The object last sent, kept only for a target that is sent changed fields only (null otherwise).
    sentData: text('sent_data', { mode: 'json' }).$type<Record<string, unknown>>(),
    // Two-way synchronisations: the hash of the target object as last synced (its base), the hash of
    // what Concord last wrote to the source (an object read back with it is Concord's own echo), and
    // the target object as last synced (the base of a conflict's three-way diff).
    targetBaseHash: hashColumn('target_base_hash'),
    originSentHash: hashColumn('origin_sent_hash'),
    targetData: text('target_data', { mode: 'json' }).$type<Record<string, unknown>>(),
    // The flap breaker: writes of this object since flipsSince; too many in the window quarantine it.
    flips: integer('flips').notNull().default(0),
    flipsSince: timestamp('flips_since'),
    // The two sides' six times, each stored as milliseconds after the contract's creation (`…_offset`)
    // and read through a virtual column of its own name (created_at + offset; NULL stays NULL). A new
    // contract's times are its creation: offset 0, which SQLite stores in no byte at all where a time
    // took 6 — 36 bytes of a new contract's row, 13 contracts to a 4 KiB page where 11 fitted (issue 14,
    // migration 0046). Read the named columns; write the offsets (contractTimeOffsets), never the names.
    sourceLastChangedOffset: integer('source_last_changed_offset'),
    sourceLastCheckedOffset: integer('source_last_checked_offset'),
    sourceLastSyncedOffset: integer('source_last_synced_offset'),
    targetLastChangedOffset: integer('target_last_changed_offset'),
    targetLastCheckedOffset: integer('target_last_checked_offset'),
    targetLastSyncedOffset: integer('target_last_synced_offset'),
    sourceLastChanged: contractTime('source_last_changed'),
    sourceLastChecked: contractTime('source_last_checked'),
    sourceLastSynced: contractTime('source_last_synced'),
    targetLastChanged: contractTime('target_last_changed'),
    targetLastChecked: contractTime('target_last_checked'),
    targetLastSynced: contractTime('target_last_synced'),
    lastAction: text('last_action', { enum: CONTRACT_ACTIONS }),
    status: text('status', { enum: CONTRACT_STATUSES }).notNull(),
    lastError: text('last_error'),
    // The source object as last seen, so the contract page can show it and re-sync it on request. As
    // JSONB (columns.ts; rows written before 2026-12-05 hold text until their next write, and read the
    // same): a fifth smaller, so a 4 KiB page holds 9 contracts where it held 8 (issue 14). Select it
    // through contractReadColumns.
    originData: jsonb('origin_data'),
    // Where the engine keeps it since migration 0048: the object at position `origin_copy_at` of the
    // page of source objects `origin_copy` (source_copies; about 25 bytes an object where JSONB here
    // took 171). A contract has one or the other, or neither (origin_data NULL: none kept). Read it
    // through contractReadColumns and withOriginData (stores/source-copies.ts).
    originCopy: integer('origin_copy'),
    originCopyAt: integer('origin_copy_at'),
    createdAt: timestamps.createdAt,
    // The run that created the contract, while its creation is its only version and that version is the
    // contract itself (the hashes, its creation time; the register object holds the data): a created
    // object writes no version row of its own (issue 14, migration 0051: 94 bytes, a row and two index
    // entries per created object). The first change of the contract, or of the register object it
    // links, writes that version out as a row (trigger contracts_first_version) and clears this. By the
    // run's number, without a foreign key (retention's deletion of a run would look up every contract):
    // a run gone reads as none, and runs.seq is never given again (trigger runs_number counts these).
    createdRunSeq: integer('created_run_seq'),
    // When the contract was last written, kept like the six times: its offset from the creation (0, no
    // byte, until the contract is written again; with the run's start in two of the times, a contract of
    // a long run needed more than a 4 KiB page's 13th of room, migration 0047). Read `updatedAt`.
    ...updatedAfterCreation(),
  },
  (t) => [
    // Legacy ids only (contracts recorded before migration 0045); a derived id is found by its rowid.
    uniqueIndex('contracts_id')
      .on(t.legacyId)
      .where(sql`${t.legacyId} <> ''`),
    // One contract per synchronisation and origin id. A synchronisation has one organisation, so
    // (synchronisation, …) is every index's lead, and every query still checks the organisation, on the
    // synchronisation (contractsOfOrg). The org id in three indexes cost every contract about 100 bytes
    // and longer keys to compare on each insert (issue 14, migration 0025); in the row, 30 (0043).
    // The only index on origin ids (the lookup key): they arrive in no particular order, and with random
    // ids (UUIDs) each insert lands on its own leaf page, written whole to the WAL at the page's commit.
    uniqueIndex('contracts_sync_origin').on(t.syncSeq, t.originId),
    index('contracts_sync_target').on(t.syncSeq, t.targetId),
    // A register object's contract, whatever id its data now carries; partial, so a pull's contracts
    // (origin_object NULL) add no entry.
    index('contracts_sync_origin_object')
      .on(t.syncSeq, t.originObject)
      .where(sql`${t.originObject} IS NOT NULL`),
    // The list's order (the order Concord first recorded its contracts: the rowid, which every SQLite
    // index ends in) and its status and last-action filters. None ends in origin_id: a new contract's
    // entry goes at the end of its range, however random the source's ids. With the status and action
    // indexes ending in origin_id, a random-id source's initial pull wrote 2,089 MB for 100k objects
    // and spent 2.9 s in its commits; on these, 793 MB and 1.5 s (issue 14, migration 0030).
    // The unfiltered list's order: a synchronisation's contracts in rowid order (an integer and the
    // rowid per entry; until migration 0037 the synchronisation's 30-character id, which the foreign key
    // named).
    index('contracts_sync').on(t.syncSeq),
    index('contracts_sync_status').on(t.syncSeq, t.status),
    index('contracts_sync_action').on(t.syncSeq, t.lastAction),
    // Deleted contracts by origin id: deletion planning walks the origin-id index and passes over these
    // (a deletion adds one entry; every other contract none).
    index('contracts_sync_deleted')
      .on(t.syncSeq, t.originId)
      .where(sql`${t.status} = 'deleted'`),
    // Contracts holding their source object in the row (written before migration 0048, or by two-way
    // runs): retention moves the one-way ones into source copies (stores/source-copies.ts) and finds
    // them by this alone. A contract whose object is in source copies has no entry.
    index('contracts_sync_inline_origin')
      .on(t.syncSeq)
      .where(sql`${t.originData} IS NOT NULL`),
    // The creations a run's log lists whose version is still the contract itself (createdRunSeq): one
    // entry per such contract, gone with its first change.
    index('contracts_created_run')
      .on(t.createdRunSeq)
      .where(sql`${t.createdRunSeq} IS NOT NULL`),
    // Not parent_origin_id: no query filters by it (a sub-object's parent is found by its origin id),
    // and its index cost every contract one more insert and 45 bytes (issue 14, migration 0019).
  ],
);

/** A contract's six times as the engine holds them (see contracts.sourceLastChanged). */
export type ContractTimes = Pick<
  ContractState,
  | 'sourceLastChanged'
  | 'sourceLastChecked'
  | 'sourceLastSynced'
  | 'targetLastChanged'
  | 'targetLastChecked'
  | 'targetLastSynced'
>;

/** The stored offsets of a contract's times, for a row created at `createdAt` (drizzle writes). */
export function contractTimeOffsets(t: ContractTimes, createdAt: Date) {
  const after = (d: Date | null) => (d === null ? null : d.getTime() - createdAt.getTime());
  return {
    sourceLastChangedOffset: after(t.sourceLastChanged),
    sourceLastCheckedOffset: after(t.sourceLastChecked),
    sourceLastSyncedOffset: after(t.sourceLastSynced),
    targetLastChangedOffset: after(t.targetLastChanged),
    targetLastCheckedOffset: after(t.targetLastChecked),
    targetLastSyncedOffset: after(t.targetLastSynced),
  };
}

/**
 * An upsert's offsets of a contract that exists: the attempted row's are from ITS creation time (now),
 * so each moves by the difference to the contract's own. `contracts` must be the table's name there.
 */
export const contractTimeOffsetSql = (time: ContractTime): string =>
  `excluded.${time}_offset + excluded.created_at - contracts.created_at`;

/** An upsert's `updated_at_offset` of a contract that exists: the attempted row's creation is now. */
export const UPDATED_AT_OFFSET_SQL = 'excluded.created_at - contracts.created_at';

/** contractTimeOffsetSql for every time (and the write's own), as a drizzle `onConflictDoUpdate` set. */
export const contractTimeOffsetsOnConflict = () => ({
  updatedAtOffset: sql.raw(UPDATED_AT_OFFSET_SQL),
  sourceLastChangedOffset: sql.raw(contractTimeOffsetSql('source_last_changed')),
  sourceLastCheckedOffset: sql.raw(contractTimeOffsetSql('source_last_checked')),
  sourceLastSyncedOffset: sql.raw(contractTimeOffsetSql('source_last_synced')),
  targetLastChangedOffset: sql.raw(contractTimeOffsetSql('target_last_changed')),
  targetLastCheckedOffset: sql.raw(contractTimeOffsetSql('target_last_checked')),
  targetLastSyncedOffset: sql.raw(contractTimeOffsetSql('target_last_synced')),
});

/**
 * The contracts of an organisation: those of its synchronisations (a contract holds no organisation of
 * its own). The gate every query of contracts goes through, beside or instead of one synchronisation.
 */
export const contractsOfOrg = (orgId: string): SQL =>
  sql`${contracts.syncSeq} IN (SELECT ${synchronisations.seq} FROM ${synchronisations} WHERE ${synchronisations.orgId} = ${orgId})`;

/** A synchronisation's number (see `contracts.syncSeq`), as SQL: evaluated once per statement. */
export const syncSeqOf = (syncId: string): SQL<number> =>
  sql`(SELECT ${synchronisations.seq} FROM ${synchronisations} WHERE ${synchronisations.id} = ${syncId})`;

/**
 * A synchronisation's number, found only among the organisation's synchronisations: what a contract is
 * written with, so that no contract is ever filed under another organisation's synchronisation (NULL,
 * which the column refuses).
 */
export const syncSeqOfOrg = (orgId: string, syncId: string): SQL<number> =>
  sql`(SELECT ${synchronisations.seq} FROM ${synchronisations} WHERE ${synchronisations.id} = ${syncId} AND ${synchronisations.orgId} = ${orgId})`;

/** The same in raw SQL, the organisation and synchronisation ids being the parameters `org` and `sync`. */
export const syncSeqOfOrgSql = (org: string, sync: string): string =>
  `(SELECT seq FROM synchronisations WHERE id = ${sync} AND org_id = ${org})`;

/** The same in raw SQL, the synchronisation id being the statement's parameter `param` (e.g. '?2'). */
export const syncSeqSql = (param: string): string => `(SELECT seq FROM synchronisations WHERE id = ${param})`;

/**
 * The contracts of one synchronisation, by the number their indexes lead with. Not inside an OR: SQLite
 * then uses no index for the subquery's value and walks every contract (a search took 0.9 s at 1M);
 * there, pass the number itself (`eq(contracts.syncSeq, seq)`) or split the OR into EXISTS.
 */
export const ofSynchronisation = (syncId: string): SQL => eq(contracts.syncSeq, syncSeqOf(syncId));

/**
 * A contract's id as people and the API see it, in raw SQL (`c`: the contracts table's name or alias):
 * its legacy id if it has one, else `con_`, its salt in hex (16 characters) and its rowid in hex (no
 * leading zero, so each contract has exactly one id).
 */
export const contractIdText = (c: string): string =>
  `(CASE WHEN ${c}.id <> '' THEN ${c}.id ELSE '${CONTRACT_ID_PREFIX}' || lower(hex(${c}.salt)) || printf('%x', ${c}.seq) END)`;

/** A contract's id (contractIdText) to select through drizzle. */
export const contractIdSql: SQL<string> = sql<string>`${sql.raw(contractIdText('"contracts"'))}`;

const DERIVED_ID = new RegExp(`^${CONTRACT_ID_PREFIX}([0-9a-f]{${SALT_BYTES * 2}})([1-9a-f][0-9a-f]{0,12})$`);

/**
 * The contract with this id (see contractIdSql): a derived id by its rowid and salt, or a legacy id by
 * contracts_id. Use beside `contractsOfOrg` or `ofSynchronisation`; this checks no organisation.
 */
export function contractById(id: string): SQL {
  // '' is every new contract's legacy id: it names none of them (and the term lets SQLite use the
  // partial index contracts_id, which holds only the others).
  if (id === '') return sql`false`;
  const legacy = and(eq(contracts.legacyId, id), sql`${contracts.legacyId} <> ''`)!;
  const derived = DERIVED_ID.exec(id);
  if (!derived) return legacy;
  const seq = Number.parseInt(derived[2]!, 16);
  // Both: a legacy id could, by a chance of 2^-26, have a derived id's shape.
  return or(and(eq(contracts.seq, seq), eq(contracts.salt, Buffer.from(derived[1]!, 'hex'))), legacy)!;
}

/**
 * A contract's columns to read, but its id: without the legacy id and salt that make up the id
 * (contractIdSql), and the offsets its times are read through.
 */
const {
  legacyId: _legacyId,
  salt: _salt,
  sourceLastChangedOffset: _sourceLastChangedOffset,
  sourceLastCheckedOffset: _sourceLastCheckedOffset,
  sourceLastSyncedOffset: _sourceLastSyncedOffset,
  targetLastChangedOffset: _targetLastChangedOffset,
  targetLastCheckedOffset: _targetLastCheckedOffset,
  targetLastSyncedOffset: _targetLastSyncedOffset,
  updatedAtOffset: _updatedAtOffset,
  originCopy: _originCopy,
  originCopyAt: _originCopyAt,
  ...STATE_COLUMNS
} = getTableColumns(contracts);
export const contractStateColumns = STATE_COLUMNS;
const { originData: _originData, ...WITHOUT_ORIGIN_DATA } = STATE_COLUMNS;

/**
 * A contract's columns to select: its id, and where its source object is kept — in the row (JSONB,
 * read back as JSON: `storedOriginData`) or in a page of source copies. withOriginData
 * (stores/source-copies.ts) turns the three into `originData`.
 */
export const contractReadColumns = {
  ...WITHOUT_ORIGIN_DATA,
  id: contractIdSql,
  storedOriginData: jsonbRead(contracts.originData),
  originCopy: contracts.originCopy,
  originCopyAt: contracts.originCopyAt,
};

/**
 * A contract's columns with its synchronisation's id, which the row holds by number only: select them
 * `.from(contracts).innerJoin(synchronisations, contractsSynchronisation)`.
 */
export const contractColumns = { ...contractReadColumns, synchronisationId: synchronisations.id };
export const contractsSynchronisation = eq(synchronisations.seq, contracts.syncSeq);

/**
 * How many contracts each synchronisation has per status and last action, kept exact by triggers on
 * `contracts` (migration 0018): the contracts list's totals are a sum of a few of these rows instead of a
 * count over up to millions of contracts. A skip that stays a skip changes no count, so an unchanged
 * run writes nothing here. `last_action` is '' for a contract without one.
 */
export const contractCounts = sqliteTable(
  'contract_counts',
  {
    orgId: orgIdColumn(),
    synchronisationId: text('synchronisation_id')
      .notNull()
      .references(() => synchronisations.id, { onDelete: 'cascade' }),
    status: text('status', { enum: CONTRACT_STATUSES }).notNull(),
    lastAction: text('last_action').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.synchronisationId, t.status, t.lastAction] }),
    index('contract_counts_org').on(t.orgId),
  ],
);
