// Which keys of a batch's rows the table already holds: one statement per chunk of keys, each row's key
// bound as its column takes it, compared in JS as the table compares keys (keyTextOf). Asked before
// writing rows at keys no contract of their objects names (sql-taken-keys.ts), by update only, and by a
// dry run's foresight.
import type { TableInfo } from './sql-table';
import type { SqlRow } from './sql-rows';
import type { Session } from './sql-session';
import { eachOrAlone } from './sql-savepoints';
import { existingKeysStatement, rowsPerStatement } from './sql-statements';

export type Refused = (row: SqlRow, reason: string) => void;

export interface KeyReading {
  readonly dialect: 'postgres' | 'mysql';
  readonly keys: readonly string[];
  /** A key's values as the key columns take them. */
  readonly keyParams: (info: TableInfo, key: readonly unknown[]) => unknown[];
  /** A key as text, compared as the table compares keys. */
  readonly keyText: (key: readonly unknown[]) => string;
}

/**
 * The keys among `rows` that have a row in the table (locked until the transaction ends, unless `lock`
 * is false). A key its column cannot take (text for a number) is that object's refusal, as in a write.
 */
export async function existingKeys(
  { db, info }: Session,
  k: KeyReading,
  rows: readonly SqlRow[],
  refused: Refused,
  lock: boolean,
): Promise<Set<string>> {
  const found = new Set<string>();
  const per = rowsPerStatement(k.keys.length);
  for (let i = 0; i < rows.length; i += per) {
    await eachOrAlone(
      db,
      rows.slice(i, i + per),
      async (chunk) => {
        const result = await db.execute(
          existingKeysStatement({
            dialect: k.dialect,
            table: info.quoted,
            keys: k.keys,
            rows: chunk.length,
            lock,
          }),
          chunk.flatMap((row) => k.keyParams(info, row.key)),
        );
        for (const row of result.rows) found.add(k.keyText(k.keys.map((key) => row[key])));
      },
      refused,
    );
  }
  return found;
}
