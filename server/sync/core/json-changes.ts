// The differences between two JSON values, one line per changed path (jsondiffpatch's delta flattened):
// a contract's history says what each run changed rather than "version 2" (diffVersions), and the
// contract page what the target holds against what the mapping makes of the source (jsonChanges, with
// the page's words for each side). One flattening for both, so the two read alike. Pure: the browser
// uses it too.
import { create, type Delta } from 'jsondiffpatch';

export interface VersionChange {
  readonly path: string;
  readonly kind: 'added' | 'removed' | 'changed' | 'moved';
  readonly before?: unknown;
  readonly after?: unknown;
  /** An array item that only moved: its new position. */
  readonly movedTo?: number;
}

const differ = create({
  // Array items with an id are matched by it, so an inserted item does not shift every later one.
  objectHash: (item: object, index?: number) => {
    const id = (item as { id?: unknown }).id;
    return id === undefined || id === null ? `$index:${index ?? 0}` : JSON.stringify(id);
  },
  arrays: { detectMove: true, includeValueOnMove: false },
});

function walk(delta: Delta, path: string, out: VersionChange[]): void {
  if (delta === undefined) return;
  if (Array.isArray(delta)) {
    if (delta.length === 1) out.push({ path, kind: 'added', after: delta[0] });
    else if (delta.length === 2) out.push({ path, kind: 'changed', before: delta[0], after: delta[1] });
    else if (delta[2] === 0) out.push({ path, kind: 'removed', before: delta[0] });
    else if (delta[2] === 3) out.push({ path, kind: 'moved', movedTo: Number(delta[1]) });
    return;
  }
  const isArray = (delta as { _t?: unknown })._t === 'a';
  for (const [key, child] of Object.entries(delta as Record<string, Delta>)) {
    if (isArray && key === '_t') continue;
    // In an array delta `_3` is the earlier version's index, `3` the later one's.
    const name = isArray ? `[${key.startsWith('_') ? key.slice(1) : key}]` : key;
    walk(child, isArray ? `${path}${name}` : path ? `${path}.${name}` : name, out);
  }
}

/** What changed from `before` to `after`, one line per path; empty when they are equal. */
export function jsonChanges(before: unknown, after: unknown): VersionChange[] {
  const out: VersionChange[] = [];
  walk(differ.diff(before, after), '', out);
  return out;
}

/** What changed from one version to the next (null: no object, so each field was added or removed). */
export const diffVersions = (before: unknown, after: unknown): VersionChange[] =>
  jsonChanges(before ?? {}, after ?? {});
