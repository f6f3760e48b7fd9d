// Queries built once and run many times (drizzle's prepared queries). Building a drizzle query took about
// as long as SQLite took to run a small one (~0.1 ms), and a listing's page step ran several of them for
// every page (issue 14). A prepared query runs on the database it was built from, never inside another
// transaction: use it for statements that run on their own.
/** A value made on first use and kept: a query prepared only if it is ever run. */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
