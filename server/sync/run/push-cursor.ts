// What a push run carries in its `cursor`: the register objects whose changes it delivers (ids, never
// their data, which the run reads when it executes), and the data of those deleted in the meantime,
// from which it reads their origin ids after a hard delete. And each object's change id (the outbox's),
// which the run claims per subscriber before it delivers (stores/run-changes.ts).
import { z } from 'zod';

/** A push run delivers at most this many objects: the drainer splits larger bursts. */
export const PUSH_BATCH = 500;

const pushCursor = z.object({
  schemaId: z.string().min(1),
  objectIds: z.array(z.string().min(1)).min(1).max(PUSH_BATCH),
  removed: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  /** Object id → the change id it is delivered under; runs queued before change ids have none. */
  changes: z.record(z.string(), z.string()).default({}),
});

export type PushCursor = z.infer<typeof pushCursor>;

/** The run's push, if it is a push run (`cursor.push`). */
export function readPushCursor(cursor: Record<string, unknown> | null | undefined): PushCursor | null {
  const value = cursor?.push;
  if (value === undefined) return null;
  const parsed = pushCursor.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function isPushRun(run: { cursor: Record<string, unknown> | null }): boolean {
  return run.cursor?.push !== undefined;
}
