// An SQL target: rows upserted into a PostgreSQL or MySQL/MariaDB table on its key column(s), one
// transaction per batch, multi-row prepared statements with every value bound (sql-statements.ts).
// Write modes: insert only leaves an existing row alone; update only locks and finds the rows that
// exist and writes only those (the others answer `absent`). A create (or a moved row) at a key the table
// already holds, which no contract of its object names, is judged by sql-taken-keys.ts before anything
// is written: refused (two-way), taken over and said so (upsert), or left and said so (insert only).
// A create without a value for a key the database gives (identity, serial, AUTO_INCREMENT) is a new row
// whose given key becomes its target id (sql-generated-keys.ts). Deletions: sql-delete.ts. A statement
// a row's values break (a constraint, a type) is retried row by row inside savepoints, so the good rows
// land and the bad one is refused with the database's words; a deadlock, serialization failure or
// timeout makes the batch's objects transient failures (tried again next run); a lost connection or a
// missing table throws, so the run ends in error and nothing is lost.
import type { SqlSourceConfig } from '../config/source-config';
import type { SqlTargetConfig } from '../config/sync-config';
import type { WriteMode } from '../core/write-mode';
import type { ResolveHost, UrlPolicy } from '../http/guard';
import { Redactor } from '../http/redact';
import type { TargetCheck, TargetCreate, TargetPort, TargetRefusal, TargetWriteResult } from '../ports';
import { describeDatabase, parseSqlRead } from '../sources/sql-dialects';
import { toParam } from './sql-columns';
import {
  keyOfTargetId,
  keyTextOf,
  prepareRow,
  type RowInput,
  type SqlRow,
  type UnkeyedRow,
} from './sql-rows';
import { existingKeys, type Refused } from './sql-existing-keys';
import { findGenerated, insertGenerated } from './sql-generated-keys';
import { moveRows, upsertRows, type Moved } from './sql-row-writes';
import { hasOtherUniqueKeys, writeByKeyAlone } from './sql-other-unique-keys';
import { createSqlDelete } from './sql-delete';
import { createSqlSession, type Session } from './sql-session';
import type { TableInfo } from './sql-table';
import {
  foreseeSharedRows,
  judgeTakenKey,
  sameRowInBatch,
  takenKeyPolicyOf,
  type KeyHolders,
  type TakenKeyPolicy,
} from './sql-taken-keys';
import type { FindsExisting, FoundExisting } from './create-intents';
import { refuseChanged, type CurrentHashes } from './sql-unchanged';

export interface SqlTargetOptions {
  /** The SQL source written to. */
  systemId: string;
  name: string;
  source: SqlSourceConfig;
  secrets: Record<string, string>;
  target: SqlTargetConfig;
  writeMode: WriteMode;
  urlPolicy: UrlPolicy;
  /** Test seam: any DNS answer. */
  resolve?: ResolveHost;
  /** The moment a soft delete records (`{{now}}`); tests fix it. */
  now?: () => Date;
  /** A create at a key the table holds (sql-taken-keys.ts); by default what the write mode documents. */
  takenKeys?: TakenKeyPolicy;
  /** Which keys other objects of the synchronisation hold by their contracts (for the refusal's words). */
  keyHolders?: KeyHolders;
  /** How an update's or deletion's `unlessChangedFrom` is checked (sql-unchanged.ts); left out: it is not. */
  currentHashes?: CurrentHashes;
}

export type SqlTarget = TargetPort & FindsExisting & { close(): Promise<void> };

/**
 * An object to write; an update knows the target id (the row's key) Concord wrote it under, a create may
 * name the row its contract still holds (`replaces`: a record back after its deletion).
 */
type WriteItem = RowInput & {
  readonly ifExists?: true;
  readonly replaces?: string;
  readonly unlessChangedFrom?: string;
};

/** How a write that went through found its row: taken over from, or left to, what the table held. */
type Existing = 'taken-over' | 'left';

