// Opaque cursors: clients pass them back unchanged; the content is ours to change.
import { ApiProblem } from './problem';

export function encodeCursor(value: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T extends Record<string, string | number>>(
  cursor: string | undefined,
  check: (v: Record<string, unknown>) => v is T,
): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (value && typeof value === 'object' && check(value as Record<string, unknown>)) return value as T;
  } catch {
    // fall through
  }
  throw new ApiProblem(400, 'The cursor is not one this API gave out: start again without it.', [
    {
      field: 'query.cursor',
      pointer: '/cursor',
      detail: 'Pass back the cursor of a previous answer unchanged.',
    },
  ]);
}

/** Cursor paging over a list a service returns whole, ordered by id (ids are time-ordered). */
export function pageById<T extends { id: string }>(rows: T[], cursor: string | undefined, limit: number) {
  const after = decodeCursor(cursor, (v): v is { id: string } => typeof v.id === 'string')?.id;
  const sorted = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rest = after ? sorted.filter((r) => r.id > after) : sorted;
  const items = rest.slice(0, limit);
  const more = rest.length > limit;
  const nextCursor = more ? encodeCursor({ id: items.at(-1)!.id }) : null;
  return { items, nextCursor, next: nextCursor ? { cursor: nextCursor, limit: String(limit) } : null };
}
