// Splits a list for IN (...) queries and multi-row inserts, below SQLite's bound-parameter limit.
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
