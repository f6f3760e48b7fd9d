// How many rows match, counted only up to a limit: SQLite stops reading at the limit, so a search's
// total costs at most that many rows however many match (the lists then say "more than").
import { sql, type SQL } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from './client';

/** The rows of `table` matching `where`, counted up to `limit` (a result of `limit`: that many or more). */
export async function countUpTo(
  db: Db,
  table: SQLiteTable,
  where: SQL | undefined,
  limit: number,
): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(
    db
      .select({ one: sql`1` })
      .from(table)
      .where(where)
      .limit(limit)
      .as('matches'),
  );
  return Number(row?.n ?? 0);
}
