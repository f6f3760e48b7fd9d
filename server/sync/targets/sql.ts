// An SQL target: rows upserted into a PostgreSQL or MySQL/MariaDB table on its key column(s), one
// transaction per batch, multi-row prepared statements with every value bound (sql-statements.ts).
// Write modes: insert only leaves an existing row alone; update only locks and finds the rows that
// exist and writes only those (the others answer `absent`). Deletion: DELETE by key, or an UPDATE of
// the soft delete column. A statement a row's values break (a constraint, a type) is retried row by row
// inside savepoints, so the good rows land and the bad one is refused with the database's words; a
// deadlock, serialization failure or timeout makes the batch's objects transient failures (tried again
// next run); a lost connection or a missing table throws, so the run ends in error and nothing is lost.
import type { SqlSourceConfig } from '../config/source-config';
import { NOW_PLACEHOLDER, type SqlTargetConfig } from '../config/sync-config';
import type { WriteMode } from '../core/write-mode';
import type { ResolveHost, UrlPolicy } from '../http/guard';
import { Redactor } from '../http/redact';
import type { TargetDeleteResult, TargetPort, TargetRefusal, TargetWriteResult } from '../ports';
import { describeDatabase, parseSqlRead } from '../sources/sql-dialects';
import { toParam } from './sql-columns';
import { byShape, keyOfTargetId, prepareRow, type RowInput, type SqlRow } from './sql-rows';
import {
  deleteStatement,
  existingKeysStatement,
  rowsPerStatement,
  softDeleteStatement,
  updateByKeyStatement,
  upsertStatement,
} from './sql-statements';
import { eachOrAlone } from './sql-savepoints';
import { createSqlSession, type Session } from './sql-session';
import type { TableInfo } from './sql-table';

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
}

export type SqlTarget = TargetPort & { close(): Promise<void> };

/** An object to write; an update knows the target id (the row's key) Concord wrote it under. */
type WriteItem = RowInput & { readonly targetId?: string; readonly ifExists?: true };