/** Throws at once when the table is not a table name (a query cannot be written to). */
export function createSqlTarget(o: SqlTargetOptions): SqlTarget {
  const dialect = o.source.dialect;
  const parsed = parseSqlRead(dialect, o.target.table);
  if (!parsed.ok || parsed.read.kind !== 'table')
    throw new Error(`"${o.target.table}" is not a table name: an SQL target writes to a table.`);
  const parts = parsed.read.parts;
  const tableName = parts.join('.');
  const label = `SQL target "${o.name}" (${describeDatabase(o.source)}, table ${tableName})`;
  const keys = o.target.keyColumns;
  const redactor = new Redactor();
  redactor.add(o.secrets['password']);
  const now = o.now ?? (() => new Date());
  const session = createSqlSession({ ...o, parts, label, redactor });
  const { connect, transaction } = session;
  const policy = o.takenKeys ?? takenKeyPolicyOf(o.writeMode);
  // The keys this target wrote, and for which object: within a run, two objects never share a row.
  const wrote = new Map<string, string>();

  const keyParams = (info: TableInfo, key: readonly unknown[]) =>
    key.map((value, i) => toParam(dialect, info.columns.get(keys[i]!)!, value));

  // Which key columns ignore case (MySQL's `…_ci` collations), known once the table is read.
  let folded: readonly boolean[] = [];
  const known = (info: TableInfo) => {
    folded = keys.map((k) => info.columns.get(k)?.caseInsensitive === true);
    return info;
  };
  const keyText = (key: readonly unknown[]) => keyTextOf(dialect, folded, key);

  const existing = (s: Session, rows: readonly SqlRow[], refused: Refused, lock = true) =>
    existingKeys(s, { dialect, keys, keyParams, keyText }, rows, refused, lock);

  /**
   * The rows among `contested` (writes at a key no contract of their object names) whose key the table
   * holds, judged by the policy: refused (through `refuse`), or written over / left and said so. Answers
   * those flags and the rows whose key is free.
   */
  async function claim(
    s: Session,
    contested: readonly SqlRow[],
    refusals: ReadonlyMap<string, TargetRefusal>,
    refuse: (row: SqlRow, reason: string) => void,
  ): Promise<{ flags: Map<string, Existing>; free: Set<string> }> {
    const flags = new Map<string, Existing>();
    const free = new Set<string>();
    if (contested.length === 0) return { flags, free };
    const found = await existing(s, contested, refuse, false);
    const held = contested.filter((row) => found.has(keyText(row.key)));
    const holders =
      held.length > 0 && o.keyHolders
        ? await o.keyHolders(held.map((row) => row.targetId))
        : new Map<string, string>();
    for (const row of contested) {
      if (refusals.has(row.originId)) continue;
      const text = keyText(row.key);
      if (!found.has(text)) {
        free.add(row.originId);
        continue;
      }
      const writer = wrote.get(text);
      const holder = holders.get(row.targetId);
      const verdict = judgeTakenKey(
        row,
        policy,
        tableName,
        writer !== undefined
          ? { originId: writer, wroteThisRun: true }
          : holder !== undefined
            ? { originId: holder, wroteThisRun: false }
            : undefined,
      );
      if (verdict.kind === 'refuse') refuse(row, verdict.reason);
      else if (verdict.kind !== 'own')
        flags.set(row.originId, verdict.kind === 'leave' ? 'left' : 'taken-over');
    }
    return { flags, free };
  }

  async function write(batch: readonly WriteItem[], creating: boolean): Promise<TargetWriteResult[]> {
    if (batch.length === 0) return [];
    const info = known((await connect()).info);
    const answers = new Map<string, TargetWriteResult>();
    const rows: SqlRow[] = [];
    // Creates whose key the database gives (sql-generated-keys.ts).
    const unkeyed: UnkeyedRow[] = [];
    const moved: Moved[] = [];
    // Rows at a key their object's contract does not name: creates (but at the row they replace) and moves.
    const contested = new Set<string>();
    const seen = new Set<string>();
    for (const item of batch) {
      const row = prepareRow(item, o.target, info.columns, tableName);
      if ('reason' in row) {
        answers.set(item.originId, row);
        continue;
      }
      if (row.key === null) {
        unkeyed.push(row);
        continue;
      }
      const sqlRow = row;
      // Two objects of one batch for one row: the later one would silently overwrite the first.
      const text = keyText(sqlRow.key);
      if (seen.has(text)) {
        answers.set(item.originId, {
          originId: item.originId,
          ok: false,
          reason: sameRowInBatch(sqlRow.targetId),
        });
        continue;
      }
      seen.add(text);
      rows.push(sqlRow);
      const oldKey = item.targetId !== undefined ? keyOfTargetId(item.targetId, keys.length) : null;
      const movesRow = oldKey !== null && !item.ifExists && item.targetId !== sqlRow.targetId;
      if (movesRow && o.writeMode !== 'insert-only') moved.push({ row: sqlRow, oldKey });
      if (creating ? item.replaces !== sqlRow.targetId : movesRow) contested.add(item.originId);
    }
    const outcome = await transaction(async (s) => {
      const shape = { dialect, keys, keyParams };
      // First, before any read of this transaction: a row changed since its writer read it is not written.
      const guarded = creating ? [] : batch.filter((item) => !answers.has(item.originId));
      const refusals = await refuseChanged(s, shape, guarded, o.currentHashes, 'refuse');
      const refuse = (row: { originId: string }, reason: string) =>
        refusals.set(row.originId, { originId: row.originId, ok: false, reason });
      const unmoved = moved.filter((m) => !refusals.has(m.row.originId));
      const done = await moveRows(s, unmoved, shape, refuse);
      const remaining = rows.filter((row) => !done.has(row.originId) && !refusals.has(row.originId));
      let writable = remaining;
      if (o.writeMode === 'update-only') {
        const found = await existing(s, remaining, refuse);
        writable = remaining.filter((row) => found.has(keyText(row.key)));
        for (const row of remaining)
          if (!found.has(keyText(row.key)) && !refusals.has(row.originId))
            refusals.set(row.originId, {
              originId: row.originId,
              ok: false,
              reason: 'the table has no row with this key',
              absent: true,
            });
      }
      const { flags, free } = await claim(
        s,
        writable.filter((row) => contested.has(row.originId)),
        refusals,
        refuse,
      );
      const kept = writable.filter(
        (row) => !refusals.has(row.originId) && flags.get(row.originId) !== 'left',
      );
      // Refusing: a free key is inserted plainly, so a row another writer inserted meanwhile fails it.
      const strict = (row: SqlRow) => policy === 'refuse' && free.has(row.originId);
      const onConflict = o.writeMode === 'insert-only' ? 'nothing' : 'update';
      let upserts = kept.filter((row) => !strict(row));
      const inserts = kept.filter(strict);
      // MySQL's upsert would update the row of another unique key (sql-other-unique-keys.ts).
      if (dialect === 'mysql' && hasOtherUniqueKeys(s.info, keys)) {
        const held = async (some: readonly SqlRow[]) => {
          const found = await existing(s, some, refuse, false);
          return new Set(some.filter((row) => found.has(keyText(row.key))));
        };
        const insertOnly = o.writeMode === 'insert-only';
        inserts.push(...(await writeByKeyAlone(s, upserts, shape, { held, insertOnly, refuse })));
        upserts = [];
      }
      const unrefused = (rows: readonly SqlRow[]) => rows.filter((row) => !refusals.has(row.originId));
      await upsertRows(s, unrefused(upserts), shape, refuse, onConflict);
      await upsertRows(s, unrefused(inserts), shape, refuse, 'fail');
      const given =
        o.writeMode === 'update-only'
          ? new Map<string, string>()
          : await insertGenerated(s, dialect, keys[0]!, unkeyed, refuse);
      if (o.writeMode === 'update-only')
        for (const row of unkeyed)
          refusals.set(row.originId, {
            originId: row.originId,
            ok: false,
            reason: `the object has no value for the key column "${keys[0]}", so it names no row to update`,
            absent: true,
          });
      return { refusals, flags, given };
    });
    for (const row of unkeyed) {
      const refusal = outcome.ok ? outcome.value.refusals.get(row.originId) : undefined;
      const targetId = outcome.ok ? outcome.value.given.get(row.originId) : undefined;
      if (!outcome.ok)
        answers.set(row.originId, {
          originId: row.originId,
          ok: false,
          reason: outcome.reason,
          transient: true,
        });
      else if (refusal || targetId === undefined)
        answers.set(row.originId, refusal ?? { originId: row.originId, ok: false, reason: 'not written' });
      else {
        wrote.set(keyText([targetId]), row.originId);
        answers.set(row.originId, { originId: row.originId, ok: true, targetId, targetHash: row.hash });
      }
    }
    for (const row of rows) {
      if (!outcome.ok) {
        answers.set(row.originId, {
          originId: row.originId,
          ok: false,
          reason: outcome.reason,
          transient: true,
        });
        continue;
      }
      const refusal = outcome.value.refusals.get(row.originId);
      if (refusal) {
        answers.set(row.originId, refusal);
        continue;
      }
      const existing = outcome.value.flags.get(row.originId);
      if (existing !== 'left') wrote.set(keyText(row.key), row.originId);
      answers.set(row.originId, {
        originId: row.originId,
        ok: true,
        targetId: row.targetId,
        targetHash: row.hash,
        ...(existing ? { existing } : {}),
      });
    }
    return batch.map((item) => answers.get(item.originId)!);
  }

  /**
   * Whether the table holds the row an interrupted create meant to write (targets/create-intents.ts): a
   * create at a taken key is refused, so the repeat of one that landed must learn it landed.
   */
  async function findExisting(item: TargetCreate): Promise<FoundExisting> {
    const info = known((await connect()).info);
    const row = prepareRow(item, o.target, info.columns, tableName);
    if ('reason' in row) return { kind: 'none' };
    if (row.key === null) {
      const found = await transaction((s) => findGenerated(s, dialect, keys[0]!, row));
      return found.ok ? found.value : { kind: 'unknown', reason: found.reason };
    }
    const outcome = await transaction((s) => existing(s, [row], () => undefined, false));
    if (!outcome.ok) return { kind: 'unknown', reason: outcome.reason };
    return outcome.value.has(keyText(row.key))
      ? { kind: 'one', targetId: row.targetId, targetHash: row.hash }
      : { kind: 'none' };
  }

  /**
   * A dry run's foresight: the rows the table cannot take (a column it lacks, a value its column
   * refuses as a key), the creates its key policy would refuse (a row already at the key), and a second
   * object at a row another object of the run would write (sql-taken-keys.ts foreseeSharedRows; `wrote`
   * holds the rows the dry run would have written, as a real run's writes fill it). Reads only.
   */
  async function check(batch: readonly TargetCheck[]): Promise<TargetRefusal[]> {
    const info = known((await connect()).info);
    const refusals: TargetRefusal[] = [];
    const refuse = (row: SqlRow, reason: string) =>
      refusals.push({
        originId: row.originId,
        ok: false,
        reason: `${reason} (foreseen: nothing was written)`,
      });
    const prepared: { row: SqlRow; create: boolean }[] = [];
    for (const item of batch) {
      const row = prepareRow(item, o.target, info.columns, tableName);
      if ('reason' in row) refusals.push(row);
      // A new row whose key the database gives takes no key another object could hold.
      else if (row.key !== null) prepared.push({ row, create: item.create === true });
    }
    const { kept, refused } = foreseeSharedRows(prepared, keyText, wrote, policy, tableName);
    for (const { row, reason } of refused) refuse(row, reason);
    const rows = kept.map((k) => k.row);
    const creates = kept.filter((k) => k.create).map((k) => k.row);
    if (creates.length > 0) {
      const outcome = await transaction((s) => claim(s, creates, new Map(), refuse));
      if (!outcome.ok) throw new Error(outcome.reason);
    }
    const out = new Set(refusals.map((r) => r.originId));
    for (const row of rows) if (!out.has(row.originId)) wrote.set(keyText(row.key), row.originId);
    return refusals;
  }

  return {
    systemId: o.systemId,
    create: (batch) => write(batch, true),
    update: (batch) => write(batch, false),
    check,
    findExisting,
    async needsIntent(items) {
      const info = known((await connect()).info);
      // Only a key the database gives can leave a create without one: the rest repeat by their key.
      if (keys.length > 1 || !info.columns.get(keys[0]!)?.generated) return items.map(() => false);
      return items.map((item) => {
        const row = prepareRow(item, o.target, info.columns, tableName);
        return !('reason' in row) && row.key === null;
      });
    },

    delete: createSqlDelete({
      ...{ target: o.target, dialect, keys, tableName, session, now, keyParams },
      currentHashes: o.currentHashes,
    }),

    close: session.discard,
  };
}
