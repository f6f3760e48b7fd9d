// The differences between the mapped source and the target, one line per changed path, in the
// contract page's words: what Concord would write (mapped) against what the target holds.
import { jsonChanges } from '@/server/sync/core/json-changes';

export interface Change {
  path: string;
  kind: 'only-mapped' | 'only-target' | 'changed' | 'moved';
  mapped?: unknown;
  target?: unknown;
  /** For an array item that only moved: where it is in the target. */
  movedTo?: number;
}

const KIND = { added: 'only-target', removed: 'only-mapped', changed: 'changed', moved: 'moved' } as const;

/** The changes from the mapped source (left) to the target (right); empty when they are equal. */
export function diffObjects(mapped: unknown, target: unknown): Change[] {
  return jsonChanges(mapped, target).map((c) => ({
    path: c.path,
    kind: KIND[c.kind],
    ...('before' in c ? { mapped: c.before } : {}),
    ...('after' in c ? { target: c.after } : {}),
    ...(c.movedTo === undefined ? {} : { movedTo: c.movedTo }),
  }));
}
