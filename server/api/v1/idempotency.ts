// `Idempotency-Key` on POSTs: the first request with a key reserves it; its successful answer is stored
// and replayed for a retry with the same key, route and body (a retried run request returns the same
// run). The same key with another route or body is refused (422); a retry while the first is still
// being answered gets 409. Failed answers are not stored: the request can be retried. Keys live 24 h.
// A reservation left unanswered for ABANDONED_MS is taken to be of a process that died while answering
// (killed, restarted): the retry then goes through, rather than 409 for the rest of the key's 24 h.
import { createHash } from 'node:crypto';
import { and, eq, isNull, lt, type SQL } from 'drizzle-orm';
import type { Db } from '@/server/db/client';
import { apiIdempotency } from '@/server/db/schema';
import { ApiProblem } from './problem';

const LIFETIME_MS = 24 * 3600_000;
/** Far longer than any request is answered in (a batch of 1,000 objects takes seconds). */
export const ABANDONED_MS = 10 * 60_000;

export type Reservation =
  | { kind: 'new'; complete: (status: number, body: string) => Promise<void>; release: () => Promise<void> }
  | { kind: 'replay'; status: number; body: string };

export async function reserve(
  db: Db,
  keyId: string,
  idempotencyKey: string,
  route: string,
  rawBody: string,
  now = new Date(),
): Promise<Reservation> {
  if (idempotencyKey.length > 255)
    throw new ApiProblem(400, 'The Idempotency-Key header is longer than 255 characters.');
  const bodyHash = createHash('sha256').update(rawBody).digest('hex');
  const mine = and(eq(apiIdempotency.apiKeyId, keyId), eq(apiIdempotency.idempotencyKey, idempotencyKey));
  await db
    .delete(apiIdempotency)
    .where(
      and(
        eq(apiIdempotency.apiKeyId, keyId),
        lt(apiIdempotency.createdAt, new Date(now.getTime() - LIFETIME_MS)),
      ),
    );
  const inserted = await db
    .insert(apiIdempotency)
    .values({ apiKeyId: keyId, idempotencyKey, route, bodyHash, status: 0, response: null, createdAt: now })
    .onConflictDoNothing()
    .returning({ key: apiIdempotency.idempotencyKey });
  if (inserted.length > 0) return newReservation(db, mine);
  const [stored] = await db.select().from(apiIdempotency).where(mine);
  if (!stored) return reserve(db, keyId, idempotencyKey, route, rawBody, now);
  if (stored.route !== route || stored.bodyHash !== bodyHash)
    throw new ApiProblem(
      422,
      'This Idempotency-Key was used for another request: use a new key for a new request.',
    );
  if (stored.response === null && stored.createdAt.getTime() <= now.getTime() - ABANDONED_MS) {
    // Taken over only by the retry whose update still finds the abandoned reservation as it was read.
    const taken = await db
      .update(apiIdempotency)
      .set({ createdAt: now })
      .where(and(mine, isNull(apiIdempotency.response), eq(apiIdempotency.createdAt, stored.createdAt)))
      .returning({ key: apiIdempotency.idempotencyKey });
    if (taken.length === 0) return reserve(db, keyId, idempotencyKey, route, rawBody, now);
    return newReservation(db, mine);
  }
  if (stored.response === null)
    throw new ApiProblem(
      409,
      'A request with this Idempotency-Key is still being answered: retry in a moment.',
    );
  return { kind: 'replay', status: stored.status, body: stored.response };
}

function newReservation(db: Db, mine: SQL | undefined): Reservation {
  return {
    kind: 'new',
    complete: async (status, body) => {
      await db.update(apiIdempotency).set({ status, response: body }).where(mine);
    },
    release: async () => {
      await db.delete(apiIdempotency).where(mine);
    },
  };
}
