// Waiting for a hub to be still: the outbox empty and every run of the organisation ended.
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Db } from '@/server/db/client';
import { outbox, runs } from '@/server/db/schema';

export async function settled(db: Db, orgId: string) {
  // Both in one look: a run still going may queue changes after the outbox was seen empty (the changes of
  // the run that ends last would otherwise go out after this said the hub was still).
  await expect
    .poll(
      async () => {
        const pending = await db.select({ id: outbox.id }).from(outbox).where(eq(outbox.orgId, orgId));
        const open = (await db.select().from(runs).where(eq(runs.orgId, orgId))).some(
          (r) => r.status !== 'finished' && r.status !== 'cancelled',
        );
        return pending.length === 0 && !open;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
}

// In the order they were requested: two runs requested in the same millisecond keep it by their number.
export const runsOf = (db: Db, syncId: string) =>
  db.select().from(runs).where(eq(runs.synchronisationId, syncId)).orderBy(runs.createdAt, runs.seq);
