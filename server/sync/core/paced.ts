// CPU-bound stretches of a run (deciding a page of objects, whose mapping may use its whole template
// budget per object) done a little at a time: between objects the executor may give the rest of the
// process a turn. The core only asks; the executor decides when to yield (server/sync/run/pace.ts).

/** Returns a promise when the caller should wait before going on (a turn for other work), else nothing. */
export type Pace = () => PromiseLike<void> | undefined;

/** `decide` over `items`, one item at a time with a pace, or all at once without. Order is kept. */
export async function decidePaced<T, R>(
  items: readonly T[],
  pace: Pace | undefined,
  decide: (batch: readonly T[]) => R[],
): Promise<R[]> {
  if (!pace) return decide(items);
  const results: R[] = [];
  for (const item of items) {
    for (const result of decide([item])) results.push(result);
    const turn = pace();
    if (turn) await turn;
  }
  return results;
}