/** A row whose object's key changed since it was written: found by its old key. */
interface Moved {
  readonly row: SqlRow;
  readonly oldKey: readonly unknown[];
}

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
  const { connect, transaction, fail } = session;

  const keyParams = (info: TableInfo, key: readonly unknown[]) =>
    key.map((value, i) => toParam(dialect, info.columns.get(keys[i]!)!, value));

  /** For keys compared in JS: MySQL's usual collations ignore case and trailing spaces. */
  const keyText = (key: readonly unknown[]) => {
    const text = JSON.stringify(key.map((v) => String(v)));
    return dialect === 'mysql' ? text.toLowerCase().replace(/ +"/g, '"') : text;
  };

  /**
   * The keys among `rows` that have a row in the table (locked until the transaction ends). A key its
   * column cannot take (text for a number) is that object's refusal, as in a write.
   */
  async function existing(
    { db, info }: Session,
    rows: readonly SqlRow[],
    refused: (row: SqlRow, reason: string) => void,
  ): Promise<Set<string>> {
    const found = new Set<string>();
    const per = rowsPerStatement(keys.length);
    for (let i = 0; i < rows.length; i += per) {
      await eachOrAlone(
        db,
        rows.slice(i, i + per),
        async (chunk) => {
          const result = await db.execute(
            existingKeysStatement({ dialect, table: info.quoted, keys, rows: chunk.length }),
            chunk.flatMap((row) => keyParams(info, row.key)),
          );
          for (const row of result.rows) found.add(keyText(keys.map((k) => row[k])));
        },
        refused,
      );
    }
    return found;
  }

  async function upsert(s: Session, rows: readonly SqlRow[], refused: (row: SqlRow, reason: string) => void) {
    const { db, info } = s;
    const compareAsText = new Set(
      [...info.columns.values()].filter((c) => c.type === 'json' || c.type === 'xml').map((c) => c.name),
    );
    const onConflict = o.writeMode === 'insert-only' ? 'nothing' : 'update';
    for (const group of byShape(rows)) {
      const columns = group[0]!.columns;
      const types = columns.map((c) => info.columns.get(c)!);
      const per = rowsPerStatement(columns.length);
      for (let i = 0; i < group.length; i += per) {
        await eachOrAlone(
          db,
          group.slice(i, i + per),
          async (chunk) => {
            const statement = upsertStatement({
              dialect,
              table: info.quoted,
              columns,
              keys,
              rows: chunk.length,
              onConflict,
              compareAsText,
            });
            await db.execute(
              statement,
              chunk.flatMap((row) => row.values.map((v, c) => toParam(dialect, types[c]!, v))),
            );
          },
          refused,
        );
      }
    }
  }

  /**
   * Rows whose object's key changed since Concord wrote them move to the new key (the row is updated by
   * its old key); a new key another row holds is that object's refusal. Answers the rows it moved.
   */
  async function move(s: Session, moved: readonly Moved[], refuse: (row: SqlRow, reason: string) => void) {
    const done = new Set<string>();
    for (const m of moved) {
      await eachOrAlone(
        s.db,
        [m],
        async () => {
          const types = m.row.columns.map((c) => s.info.columns.get(c)!);
          const result = await s.db.execute(
            updateByKeyStatement({ dialect, table: s.info.quoted, columns: m.row.columns, keys }),
            [...m.row.values.map((v, i) => toParam(dialect, types[i]!, v)), ...keyParams(s.info, m.oldKey)],
          );
          // The old row is gone: the object is written by its new key like any other.
          if (result.affected > 0) done.add(m.row.originId);
        },
        (one, reason) => refuse(one.row, reason),
      );
    }
    return done;
  }

  async function write(batch: readonly WriteItem[]): Promise<TargetWriteResult[]> {
    if (batch.length === 0) return [];
    const { info } = await connect();
    const answers = new Map<string, TargetWriteResult>();
    const rows: SqlRow[] = [];
    const moved: Moved[] = [];
    const seen = new Set<string>();
    for (const item of batch) {
      const row = prepareRow(item, o.target, info.columns, tableName);
      if ('reason' in row) {
        answers.set(item.originId, row);
        continue;
      }
      const sqlRow = row;
      // Two objects of one batch for one row: the later one would silently overwrite the first.
      const text = keyText(sqlRow.key);
      if (seen.has(text)) {
        answers.set(item.originId, {
          originId: item.originId,
          ok: false,
          reason: `another object of this page writes the same row (key ${sqlRow.targetId})`,
        });
        continue;
      }
      seen.add(text);
      rows.push(sqlRow);
      const oldKey = item.targetId !== undefined ? keyOfTargetId(item.targetId, keys.length) : null;
      if (oldKey && !item.ifExists && o.writeMode !== 'insert-only' && item.targetId !== sqlRow.targetId)
        moved.push({ row: sqlRow, oldKey });
    }
    const outcome = await transaction(async (s) => {
      const refusals = new Map<string, TargetRefusal>();
      const refuse = (row: SqlRow, reason: string) =>
        refusals.set(row.originId, { originId: row.originId, ok: false, reason });
      const done = await move(s, moved, refuse);
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
      await upsert(s, writable, refuse);
      return refusals;
    });
    for (const row of rows) {
      if (!outcome.ok)
        answers.set(row.originId, {
          originId: row.originId,
          ok: false,
          reason: outcome.reason,
          transient: true,
        });
      else
        answers.set(
          row.originId,
          outcome.value.get(row.originId) ?? {
            originId: row.originId,
            ok: true,
            targetId: row.targetId,
            targetHash: row.hash,
          },
        );
    }
    return batch.map((item) => answers.get(item.originId)!);
  }

  return {
    systemId: o.systemId,
    create: (batch) => write(batch),
    update: (batch) => write(batch),

    async delete(batch, policy) {
      if (batch.length === 0) return [];
      const soft = o.target.softDelete;
      if (policy === 'soft' && !soft)
        throw fail(
          'soft deletion needs the column that marks a row deleted; name it in the SQL target, or choose another deletion policy',
        );
      const { info } = await connect();
      const answers = new Map<string, TargetDeleteResult>();
      const rows: { originId: string; key: unknown[] }[] = [];
      for (const item of batch) {
        const key = keyOfTargetId(item.targetId, keys.length);
        if (key) rows.push({ originId: item.originId, key });
        else
          answers.set(item.originId, {
            originId: item.originId,
            ok: false,
            reason: `the target id ${item.targetId} is not a key of ${tableName}`,
          });
      }
      const moment = now().toISOString();
      const outcome = await transaction(async ({ db }) => {
        const refusals = new Map<string, TargetRefusal>();
        const per = rowsPerStatement(keys.length);
        const marked = soft && (soft.value === NOW_PLACEHOLDER ? moment : soft.value);
        const markColumn = soft ? info.columns.get(soft.column) : undefined;
        if (policy === 'soft' && soft && !markColumn)
          throw fail(`the table ${tableName} has no soft delete column "${soft.column}"`);
        for (let i = 0; i < rows.length; i += per) {
          await eachOrAlone(
            db,
            rows.slice(i, i + per),
            async (chunk) => {
              const bound = chunk.flatMap((row) => keyParams(info, row.key));
              if (policy === 'hard') {
                await db.execute(
                  deleteStatement({ dialect, table: info.quoted, keys, rows: chunk.length }),
                  bound,
                );
                return;
              }
              const value = toParam(dialect, markColumn!, marked);
              const statement = softDeleteStatement({
                dialect,
                table: info.quoted,
                keys,
                rows: chunk.length,
                column: soft!.column,
              });
              await db.execute(
                statement,
                dialect === 'postgres' ? [value, ...bound] : [value, ...bound, value],
              );
            },
            (row, reason) => refusals.set(row.originId, { originId: row.originId, ok: false, reason }),
          );
        }
        return refusals;
      });
      for (const row of rows) {
        if (!outcome.ok)
          answers.set(row.originId, {
            originId: row.originId,
            ok: false,
            reason: outcome.reason,
            transient: true,
          });
        // A row that is already gone is what a delete wants.
        else
          answers.set(row.originId, outcome.value.get(row.originId) ?? { originId: row.originId, ok: true });
      }
      return batch.map((item) => answers.get(item.originId)!);
    },

    close: session.discard,
  };
}
