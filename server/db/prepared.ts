// Queries built once and run many times (drizzle's prepared queries). Building a drizzle query took about
// as long as SQLite took to run a small one (~0.1 ms), and a listing's page step ran several of them for
// every page (issue 14). A prepared query runs on the database it was built from, never inside another
// transaction: use it for statements that run on their own.
import { sql, type SQL } from 'drizzle-orm';

/** A value made on first use and kept: a query prepared only if it is ever run. */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/**
 * A named parameter of a prepared query, where drizzle's types take a value or SQL (an update's `set`).
 * Passed to SQLite as given: no column mapping (a timestamp is given in milliseconds, not as a Date).
 */
export const param = (name: string): SQL => sql`${sql.placeholder(name)}`;
