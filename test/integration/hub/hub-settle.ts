// Waiting for a hub to be still: the outbox empty and every run of the organisation ended.
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Db } from '@/server/db/client';
import { outbox, runs } from '@/server/db/schema';

export async function settled(db: Db, orgId: string) {
  await expect
    .poll(async () => (await db.select().from(outbox).where(eq(outbox.orgId, orgId))).length, {
      timeout: 20_000,
    })
    .toBe(0);
  await expect
    .poll(
      async () =>
        (await db.select().from(runs).where(eq(runs.orgId, orgId))).every(
          (r) => r.status === 'finished' || r.status === 'cancelled',
        ),
      { timeout: 30_000 },
    )
    .toBe(true);
}

// In the order they were requested: two runs requested in the same millisecond keep it by their number.
export const runsOf = (db: Db, syncId: string) =>
  db.select().from(runs).where(eq(runs.synchronisationId, syncId)).orderBy(runs.createdAt, runs.seq);
