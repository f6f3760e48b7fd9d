// How deeply data may be nested. Data deeper than this is refused where it enters Concord (a source's
// answer, a file, a webhook, a preview sample) with a sentence naming the limit; everything after that
// (hashing, storing, the API's answers) recurses and would otherwise fail with a stack overflow.

/** Levels of objects and lists (JSON), or of elements (XML); far more than any real source uses. */
export const MAX_NESTING = 200;

/** `what` is nested deeper than MAX_NESTING levels…, as a sentence fragment (no full stop). */
export function nestingReason(what: string, limit = MAX_NESTING): string {
  return `${what} is nested deeper than ${limit} levels, the most Concord reads`;
}

/**
 * Whether objects and lists inside `value` go deeper than `limit` levels (a flat object is one level).
 * Walks without recursion, so any depth is measured safely, and stops at the first path too deep.
 */
export function nestedDeeperThan(value: unknown, limit = MAX_NESTING): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const current = values.pop()!;
    const depth = depths.pop()!;
    if (depth > limit) return true;
    if (Array.isArray(current)) {
      for (const child of current as unknown[]) {
        if (typeof child === 'object' && child !== null) {
          values.push(child);
          depths.push(depth + 1);
        }
      }
      continue;
    }
    for (const key in current) {
      const child = (current as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}
