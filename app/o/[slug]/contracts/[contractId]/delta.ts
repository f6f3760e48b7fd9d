// A jsondiffpatch delta between the mapped source and the target, flattened into one line per changed
// path, so the page can say what Concord would write and what the target holds.
import { create, type Delta } from 'jsondiffpatch';

export interface Change {
  path: string;
  kind: 'only-mapped' | 'only-target' | 'changed' | 'moved';
  mapped?: unknown;
  target?: unknown;
  /** For an array item that only moved: where it is in the target. */
  movedTo?: number;
}

const differ = create({
  // Array items with an id are matched by it, so an inserted item does not shift every later one.
  objectHash: (item: object, index?: number) => {
    const id = (item as { id?: unknown }).id;
    return id === undefined || id === null ? `$index:${index ?? 0}` : JSON.stringify(id);
  },
  arrays: { detectMove: true, includeValueOnMove: false },
});

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function walk(delta: Delta, path: string, out: Change[]): void {
  if (delta === undefined) return;
  if (Array.isArray(delta)) {
    if (delta.length === 1) out.push({ path, kind: 'only-target', target: delta[0] });
    else if (delta.length === 2) out.push({ path, kind: 'changed', mapped: delta[0], target: delta[1] });
    else if (delta[2] === 0) out.push({ path, kind: 'only-mapped', mapped: delta[0] });
    else if (delta[2] === 3) out.push({ path, kind: 'moved', movedTo: Number(delta[1]) });
    return;
  }
  const isArray = (delta as { _t?: unknown })._t === 'a';
  for (const [key, child] of Object.entries(delta as Record<string, Delta>)) {
    if (isArray && key === '_t') continue;
    // In an array delta `_3` is the mapped side's index, `3` the target side's.
    const name = isArray ? `[${key.startsWith('_') ? key.slice(1) : key}]` : key;
    walk(child, isArray ? `${path}${name}` : join(path, name), out);
  }
}

/** The changes from the mapped source (left) to the target (right); empty when they are equal. */
export function diffObjects(mapped: unknown, target: unknown): Change[] {
  const out: Change[] = [];
  walk(differ.diff(mapped, target), '', out);
  return out;
}
