// The register target's SQL: stable object ids for retried writes, batched inserts, and one query to
// load the rows a batch of updates touches. Every statement is scoped to the organisation and schema.
import { and, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { objects, schemaSeqOfOrg, syncSeqOf } from '../../db/schema';
import { hashSql } from '../../db/schema/columns';
import { sha256Bytes } from '../core/canonical-json';

export interface ExistingObject {
  id: string;
  hash: string;
  deletedAt: Date | null;
}

export interface Scope {
  orgId: string;
  schemaId: string;
}

// Rows per statement: keeps one JSON parameter to a few megabytes.
const ROWS_PER_STATEMENT = 2_000;
const IDS_PER_QUERY = 500;
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
// `run_` + the 10-character time part of server/db/ids.ts.
const RUN_TIME = /^run_([0-9a-hjkmnp-tv-z]{10})[0-9a-hjkmnp-tv-z]{16}$/;

/**
 * An object id derived from what makes a write unique (the engine's idempotency key): a step retried
 * after its transaction committed inserts the same id again, which is then ignored — no duplicate.
 * Shaped like the other ids (`obj_` + 26 base32 characters): the time part of the run's id (10), the
 * listing page (4), then the digest (12). So a run's new objects land in page order at the end of the
 * primary-key index, where inserting is cheap — random ids scatter every insert across the whole index
 * and cost several times more. A run id without a time part (tests) leaves the whole id to the digest.
 */
export function stableObjectId(
  scope: Scope,
  key: string,
  at: { runId: string; page: number } | null,
): string {
  const digest = sha256Bytes(`${scope.orgId}\u0000${scope.schemaId}\u0000${key}`);
  const time = at === null ? null : runTime(at.runId);
  const prefix = at === null || time === null ? 'obj_' : `obj_${time}${base32(at.page, 4)}`;
  // The digest's characters made in one string, not one string each (an id per created object).
  const codes = new Array<number>(30 - prefix.length);
  for (let i = 0; i < codes.length; i++) codes[i] = ALPHABET_CODES[(digest[i] ?? 0) & 31]!;
  return prefix + String.fromCharCode(...codes);
}

const ALPHABET_CODES = Array.from(ALPHABET, (c) => c.charCodeAt(0));

// The last run's time part: a page's objects all belong to one run, so the pattern runs once a run
// (again whenever runs in one process take turns, which only costs the match).
let lastRun: { runId: string; time: string | null } = { runId: '', time: null };

function runTime(runId: string): string | null {
  if (lastRun.runId !== runId) lastRun = { runId, time: RUN_TIME.exec(runId)?.[1] ?? null };
  return lastRun.time;
}

/**
 * What every object id a run created under its own keys starts with (`obj_` and the run id's time
 * part), or null for a run id without a time part.
 */
export function runIdPrefix(runId: string): string | null {
  const time = runTime(runId);
  return time === null ? null : `obj_${time}`;
}

function base32(n: number, width: number): string {
  let out = '';
  let rest = Math.max(0, Math.floor(n));
  for (let i = 0; i < width; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/** What a write puts into an object row; the scope (organisation, register, schema) is the batch's. */
export interface ObjectWrite {
  id: string;
  data: Readonly<Record<string, unknown>>;
  hash: string;
}

// Rows travel as ONE JSON parameter that SQLite unpacks with json_each (see stores/contract-store.ts):
// constant statement text, no per-row parameters, one statement per batch. The data goes as JSON text
// inside it, because SQLite's JSON functions refuse nesting deeper than 1,000 levels.
const rowsJson = (rows: readonly ObjectWrite[]) =>
  JSON.stringify(rows.map((r) => [r.id, JSON.stringify(r.data), r.hash]));

/** Where a batch is written: the schema, and the synchronisation writing (who changed it). */
export type WriteScope = Scope & { syncId: string | null };

/** The writing synchronisation's number (objects.updated_by_sync_seq), or NULL for none. */
const writer = (syncId: string | null): SQL<number | null> =>
  syncId === null ? sql`NULL` : syncSeqOf(syncId);

/** Inserts new objects (version 1); an id that already exists (a retried write) is left as it is. */
export function insertObjects(db: Db | Tx, scope: WriteScope, rows: readonly ObjectWrite[]) {
  return writeObjects(db, scope, rows, sql`DO NOTHING`);
}

/** The statements of insertObjects, unexecuted: for a batch that also queues the changes for push. */
export function insertStatements(db: Db | Tx, scope: WriteScope, rows: readonly ObjectWrite[]) {
  return writeStatements(db, scope, rows, sql`DO NOTHING`);
}

// An existing object's time offsets for now: the attempted row's creation time is now (its offsets
// are stored from its creation, objects.changedAt).
const OFFSET_NOW = sql.raw('excluded.created_at - objects.created_at');

/**
 * Replaces the data of existing objects: version + 1, restored if soft-deleted. Written as an upsert so
 * SQLite walks the batch and finds each row by its primary key (an UPDATE … FROM json_each lets the
 * planner scan the whole schema per batch row). The callers pass ids they just loaded in the same
 * transaction; an id of another organisation or schema matches the conflict but not its WHERE, so it
 * is left alone.
 */
export function updateObjects(db: Db | Tx, scope: WriteScope, rows: readonly ObjectWrite[]) {
  return writeObjects(
    db,
    scope,
    rows,
    sql`DO UPDATE SET data = excluded.data, hash = excluded.hash, version = objects.version + 1,
      deleted_at = NULL, updated_at_offset = ${OFFSET_NOW}, updated_by = NULL,
      updated_by_sync_seq = excluded.updated_by_sync_seq,
      change_seq = excluded.change_seq, changed_at_offset = ${OFFSET_NOW}
      WHERE objects.schema_seq = excluded.schema_seq`,
  );
}

async function writeObjects(
  db: Db | Tx,
  scope: WriteScope,
  rows: readonly ObjectWrite[],
  onConflict: SQL,
): Promise<void> {
  for (const statement of writeStatements(db, scope, rows, onConflict)) await statement;
}

// Each row's place in the change feed, numbered by the statement: the rows after the counter, in batch
// order (json_each's key). The feed's triggers accept a number above the counter and move the counter to
// it; any other number they replace (migration 0035). Numbering here spares each object a second write
// of its row and feed index entry by the trigger (objects_feed_insert did that for every created object).
// The hash arrives as hex and is stored as bytes (db/schema/columns.ts hashColumn).
const HASH = sql.raw(hashSql('value ->> 2'));

const FEED_POSITION = sql.raw('(SELECT n FROM change_counter WHERE id = 1) + key + 1');

function writeStatements(db: Db | Tx, scope: WriteScope, rows: readonly ObjectWrite[], onConflict: SQL) {
  const now = Date.now();
  const statements = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    statements.push(
      db.run(sql`INSERT INTO objects (id, schema_seq, data, hash, version, created_at, updated_at_offset, updated_by_sync_seq, change_seq, changed_at_offset)
      SELECT value ->> 0, ${schemaSeqOfOrg(scope.orgId, scope.schemaId)}, value ->> 1, ${HASH}, 1, ${now}, 0, ${writer(scope.syncId)}, ${FEED_POSITION}, 0
      FROM json_each(${rowsJson(rows.slice(i, i + ROWS_PER_STATEMENT))}) WHERE true
      ON CONFLICT (id) ${onConflict}`),
    );
  }
  return statements;
}

/**
 * These ids within the scope, found by primary key. The unary `+` keeps SQLite from using the schema's
 * index for `schema_seq = ?`: without statistics it guesses an equality matches about ten rows and may
 * walk all of a schema's objects instead of looking up a batch of ten ids.
 */
export function objectsByIds(scope: Scope, ids: readonly string[]) {
  return and(
    // The schema found among the organisation's only: an object holds no organisation of its own.
    sql`+${objects.schemaSeq} = ${schemaSeqOfOrg(scope.orgId, scope.schemaId)}`,
    inArray(objects.id, [...ids]),
  );
}

/** The schema's objects with these ids (deleted ones included), in one query per 500 ids. */
export async function loadObjects(
  db: Db | Tx,
  scope: Scope,
  ids: readonly string[],
): Promise<Map<string, ExistingObject>> {
  const found = new Map<string, ExistingObject>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    const rows = await db
      .select({ id: objects.id, hash: objects.hash, deletedAt: objects.deletedAt })
      .from(objects)
      .where(objectsByIds(scope, unique.slice(i, i + IDS_PER_QUERY)));
    for (const row of rows) found.set(row.id, row);
  }
  return found;
}

/**
 * Soft (sets deletedAt) or hard delete of the schema's objects with these ids; absent ids are fine.
 * Answers the objects that were live until now, with their data (for the push outbox).
 */
export async function deleteObjects(
  tx: Db | Tx,
  scope: Scope & { syncId: string | null },
  ids: readonly string[],
  policy: 'soft' | 'hard',
): Promise<{ id: string; data: Record<string, unknown> }[]> {
  const unique = [...new Set(ids)];
  const now = new Date();
  const gone: { id: string; data: Record<string, unknown> }[] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    const where = objectsByIds(scope, unique.slice(i, i + IDS_PER_QUERY));
    const live = and(where, isNull(objects.deletedAt));
    const returned = { id: objects.id, data: objects.data };
    if (policy === 'hard') {
      // A soft-deleted object went out as a deletion before: only live ones are answered.
      const rows = await tx
        .delete(objects)
        .where(where)
        .returning({ ...returned, deletedAt: objects.deletedAt });
      gone.push(...rows.filter((row) => row.deletedAt === null));
    }
    // Already soft-deleted objects keep their first deletion time.
    else
      gone.push(
        ...(await tx
          .update(objects)
          .set({ deletedAt: now, updatedBy: null, updatedBySyncSeq: writer(scope.syncId) })
          .where(live)
          .returning(returned)),
      );
  }
  return gone;
}
