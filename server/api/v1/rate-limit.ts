// A fixed-window request budget per API key, counted in the database (one upsert per request) so every
// app instance shares it. The answer carries the `RateLimit-*` headers of the IETF draft; over budget
// it is a 429 with `Retry-After`.
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '@/server/db/client';
import { apiRateLimits } from '@/server/db/schema';

export const WINDOW_SECONDS = 60;

/** Requests per key per minute: CONCORD_API_RATE_LIMIT, 600 by default. */
export function rateLimitPerWindow(): number {
  const n = Number(process.env.CONCORD_API_RATE_LIMIT ?? 600);
  return Number.isInteger(n) && n > 0 ? n : 600;
}

export async function countRequest(db: Db, keyId: string, now = Date.now()) {
  const limit = rateLimitPerWindow();
  const windowStart = Math.floor(now / 1000 / WINDOW_SECONDS) * WINDOW_SECONDS;
  const [row] = await db
    .insert(apiRateLimits)
    .values({ apiKeyId: keyId, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: [apiRateLimits.apiKeyId, apiRateLimits.windowStart],
      set: { count: sql`${apiRateLimits.count} + 1` },
    })
    .returning({ count: apiRateLimits.count });
  const used = row?.count ?? 1;
  // The first request of a window clears the key's older windows.
  if (used === 1)
    await db
      .delete(apiRateLimits)
      .where(and(eq(apiRateLimits.apiKeyId, keyId), lt(apiRateLimits.windowStart, windowStart)));
  const reset = Math.max(1, windowStart + WINDOW_SECONDS - Math.floor(now / 1000));
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(limit),
    'RateLimit-Remaining': String(Math.max(0, limit - used)),
    'RateLimit-Reset': String(reset),
    'RateLimit-Policy': `${limit};w=${WINDOW_SECONDS}`,
  };
  return { allowed: used <= limit, headers, retryAfter: reset };
}
