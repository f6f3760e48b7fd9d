// Slows down repeated failed sign-ins for one email: after a few free attempts each failure locks the
// key for twice as long as the last (1 s, 2 s, 4 s … up to 15 min). Kept in the database so that every
// app instance sees the same count.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { signInThrottle } from '../db/schema';

const FREE_ATTEMPTS = 3;
const MAX_LOCK_MS = 15 * 60_000;
// Failures older than this are forgotten.
const WINDOW_MS = 60 * 60_000;

export function lockDuration(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(MAX_LOCK_MS, 1000 * 2 ** (failures - FREE_ATTEMPTS));
}

/** Milliseconds the caller must still wait before trying this key again (0: go ahead). */
export async function lockedFor(db: Db, key: string, now = Date.now()): Promise<number> {
  const [row] = await db.select().from(signInThrottle).where(eq(signInThrottle.key, key));
  if (!row?.lockedUntil) return 0;
  return Math.max(0, row.lockedUntil.getTime() - now);
}

export async function recordFailure(db: Db, key: string, now = Date.now()): Promise<void> {
  const [row] = await db.select().from(signInThrottle).where(eq(signInThrottle.key, key));
  const stale = !row || now - row.lastFailureAt.getTime() > WINDOW_MS;
  const failures = stale ? 1 : row.failures + 1;
  const lock = lockDuration(failures);
  const values = {
    failures,
    lastFailureAt: new Date(now),
    lockedUntil: lock > 0 ? new Date(now + lock) : null,
  };
  await db
    .insert(signInThrottle)
    .values({ key, ...values })
    .onConflictDoUpdate({ target: signInThrottle.key, set: values });
}

export async function recordSuccess(db: Db, key: string): Promise<void> {
  await db.delete(signInThrottle).where(eq(signInThrottle.key, key));
}
