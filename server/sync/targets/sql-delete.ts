// An SQL target's deletions: DELETE by key (hard), or an UPDATE of the soft delete column to its value
// (`{{now}}`: the moment), one transaction per batch, a row its statement cannot take refused alone.
import { NOW_PLACEHOLDER, type SqlTargetConfig } from '../config/sync-config';
import type { TargetDeleteResult, TargetPort, TargetRefusal } from '../ports';
import type { SqlDialect } from '../sources/sql-dialects';
import { toParam } from './sql-columns';
import { keyOfTargetId } from './sql-rows';
import { eachOrAlone } from './sql-savepoints';
import type { createSqlSession } from './sql-session';
import { deleteStatement, rowsPerStatement, softDeleteStatement } from './sql-statements';
import type { TableInfo } from './sql-table';
import { refuseChanged, type CurrentHashes } from './sql-unchanged';

export interface SqlDeleteContext {
  readonly target: SqlTargetConfig;
  readonly dialect: SqlDialect;
  readonly keys: readonly string[];
  readonly tableName: string;
  readonly session: ReturnType<typeof createSqlSession>;
  readonly now: () => Date;
  readonly keyParams: (info: TableInfo, key: readonly unknown[]) => unknown[];
  /** A deletion's `unlessChangedFrom` (sql-unchanged.ts): a row changed since it was read is kept. */
  readonly currentHashes?: CurrentHashes;
}

export function createSqlDelete(c: SqlDeleteContext): TargetPort['delete'] {
  const { dialect, keys, tableName, now, keyParams } = c;
  const { connect, transaction, fail } = c.session;
  return async (batch, policy) => {
    if (batch.length === 0) return [];
    const soft = c.target.softDelete;
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
    const outcome = await transaction(async (s) => {
      const { db } = s;
      // First in the transaction: a row someone changed since it was read is kept (gone is what we want).
      const refusals: Map<string, TargetRefusal> = await refuseChanged(
        s,
        { dialect, keys, keyParams },
        batch.filter((item) => !answers.has(item.originId)),
        c.currentHashes,
        'pass',
      );
      const deleting = rows.filter((row) => !refusals.has(row.originId));
      const per = rowsPerStatement(keys.length);
      const marked = soft && (soft.value === NOW_PLACEHOLDER ? moment : soft.value);
      const markColumn = soft ? info.columns.get(soft.column) : undefined;
      if (policy === 'soft' && soft && !markColumn)
        throw fail(`the table ${tableName} has no soft delete column "${soft.column}"`);
      for (let i = 0; i < deleting.length; i += per) {
        await eachOrAlone(
          db,
          deleting.slice(i, i + per),
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
      else answers.set(row.originId, outcome.value.get(row.originId) ?? { originId: row.originId, ok: true });
    }
    return batch.map((item) => answers.get(item.originId)!);
  };
}
