// The savepoints that isolate a bad row: a statement for many rows that one row's values break (a
// constraint, a type) is rolled back to its savepoint and run again row by row, each in a savepoint of
// its own, so the good rows land in the same transaction and only the culprit is refused.
import type { SqlConnection } from '../sources/sql-connect';
import { classifyWriteError, rowErrorReason } from './sql-write-errors';

/** Runs a statement for several rows; when one row's values break it, each row alone in a savepoint. */
export async function eachOrAlone<R>(
  db: SqlConnection,
  rows: readonly R[],
  run: (rows: readonly R[]) => Promise<void>,
  refused: (row: R, reason: string) => void,
): Promise<void> {
  await db.execute('SAVEPOINT concord_batch', []);
  try {
    await run(rows);
    await db.execute('RELEASE SAVEPOINT concord_batch', []);
    return;
  } catch (error) {
    if (classifyWriteError(error) !== 'row') throw error;
    await db.execute('ROLLBACK TO SAVEPOINT concord_batch', []);
    await db.execute('RELEASE SAVEPOINT concord_batch', []);
    if (rows.length === 1) return refused(rows[0]!, rowErrorReason(error));
  }
  for (const row of rows) {
    await db.execute('SAVEPOINT concord_row', []);
    try {
      await run([row]);
      await db.execute('RELEASE SAVEPOINT concord_row', []);
    } catch (error) {
      if (classifyWriteError(error) !== 'row') throw error;
      await db.execute('ROLLBACK TO SAVEPOINT concord_row', []);
      await db.execute('RELEASE SAVEPOINT concord_row', []);
      refused(row, rowErrorReason(error));
    }
  }
}
